"""The query use cases on a scratch store: state, diff, replay, timeline, sources."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from app_support import RETRACTION, TIMELINE, write
from freezegun import freeze_time

from negotrack.app import ingest, queries
from negotrack.app.queries import Query
from negotrack.errors import NotFound, UsageError
from negotrack.store.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lake")
    store = Store.scratch()
    import negotrack.domain.rules  # noqa: F401  (pydantic's models are built before the clock is frozen)
    import negotrack.store.application  # noqa: F401

    with freeze_time("2024-03-01T12:00:00Z"):
        ingest.ingest(store, [write(folder, "lake.yaml", TIMELINE)])
    with freeze_time("2024-04-01T12:00:00Z"):
        ingest.ingest(store, [write(folder, "retraction.yaml", RETRACTION)])
    return store


def test_the_state_as_of_a_date_folds_the_events_up_to_it(store):
    water = queries.state(store, Query("lake", "2024-02-03"))["issues"]["water"]
    assert water["status"] == "contested"
    assert water["items"]["no-demand"]["responses"] == {}
    assert queries.state(store, Query("lake", "2024-01-31"))["issues"]["water"]["status"] == "not-raised"


def test_a_retraction_takes_its_report_out_of_view_but_not_before_it_was_known(store):
    now = queries.state(store, Query("lake", "2024-12-31"))["issues"]["water"]["items"]["no-demand"]
    assert now["responses"] == {}
    then = Query("lake", "2024-12-31", datetime(2024, 3, 15, tzinfo=timezone.utc))
    doc = queries.state(store, then)
    assert doc["known_at"] == "2024-03-15T00:00:00Z"
    assert doc["issues"]["water"]["items"]["no-demand"]["responses"]["SO"]["response"] == "rejected"


def test_state_agrees_with_a_full_replay_of_the_events(store):
    for as_of in ("2024-02-01", "2024-02-05", "2024-12-31"):
        for known_at in (None, datetime(2024, 3, 15, tzinfo=timezone.utc)):
            q = Query("lake", as_of, known_at)
            assert queries.state(store, q) == queries.state_by_replay(store, q)


def test_one_issue_alone_and_an_unknown_issue(store):
    assert list(queries.state(store, Query("lake", "2024-12-31", issue="boats"))["issues"]) == ["boats"]
    with pytest.raises(UsageError, match="has no issue 'fish'"):
        queries.state(store, Query("lake", "2024-12-31", issue="fish"))


def test_an_unknown_thread_names_the_threads_there_are(store):
    with pytest.raises(NotFound, match=r"no thread 'sea' in the store \(threads: lake\)"):
        queries.state(store, Query("sea", "2024-12-31"))


def test_diff_lists_what_changed_between_two_dates(store):
    doc = queries.diff(store, Query("lake", "2024-02-10"), "2024-02-01")
    assert {(c["issue"], c["what"], c["subject"]) for c in doc["changes"]} >= {
        ("water", "stance", "SO"),
        ("water", "status", "water"),
        ("boats", "stance", "NO"),
    }
    with pytest.raises(UsageError, match="is after TO"):
        queries.diff(store, Query("lake", "2024-02-01"), "2024-02-10")


def test_replay_steps_through_the_events_in_view(store):
    steps = list(queries.replay(store, Query("lake", "2024-12-31")))
    assert [r.id for r, _ in steps] == ["no-demand", "so-opposes", "no-boats"]


def test_the_timeline_filters_by_issue_party_and_dates_and_shows_retractions(store):
    rows = queries.timeline(store, "lake")
    assert [r["id"] for r in rows] == ["no-demand", "so-opposes", "so-rejects", "no-boats", "oops"]
    assert next(r for r in rows if r["id"] == "so-rejects")["retracted_by"] == "oops"
    assert [r["id"] for r in queries.timeline(store, "lake", issue="boats")] == ["no-boats"]
    assert [r["id"] for r in queries.timeline(store, "lake", party="SO", end="2024-02-04")] == ["so-opposes"]
