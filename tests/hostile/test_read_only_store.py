"""A store in a folder this user may only read can still be queried (issue 16, defect 10).

SQLite must not try to write it (WAL set-up, ``-shm`` file): it is opened
read-only, and a write is refused with a message.  The real command runs in a
child process; as root (whom file modes don't stop) the child runs as
``nobody``, through ``setpriv``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_support import write_project

NOBODY = 65534


@pytest.fixture
def read_only_store() -> Iterator[Path]:
    """A store with the harbour thread, in a folder made read-only (as are the store and the timeline)."""
    folder = Path(tempfile.mkdtemp(prefix="negotrack-ro-"))  # not under pytest's root-only tmp folder
    os.chmod(folder, 0o755)
    timeline = write_project(folder)
    assert run(folder, "ingest", "--db", "store.db", timeline.name, as_nobody=False).returncode == 0
    for f in folder.iterdir():
        os.chmod(f, 0o444)
    os.chmod(folder, 0o555)
    yield folder / "store.db"
    os.chmod(folder, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def run(cwd: Path, *args: str, as_nobody: bool = True) -> subprocess.CompletedProcess[str]:
    """The real command; as root, as ``nobody`` (through ``setpriv``), so that file modes apply."""
    prefix: list[str] = []
    if as_nobody and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("run as root without setpriv: file modes can't be made to apply")
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {k: v for k, v in os.environ.items() if k not in ("NEGOTRACK_DB", "NEGOTRACK_SOURCES_ROOT")}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "negotrack", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_store_in_a_read_only_folder_can_be_queried(read_only_store: Path):
    folder = read_only_store.parent
    before = sorted(p.name for p in folder.iterdir())
    for args in (["state", "harbour", "--json"], ["verify"]):
        result = run(folder, *args, "--db", str(read_only_store))
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert "fishing" in run(folder, "state", "harbour", "--db", str(read_only_store)).stdout
    assert sorted(p.name for p in folder.iterdir()) == before  # no -wal, no -shm left


def test_a_write_to_a_read_only_store_is_refused_with_a_message(read_only_store: Path):
    folder = read_only_store.parent
    more = folder / "more.yaml"
    for args in (["rebuild"], ["ingest", str(more)]):
        if args[0] == "ingest":
            os.chmod(folder, 0o755)
            more.write_text(
                "negotrack: 1\nthread: {id: harbour}\nevents:\n"
                "  - {id: bo-opposes, type: PositionStated, date: 2024-02-01, by: BO, issue: fishing, stance: opposes,\n"
                "     summary: Borealis opposes, source: {ref: hw, quote: Borealis proposed a joint fishing zone.}}\n"
            )
            os.chmod(more, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.chmod(folder, 0o555)
        result = run(folder, *args, "--db", str(read_only_store))
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "is read-only for this user (its file or its folder is not writable): it can be queried, not written" in result.stderr
        assert "internal error" not in result.stderr
