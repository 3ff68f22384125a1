"""A writer blocked by another writer's lock says so, and gives up after the lock timeout (issue 16, defect 5).

The test holds the write lock itself (PostgreSQL: the thread's advisory lock
in an open transaction; SQLite: ``BEGIN IMMEDIATE``) and runs the real
command with ``NEGOTRACK_LOCK_TIMEOUT`` set.  Before, PostgreSQL waited
forever without a word (the guard below would kill it).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from procs import env, negotrack

from negotrack.store.db import _lock_id


@contextmanager
def lock_held(backend, thread: str = "harbour") -> Iterator[threading.Event]:
    """Hold the write lock of ``thread`` until the event yielded is set (or the block ends)."""
    release = threading.Event()
    taken = threading.Event()

    def hold() -> None:
        if backend.name == "sqlite":
            import sqlite3

            conn = sqlite3.connect(backend.root / backend.db, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            taken.set()
            release.wait(60)
            conn.execute("ROLLBACK")
            conn.close()
        else:
            from sqlalchemy import create_engine, text

            engine = create_engine(backend.url())
            with engine.connect() as conn, conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_id(thread)})
                taken.set()
                release.wait(60)
            engine.dispose()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(30), "could not take the lock"
    try:
        yield release
    finally:
        release.set()
        holder.join(30)


def run(backend, *args: str, timeout: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        negotrack(*args, "--db", backend.db), cwd=backend.root, env={**env(), "NEGOTRACK_LOCK_TIMEOUT": timeout},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def waiting_line(backend, timeout: str) -> str:
    what = backend.display() if backend.name == "sqlite" else "thread 'harbour'"
    return f"negotrack: waiting for another writer of {what} to finish (up to {timeout} s)..."


@pytest.mark.parametrize("command", [("ingest", "more.yaml"), ("rebuild",)])
def test_a_writer_gives_up_after_the_lock_timeout_with_nothing_written(backend, command: tuple[str, ...]):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(
        "  - {id: bo-early, type: PositionStated, date: 2024-01-15, by: BO, issue: fishing, stance: opposes,\n"
        "     summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    before = backend.sql("SELECT originator_id, originator_version, topic FROM stored_events ORDER BY 1, 2")
    with lock_held(backend):
        started = time.monotonic()
        result = run(backend, *command, timeout="1.5")
        waited = time.monotonic() - started
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    what = backend.display() if backend.name == "sqlite" else f"thread 'harbour' of {backend.display()}"
    assert result.stderr == (
        f"{waiting_line(backend, '1.5')}\n"
        f"Error: another writer held {what} for more than 1.5 s; nothing was written "
        "(try again, or wait longer: NEGOTRACK_LOCK_TIMEOUT=SECONDS)\n"
    )
    assert waited >= 1.5
    assert backend.sql("SELECT originator_id, originator_version, topic FROM stored_events ORDER BY 1, 2") == before


def test_a_writer_says_what_it_waits_for_then_goes_on_when_the_lock_is_released(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(
        "  - {id: bo-early, type: PositionStated, date: 2024-01-15, by: BO, issue: fishing, stance: opposes,\n"
        "     summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    with lock_held(backend) as release:
        # release the lock once the writer says it waits (not after a fixed delay: a loaded machine starts it late)
        proc = subprocess.Popen(
            negotrack("ingest", "more.yaml", "--db", backend.db), cwd=backend.root,
            env={**env(), "NEGOTRACK_LOCK_TIMEOUT": "30"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        first = proc.stderr.readline()
        release.set()
        out, rest = proc.communicate(timeout=60)
    assert proc.returncode == 0, first + rest
    assert first + rest == waiting_line(backend, "30") + "\n"
    assert out == f"harbour: 1 new event\nRecorded in {backend.display()}.\n"


def test_a_lock_timeout_that_is_not_a_number_is_a_usage_error(backend):
    result = run(backend, "ingest", "harbour.yaml", timeout="soon")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "Error: NEGOTRACK_LOCK_TIMEOUT: 'soon' is not a number of seconds (0 to 86400)\n"
