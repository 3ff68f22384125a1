"""The timeline's rows from plain records, without a store (``domain.timeline_view``)."""

from __future__ import annotations

from typing import Any

from negotrack.domain.state import Rec
from negotrack.domain.timeline_view import timeline_rows

SOURCES = {"s1": {"id": "s1", "title": "Agency wire", "reliability": "high"}}
T0 = "2025-06-01T00:00:00.000000Z"


def rec(seq: int, id: str, type: str, date: str | None, party: str | None = None, **body: Any) -> Rec:
    return Rec(id, type, date, seq, T0, party, {"id": id, "type": type, **({"date": date} if date else {}), **body})


def thread() -> list[Rec]:
    """Recorded out of date order, an answer, a retraction of it, v1.1's order and time, an unknown source."""
    return [
        rec(1, "demand", "DemandIssued", "2025-03-02", "AA", by="aa-envoy", issue="ports", demand="open the ports",
            source=[{"ref": "s1", "quote": "open"}, {"ref": "s9"}]),
        rec(2, "late-background", "PositionStated", "2025-03-02", "BB", by="BB", issue="border", stance="opposes",
            order=-1, precision="month"),
        rec(3, "rejects", "Rejected", "2025-03-05", "BB", by="BB", ref="demand", reason="no"),
        rec(4, "timed", "PositionStated", "2025-03-02", "AA", by="AA", issue="border", stance="supports", time="09:30"),
        rec(5, "oops", "ReportRetracted", None, ref="rejects", reason="misreported"),
        rec(6, "early", "PositionStated", "2025-01-10", "AA", by="AA", issue="border", stance="supports"),
        rec(7, "oops-early", "ReportRetracted", None, ref="early", reason="wrong date"),
    ]  # fmt: skip


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def test_rows_come_in_rule_3_order_with_each_retraction_at_the_end():
    rows = timeline_rows(thread(), SOURCES)
    # by date, then order (-1 first), then time (none first), then recording order; retractions by recording order
    assert ids(rows) == ["early", "late-background", "demand", "timed", "rejects", "oops", "oops-early"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["rejects"]["retracted_by"] == "oops" and by_id["demand"]["retracted_by"] is None
    assert by_id["oops"]["issues"] == [] and by_id["oops"]["ref"] == "rejects"


def test_a_row_holds_what_the_json_shows():
    row = next(r for r in timeline_rows(thread(), SOURCES) if r["id"] == "demand")
    assert row["party"] == "AA" and row["by"] == "aa-envoy" and row["issues"] == ["ports"]
    assert row["precision"] == "day" and row["recorded_at"] == T0
    assert row["sources"] == [
        {"ref": "s1", "quote": "open", "title": "Agency wire", "reliability": "high"},
        {"ref": "s9", "quote": None, "title": None, "reliability": None},  # not declared: nothing to show
    ]
    background = next(r for r in timeline_rows(thread(), SOURCES) if r["id"] == "late-background")
    assert background["precision"] == "month" and background["order"] == -1 and "time" not in background
    assert background["body"]["stance"] == "opposes"


def test_an_answer_touches_its_items_issues():
    rows = timeline_rows(thread(), SOURCES, issue="ports")
    assert ids(rows) == ["demand", "rejects", "oops"]
    assert rows[1]["issues"] == ["ports"]


def test_party_and_date_filters_and_a_retraction_goes_with_its_target():
    assert ids(timeline_rows(thread(), SOURCES, party="BB")) == ["late-background", "rejects", "oops"]
    assert ids(timeline_rows(thread(), SOURCES, party="aa-envoy")) == ["demand"]  # by `by` too
    # the retracted answer is outside the dates: its retraction is not listed either
    assert ids(timeline_rows(thread(), SOURCES, start="2025-02-01", end="2025-03-02")) == [
        "late-background", "demand", "timed",
    ]  # fmt: skip
    assert ids(timeline_rows(thread(), SOURCES, end="2025-01-31")) == ["early", "oops-early"]


def test_the_order_the_records_come_in_does_not_matter():
    assert timeline_rows(list(reversed(thread())), SOURCES) == timeline_rows(thread(), SOURCES)
