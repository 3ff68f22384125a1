"""The invariants of the store and of "as of", as properties of generated valid timelines.

Each example ingests a generated timeline (valid by construction, see
``valid_timelines``) into fresh temporary SQLite stores through the service
layer, with the clock frozen at each batch's recorded time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from freezegun import freeze_time
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from valid_timelines import Timeline, clock, dump_store, timelines

from negotrack.app import ingest as app_ingest
from negotrack.app import queries
from negotrack.app.queries import Query
from negotrack.store import checkpoints
from negotrack.store.recorder import forget
from negotrack.store.store import Store

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
MICRO = timedelta(microseconds=1)


class Stores:
    """Temporary SQLite stores for one example, closed and deleted afterwards."""

    def __init__(self, root: Path):
        self.root = root
        self.urls: list[str] = []

    def new(self, name: str) -> tuple[str, Path]:
        path = self.root / f"{name}.db"
        url = f"sqlite:///{path}"
        self.urls.append(url)
        return url, path

    def ingest(self, url: str, tl: Timeline, *, batches: bool = True, skip_retractions: bool = False) -> None:
        folder = self.root / f"in-{len(self.urls)}-{Path(url).stem}"
        folder.mkdir(exist_ok=True)
        count = tl.batch_count if batches else 1
        for b in range(count):
            events = tl.batch(b) if batches else list(tl.events)
            if skip_retractions:
                events = [e for e in events if e["type"] != "ReportRetracted"]
            path = tl.write(folder, events, f"b{b}.json", first=b == 0)
            with freeze_time(clock(b)):
                app_ingest.ingest(Store(url), [path])


@contextmanager
def stores() -> Iterator[Stores]:
    with tempfile.TemporaryDirectory() as tmp:
        s = Stores(Path(tmp))
        try:
            yield s
        finally:
            for url in s.urls:
                forget(url)


def state(url: str, as_of: str, known_at: datetime | None = None) -> dict:
    return queries.state(Store.open(url), Query("t", as_of, known_at, None))


def known_ats(tl: Timeline) -> list[datetime | None]:
    out: list[datetime | None] = [None]
    for b in range(tl.batch_count):
        out += [clock(b) - MICRO, clock(b)]
    return out


@SETTINGS
@given(timelines())
def test_ingesting_the_same_input_twice_leaves_the_same_store_as_once(tl: Timeline):
    with stores() as s:
        url, path = s.new("a")
        s.ingest(url, tl)
        once = dump_store(path)
        s.ingest(url, tl)  # every file again, later
        assert dump_store(path) == once


@SETTINGS
@given(timelines())
def test_splitting_an_input_across_ingests_gives_the_same_state_as_one_ingest(tl: Timeline):
    assume(tl.batch_count > 1)
    with stores() as s:
        whole, _ = s.new("whole")
        split, _ = s.new("split")
        s.ingest(whole, tl, batches=False)
        s.ingest(split, tl)
        for as_of in tl.dates():
            assert state(split, as_of) == state(whole, as_of), as_of


@SETTINGS
@given(timelines())
def test_the_read_model_answers_as_a_full_replay_of_the_aggregate_does(tl: Timeline):
    with stores() as s:
        url, _ = s.new("a")
        s.ingest(url, tl)
        for known_at in known_ats(tl):
            for as_of in tl.dates():
                q = Query("t", as_of, known_at, None)
                assert queries.state(Store.open(url), q) == queries.state_by_replay(Store.open(url), q), (as_of, known_at)


@SETTINGS
@given(timelines())
def test_as_the_date_grows_items_stay_in_view_and_answers_change_only_by_later_events(tl: Timeline):
    with stores() as s:
        url, _ = s.new("a")
        s.ingest(url, tl)
        for known_at in known_ats(tl):
            dates = tl.dates()
            for d1, d2 in zip(dates, dates[1:]):
                before, after = state(url, d1, known_at)["issues"], state(url, d2, known_at)["issues"]
                for key, issue in before.items():
                    for item_id, item in issue["items"].items():
                        later = after[key]["items"].get(item_id)
                        assert later is not None, f"{item_id} left view between {d1} and {d2}"
                        for party, answer in item["responses"].items():
                            assert party in later["responses"], f"{party}'s answer to {item_id} vanished"
                        for party, answer in later["responses"].items():
                            if item["responses"].get(party) != answer:
                                assert answer["date"] > d1, f"{item_id}: {party}'s answer changed by an old event"
                        if item["status"] != later["status"]:
                            assert later["status"] != "open"


@SETTINGS
@given(timelines())
def test_a_retraction_recorded_at_t_changes_nothing_known_before_t(tl: Timeline):
    retractions = [b for e, b in zip(tl.events, tl.batches, strict=True) if e["type"] == "ReportRetracted"]
    assume(retractions)
    first = clock(min(retractions))
    with stores() as s:
        with_r, _ = s.new("with")
        without, _ = s.new("without")
        s.ingest(with_r, tl)
        s.ingest(without, tl, skip_retractions=True)
        for known_at in [first - MICRO, *[clock(b) for b in range(min(retractions))]]:
            for as_of in tl.dates():
                assert state(with_r, as_of, known_at) == state(without, as_of, known_at), (as_of, known_at)


@SETTINGS
@given(timelines(max_events=16, max_batches=4), st.randoms(use_true_random=False))
def test_checkpoints_of_the_fold_answer_as_a_full_replay_while_late_reports_and_retractions_arrive(tl, rnd):
    """With a checkpoint after every event, queries between batches (dates in random order) keep
    making checkpoints that later batches must invalidate: late reports, retractions, new answers."""
    every = checkpoints.EVERY
    checkpoints.EVERY = 1
    try:
        with stores() as s:
            url, _ = s.new("a")
            folder = s.root / "batches"
            folder.mkdir()
            for b in range(tl.batch_count):
                path = tl.write(folder, tl.batch(b), f"b{b}.json", first=b == 0)
                with freeze_time(clock(b)):
                    app_ingest.ingest(Store(url), [path])
                dates = tl.dates()
                rnd.shuffle(dates)
                for as_of in dates:
                    q = Query("t", as_of, None, None)
                    assert queries.state(Store.open(url), q) == queries.state_by_replay(Store.open(url), q), (b, as_of)
                in_view = any(i["last_event"] for i in state(url, "2024-12-31")["issues"].values())
                with Store.open(url).db.transaction() as conn:
                    assert bool(checkpoints.stored(conn, "t")) == in_view, "the queries saved no checkpoint"
                start, end = sorted(rnd.sample(tl.dates(), 2))
                assert queries.diff(Store.open(url), Query("t", end), start) == _diff_by_replay(url, start, end)
    finally:
        checkpoints.EVERY = every


def _diff_by_replay(url: str, start: str, end: str) -> dict:
    from negotrack.domain.state import diff_views

    before = queries.state_by_replay(Store.open(url), Query("t", start))["issues"]
    after = queries.state_by_replay(Store.open(url), Query("t", end))["issues"]
    changes = [c.as_dict() for c in diff_views(before, after)]
    return {"thread": "t", "from": start, "to": end, "known_at": None, "changes": changes}
