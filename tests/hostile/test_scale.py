"""Inputs that are large rather than malformed: they must cost time and memory in proportion (issue 16).

Each runs the real command in a child process under RLIMIT_CPU and
RLIMIT_AS (see ``hostile_support.run_negotrack``): a quadratic step or an
unbounded allocation kills the child and fails the test; nothing here times
anything with a clock.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_support import run_negotrack

GB = 1024**3


@pytest.mark.slow
def test_100000_declarations_are_recorded_in_linear_time(tmp_path: Path):
    """50,000 parties and 50,000 issues: 25 s of CPU when each declaration copied the thread; about 4.5 s now."""
    n = 50_000
    doc = {
        "negotrack": 1,
        "thread": {
            "id": "many",
            "title": "Many",
            "parties": {f"p{i}": {"name": f"Party {i}"} for i in range(n)},
            "issues": {f"i{i}": {"title": f"Issue {i}"} for i in range(n)},
        },
        "events": [],
    }
    (tmp_path / "many.json").write_text(json.dumps(doc))
    result = run_negotrack(tmp_path, "ingest", "--db", "s.db", "many.json", cpu=8, address_space=2 * GB)
    assert result.code == 0, result.stderr or f"killed: exit {result.code}"
    assert result.stdout == "many: 0 new events, 100000 declarations\nRecorded in s.db.\n"
    again = run_negotrack(tmp_path, "ingest", "--db", "s.db", "many.json", cpu=8, address_space=2 * GB)
    assert again.stdout == "many: 0 new events\nNothing to write: the store s.db already has all of it.\n"
