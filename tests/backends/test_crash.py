"""Crash safety: a process killed with SIGKILL in the middle of an ingest leaves all of its file or none."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from procs import env, negotrack, run, write_ndjson

BIG = 20_000
SMALL = 100

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]


def count(backend, slug: str = "load") -> tuple[int, int]:
    """(statements in the read model, events stored) for the thread."""
    rm = backend.sql("SELECT count(*) FROM rm_events WHERE thread = :t", t=slug)[0][0]
    stored = backend.sql("SELECT count(*) FROM stored_events")[0][0]
    return rm, stored


def test_a_process_killed_inside_its_write_transaction_leaves_none_of_its_file(backend):
    root = backend.root
    write_ndjson(root / "first.ndjson", "first", SMALL)  # declares the thread
    write_ndjson(root / "big.ndjson", "big", BIG, declare=False)  # names it by id alone
    first = run("ingest", "first.ndjson", "--db", backend.db, cwd=root)
    assert first.returncode == 0, first.stderr
    before = count(backend)
    assert before[0] == SMALL

    marker = root / "paused"
    hook = {"NEGOTRACK_TEST_PAUSE_AT": "ingest-before-commit", "NEGOTRACK_TEST_PAUSE_FILE": str(marker)}
    proc = subprocess.Popen(
        negotrack("ingest", "big.ndjson", "--db", backend.db),
        cwd=root, env={**env(), **hook}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the ingest never reached its write transaction"
        time.sleep(0.02)
    # every row of the 20,000 events is written in the open transaction; kill before it commits
    assert marker.read_text(encoding="utf-8") == str(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert count(backend) == before  # none of the file
    verify = run("verify", "--db", backend.db, cwd=root)
    assert (verify.returncode, verify.stderr) == (0, "")
    assert verify.stdout.startswith(f"ok: {backend.display()}: 1 thread, {before[1]} stored events ({SMALL} statements)")

    again = run("ingest", "big.ndjson", "--db", backend.db, cwd=root)  # the store is usable: the file goes in whole
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"load: {BIG} new events\nRecorded in {backend.display()}.\n"
    assert count(backend)[0] == SMALL + BIG
    assert run("verify", "--db", backend.db, cwd=root).returncode == 0
