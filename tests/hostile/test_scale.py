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


@pytest.mark.slow
def test_thousands_of_missing_quotes_in_a_big_source_are_refused_in_linear_time(tmp_path: Path):
    """3,000 quotes a 4 MB source lacks: the nearest passage (dozens of scans of the source each) is looked for
    in the first 50 only: 32 s of CPU when every one was searched; 3.6 s now."""
    from negotrack.domain.limits import MAX_NEAREST_SEARCHES

    words = " ".join(f"Avalon spoke on day {i} of the talks." for i in range(110_000))
    (tmp_path / "wire.txt").write_text(words[: 4 * 1024 * 1024 - 1])
    head = {
        "negotrack": 1,
        "thread": {"id": "big", "title": "Big", "parties": {"AV": {"name": "Avalon"}}, "issues": {"x": {"title": "X"}}},
        "sources": {"w": {"path": "wire.txt", "published": "2024-01-01"}},
    }
    events = [
        {"id": f"e{i}", "type": "PositionStated", "date": "2024-01-01", "by": "AV", "issue": "x", "stance": "supports",
         "summary": "s", "source": {"ref": "w", "quote": f"Quebec never said {i}"}}
        for i in range(3_000)
    ]  # fmt: skip
    (tmp_path / "big.ndjson").write_text("\n".join(json.dumps(x) for x in [head, *events]) + "\n")
    result = run_negotrack(tmp_path, "ingest", "--db", "s.db", "big.ndjson", cpu=15, address_space=2 * GB)
    assert result.code == 2, result.stderr or f"killed: exit {result.code}"
    lines = [line.strip() for line in result.stderr.splitlines() if line.startswith("  big.ndjson")]
    assert len(lines) == 3_000
    told = "the quote does not appear in source 'w'; no passage of the source is close to it"
    capped = (
        "the quote does not appear in source 'w' (the nearest passage is looked for "
        f"in the first {MAX_NEAREST_SEARCHES} missing quotes of an input only)"
    )
    assert lines[0] == f"big.ndjson: event e0: `source`: {told}"
    assert lines[MAX_NEAREST_SEARCHES - 1].endswith(told)
    assert lines[MAX_NEAREST_SEARCHES] == f"big.ndjson: event e{MAX_NEAREST_SEARCHES}: `source`: {capped}"
    assert "nothing was written" in result.stderr
