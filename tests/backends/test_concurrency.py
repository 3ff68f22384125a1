"""Concurrent writers: 8 processes ingesting into one thread at once leave every event, each once."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from procs import BARRIER_RUNNER, env, run, write_ndjson

WRITERS = 8
EVENTS = 500

pytestmark = pytest.mark.slow


def test_eight_processes_ingesting_into_one_thread_at_once_leave_every_event_once(backend):
    root = backend.root
    expected: set[str] = set()
    for k in range(WRITERS):
        # every file declares the thread identically (allowed), so any of them may come first
        expected.update(write_ndjson(root / f"w{k}.ndjson", f"w{k}", EVENTS))
    procs = []
    for k in range(WRITERS):
        argv = [sys.executable, "-c", BARRIER_RUNNER, str(root / f"ready{k}"), str(root / "go"),
                "ingest", f"w{k}.ndjson", "--db", backend.db]
        procs.append(subprocess.Popen(argv, cwd=root, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + 120
    while not all((root / f"ready{k}").exists() for k in range(WRITERS)):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    (root / "go").touch()  # released together
    outputs = [p.communicate(timeout=300) for p in procs]
    for k, (p, (out, err)) in enumerate(zip(procs, outputs, strict=True)):
        assert "Traceback" not in err, err
        assert p.returncode == 0, (k, out, err)
        assert out.startswith(f"load: {EVENTS} new events"), out
    # the store: every event once, versions 1..n, read model in agreement
    rows = backend.sql("SELECT event_id FROM rm_events WHERE thread = 'load'")
    ids = [r[0] for r in rows]
    assert len(ids) == WRITERS * EVENTS == len(set(ids))
    assert set(ids) == expected
    topics = backend.sql("SELECT topic, count(*) FROM stored_events GROUP BY topic")
    assert dict(topics)["negotrack.domain.events:PositionStatedEvent"] == WRITERS * EVENTS
    verify = run("verify", "--db", backend.db, cwd=root)
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith(f"ok: {backend.display()}: 1 thread, ")
