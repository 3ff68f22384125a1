"""Record-time questions at the edges of the calendar (issue 16, defect 6), on both backends.

Years below 1000 were written with fewer than four digits (``225-12-01…``),
which sorts after ``2026-…``: ``--known-at 0225-12-01`` saw everything. The
ends of the range raised ``OverflowError`` (an internal error, exit 1).
"""

from __future__ import annotations

import pytest


def test_known_at_a_year_below_1000_knows_nothing_recorded_since(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    doc = backend.state("harbour", "--as-of", "2024-12-31", "--known-at", "0225-12-01")
    assert doc["known_at"] == "0225-12-01T23:59:59.999999Z"
    assert doc["issues"]  # the thread's issues, each with nothing known of it
    assert {(v["status"], v["last_event"], str(v["stances"]), str(v["items"])) for v in doc["issues"].values()} == {
        ("not-raised", None, "{}", "{}")
    }
    timeline = backend.run("timeline", "harbour", "--known-at", "0999-06-01T12:00:00+01:00")
    assert (timeline.exit_code, timeline.stdout) == (0, "harbour: no events match.\n")


def test_known_at_the_last_day_of_the_range_knows_everything(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    doc = backend.state("harbour", "--as-of", "2024-12-31", "--known-at", "9999-12-31")
    assert doc["known_at"] == "9999-12-31T23:59:59.999999Z"
    assert doc == {**backend.state("harbour", "--as-of", "2024-12-31"), "known_at": "9999-12-31T23:59:59.999999Z"}


@pytest.mark.parametrize(
    ("value", "side"),
    [
        ("9999-12-31T23:59:59-05:00", "after 9999-12-31T23:59:59.999999Z"),
        ("0001-01-01T00:00:00+05:00", "before 0001-01-01T00:00:00Z"),
    ],
)
@pytest.mark.parametrize("command", ["state", "timeline", "replay"])
def test_an_instant_outside_the_range_is_a_usage_error(backend, value: str, side: str, command: str):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    result = backend.run(command, "harbour", "--known-at", value)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: --known-at: instant {value!r} is out of range: in UTC it falls {side}\n"
