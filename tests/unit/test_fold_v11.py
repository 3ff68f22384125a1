"""Contract v1.1's order within a day (§5 rule 3: date, order, time with untimed first, recording order), on the fold alone."""

from __future__ import annotations

import random

from negotrack.domain.state import IssueInfo, Rec, select, state_as_of


def rec(id: str, date: str, seq: int, **body) -> Rec:
    return Rec(id=id, type="PositionStated", date=date, seq=seq, recorded_at="2024-06-01T00:00:00.000000Z",
               party="AV", body={"id": id, "type": "PositionStated", "issue": "port", "stance": "supports", **body})  # fmt: skip


def applied(recs: list[Rec]) -> list[str]:
    return [r.id for r in select(recs, "2099-12-31")]


def test_without_order_or_time_the_order_is_version_1s_date_then_recording_order():
    recs = [rec(f"e{i}", f"2024-01-{1 + i % 3:02d}", i) for i in range(30)]
    shuffled = recs[:]
    random.Random(7).shuffle(shuffled)
    assert applied(shuffled) == [r.id for r in sorted(recs, key=lambda r: (r.date, r.seq))]


def test_order_then_time_then_recording_order_within_a_date():
    recs = [
        rec("timed-late", "2024-01-02", 1, time="18:00"),
        rec("plain-1", "2024-01-02", 2),
        rec("timed-early", "2024-01-02", 3, time="08:00"),
        rec("first", "2024-01-02", 4, order=-1, time="23:59"),
        rec("plain-2", "2024-01-02", 5),
        rec("last", "2024-01-02", 6, order=1),
        rec("day-before", "2024-01-01", 7, order=5, time="23:00"),  # order never crosses a date
        rec("day-after", "2024-01-03", 8, order=-5),
    ]
    assert applied(recs) == [
        "day-before", "first", "plain-1", "plain-2", "timed-early", "timed-late", "last", "day-after",
    ]  # fmt: skip


def test_the_order_is_the_same_whatever_order_the_records_come_in():
    recs = [rec(f"e{i}", "2024-01-02", i, **({"time": f"{i % 5:02d}:00"} if i % 2 else {}), **({"order": i % 3 - 1} if i % 4 == 0 else {}))
            for i in range(40)]  # fmt: skip
    first = applied(recs)
    for seed in range(5):
        shuffled = recs[:]
        random.Random(seed).shuffle(shuffled)
        assert applied(shuffled) == first


def test_the_stance_is_that_of_the_event_applied_last_in_the_day():
    recs = [
        rec("evening", "2024-01-02", 1, time="18:00", stance="opposes"),
        rec("morning", "2024-01-02", 2, time="08:00", stance="supports"),
    ]
    issues = state_as_of(recs, {"port": IssueInfo("Port")}, "2024-01-02")
    assert issues["port"]["stances"]["AV"]["event"] == "evening"
