"""Contract §5 rule 1 is stated once (``domain.state.InView``): the read model's SQL picks the rows the fold's Python picks.

On random small threads (dates known to the day, week, month or year; v1.1's
``order`` and ``time``; answers and retractions; record instants that often
tie) and random as-of dates, ``--known-at`` instants and checkpoint dates,
the rows ``readmodel.records``/``dated_records``/``retractions`` return on
SQLite (and PostgreSQL, when a server answers) are exactly, and in the same
order, those ``InView.admit`` lets through; rule 1 written out plainly from
the contract picks the same; and the events in view through the store (both
query paths: folded from the start, and streamed as the checkpoints fold)
are those :func:`~negotrack.domain.state.select` picks from the whole thread.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from negotrack.domain.state import InView, Rec, in_apply_order, not_retracted, retracted_by, select
from negotrack.domain.vocabulary import ANSWERS, ITEM_KINDS, RETRACTION, VOCABULARY
from negotrack.store import readmodel
from negotrack.store.readmodel import body_json
from negotrack.store.store import Store
from negotrack.store.tables import rm_events

SLUG = "t"
FIRST_DAY = date(2025, 1, 1)
DAYS = [(FIRST_DAY + timedelta(days=n)).isoformat() for n in range(0, 100, 3)]  # few: as-of dates often hit one
# record instants in the fixed-width form the read model keeps, a microsecond apart at times (ties and near misses)
INSTANTS = [f"2025-06-01T0{h}:00:00.00000{u}Z" for h in range(4) for u in (0, 1)]
PRECISIONS = ["day", "week", "month", "year"]
TYPES = sorted(VOCABULARY)  # every type: items, answers, agreements, retractions


@st.composite
def threads(draw: st.DrawFn) -> list[Rec]:
    """A thread's recorded statements, in recording order (``seq`` 1, 2, ...), as the fold's inputs."""
    recs: list[Rec] = []
    for seq in range(1, draw(st.integers(0, 12)) + 1):
        kind = draw(st.sampled_from(TYPES))
        earlier = [r.id for r in recs]
        items = [r.id for r in recs if r.type in ITEM_KINDS]
        body: dict[str, Any] = {"id": f"e{seq}", "type": kind}
        if kind == RETRACTION:
            if not earlier:
                continue
            body["ref"] = draw(st.sampled_from(earlier))
            day = None
        else:
            body["by"] = draw(st.sampled_from(["AA", "BB"]))
            day = draw(st.sampled_from(DAYS))
            body["date"] = day
            precision = draw(st.sampled_from(PRECISIONS))
            if precision != "day":
                body["precision"] = precision
            if draw(st.booleans()):
                body["order"] = draw(st.integers(-2, 2))
            if precision == "day" and draw(st.booleans()):
                body["time"] = draw(st.sampled_from(["00:00", "09:30", "23:59"]))
            if kind in ANSWERS:
                if not items:
                    continue
                body["ref"] = draw(st.sampled_from(items))
            else:
                body["issue"] = "i1"
        recorded_at = draw(st.sampled_from(INSTANTS))
        recs.append(Rec(body["id"], kind, day, seq, recorded_at, body.get("by"), body))
    return recs


views = st.builds(
    InView,
    as_of=st.none() | st.sampled_from(DAYS) | st.sampled_from(["2024-12-31", "2025-12-31"]),
    known_at=st.none() | st.sampled_from(INSTANTS) | st.just("2025-06-01T01:59:59.999999Z"),
    since=st.none() | st.sampled_from(DAYS),
)


def stored_order(recs: list[Rec]) -> list[Rec]:
    """The order ``readmodel.records`` gives: dated ones by date then recording order, then the retractions."""
    dated = sorted((r for r in recs if r.date is not None), key=lambda r: (r.date, r.seq))
    return dated + [r for r in recs if r.date is None]


def rule_1(view: InView, r: Rec) -> bool:
    """§5 rule 1 as the contract words it: recorded at or before T; and (a dated statement) dated on or before D."""
    if view.known_at is not None and not r.recorded_at <= view.known_at:
        return False
    if r.date is None:  # a retraction: its known-at alone (rule 2)
        return True
    return (view.as_of is None or r.date <= view.as_of) and (view.since is None or r.date > view.since)


def row(r: Rec) -> dict[str, Any]:
    return {
        "thread": SLUG, "event_id": r.id, "seq": r.seq, "type": r.type, "date": r.date, "recorded_at": r.recorded_at,
        "party": r.party, "ref": r.body.get("ref"), "issues": "|i1|", "digest": "0" * 64, "body": body_json(r.body),
    }  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Store:
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    return Store.open(url, create=True)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(recs=threads(), view=views)
def test_the_store_admits_what_the_rule_admits(store: Store, recs: list[Rec], view: InView) -> None:
    whole = stored_order(recs)
    admitted = view.admit(whole)
    assert admitted == [r for r in whole if rule_1(view, r)]
    with store.db.engine.connect() as conn:
        tx = conn.begin()
        try:
            if recs:
                conn.execute(insert(rm_events), [row(r) for r in recs])
            kw = {"as_of": view.as_of, "known_at": view.known_at, "since": view.since}
            assert readmodel.records(conn, SLUG, **kw) == admitted
            assert list(readmodel.dated_records(conn, SLUG, **kw)) == [r for r in admitted if r.date is not None]
            assert readmodel.retractions(conn, SLUG, view.known_at) == [r for r in admitted if r.date is None]
            if view.as_of is not None:
                # the events in view, as `state --known-at` folds them (from the start) ...
                in_view = select(recs, view.as_of, view.known_at)
                assert select(readmodel.records(conn, SLUG, as_of=view.as_of, known_at=view.known_at), view.as_of,
                              view.known_at) == in_view  # fmt: skip
                if view.known_at is None:  # ... and as the checkpoints stream them (`state` without --known-at)
                    retracted = retracted_by(readmodel.retractions(conn, SLUG))
                    streamed = not_retracted(in_apply_order(readmodel.dated_records(conn, SLUG, as_of=view.as_of)), retracted)
                    assert list(streamed) == in_view
        finally:
            tx.rollback()


def test_precision_plays_no_part_in_view() -> None:
    """A statement known only to the month (or year) is in view from the day written, and not before (v1.1 B)."""
    body = {"id": "e1", "type": "PositionStated", "by": "AA", "issue": "i1", "date": "2025-03-01", "precision": "month"}
    rec = Rec("e1", "PositionStated", "2025-03-01", 1, INSTANTS[0], "AA", body)
    assert InView(as_of="2025-03-01").admit([rec]) == [rec]
    assert InView(as_of="2025-02-28").admit([rec]) == []
