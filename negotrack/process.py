"""The ``negotrack`` program's process: what holds only when a command is its own process.

Everything here is skipped when :data:`negotrack.cli.cli` runs inside another
program (click's test runner, pytest, a notebook): only :func:`main`, the
console script, turns it on.

- The cyclic garbage collector is off for the whole command: an ingest or a fold
  allocates millions of objects that live until the end and make next to no
  reference cycles, so each automatic collection walks them all for nothing;
  what is dropped is freed by reference counting.  Measured (CPU time, median
  of 3 interleaved runs, 20,000-event NDJSON, loaded 2-core machine): ingest
  1.79 s against 1.95 s with it on (8%), a cold ``state --json`` 0.69 s
  against 1.03 s (33%).
- The process ends normally (no ``os._exit``): the store's connections are
  closed (on SQLite, that checkpoints the WAL), the output flushed, and the
  interpreter exits, running its own teardown.  Nothing is kept alive for the
  end (an ingest frees what it read when it returns), and the objects still
  alive then (the loaded modules, mostly) are moved out of the cyclic
  collector's reach with the documented ``gc.freeze()``, so the interpreter's
  collections at exit do not walk them all again: teardown of a cold
  ``state --json`` 0.14 -> 0.02 s, of a 100,000-event ingest 0.45 -> 0.15 s
  (CPU, 2 runs each, loaded 2-core machine; the whole command with
  ``os._exit`` instead: see the git log of this file).
- The crash tests' pause point: with ``NEGOTRACK_TEST_PAUSE_AT=ingest-before-commit``,
  an ingest writes its pid to the file ``NEGOTRACK_TEST_PAUSE_FILE`` and waits,
  inside its write transaction, until killed.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

PAUSE_ENV = "NEGOTRACK_TEST_PAUSE_AT"
PAUSE_FILE_ENV = "NEGOTRACK_TEST_PAUSE_FILE"


def main(cli: Any) -> None:
    """Run the command line as the process, then end it with the command's exit code."""
    gc.disable()  # speed: see the module's docstring
    if os.environ.get(PAUSE_ENV) == "ingest-before-commit":
        from negotrack.store import store

        store.BEFORE_COMMIT.append(_pause)
    try:
        cli.main(prog_name="negotrack")
        code: Any = 0
    except SystemExit as e:
        code = e.code
    _end(code)


def _pause() -> None:
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:  # written whole, then renamed: the test waiting for it never reads it half-written
        Path(f"{marker}.part").write_text(str(os.getpid()), encoding="utf-8")
        os.replace(f"{marker}.part", marker)
    while True:
        time.sleep(1)


def _end(code: Any) -> None:
    """End the process with ``code`` (as ``sys.exit`` takes it), once the store is closed and the output flushed.

    The transaction is committed and the output written by now; the store's
    connections are closed here (on SQLite, that checkpoints the WAL).  Output
    to a reader that went away (``negotrack state … | head``) is dropped
    quietly, as before: standard output is pointed at the null device, so the
    interpreter's own last flush has nothing to complain of.
    """
    if "negotrack.store.db" in sys.modules:
        from negotrack.store.db import dispose_engines

        dispose_engines()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
    gc.freeze()  # speed: see the module's docstring
    sys.exit(code)
