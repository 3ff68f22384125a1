"""The ingest use case on a scratch store: all or nothing, re-ingests skipped, conflicts retried."""

from __future__ import annotations

import pytest
from app_support import RETRACTION, TIMELINE, write

from negotrack.app import ingest, queries
from negotrack.errors import ConcurrencyConflict, InputRejected
from negotrack.store.store import Store


@pytest.fixture
def store():
    return Store.scratch()


def test_a_timeline_is_recorded_with_its_declarations(store, tmp_path):
    report = ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    assert report.threads == {"lake": {"events": 4, "declarations": 5, "skipped": 0}}
    assert [t["thread"] for t in queries.threads(store)] == ["lake"]


def test_the_same_file_again_writes_nothing(store, tmp_path):
    path = write(tmp_path, "lake.yaml", TIMELINE)
    ingest.ingest(store, [path])
    again = ingest.ingest(store, [path])
    assert again.written == 0
    assert again.threads["lake"]["skipped"] == 4


def test_a_refused_input_writes_nothing_and_names_the_event(store, tmp_path):
    ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    bad = RETRACTION.replace("ref: so-rejects", "ref: nowhere")
    with pytest.raises(InputRejected) as refused:
        ingest.ingest(store, [write(tmp_path, "bad.yaml", bad)])
    assert any("oops" in str(p) and "nowhere" in str(p) for p in refused.value.problems)
    assert queries.threads(store)[0]["events"] == 4


class Clashing(Store):
    """A store whose first ``fails`` recordings clash with a concurrent writer."""

    fails = 0

    def record(self, plan, now):
        if self.fails:
            self.fails -= 1
            from eventsourcing.persistence import IntegrityError

            raise IntegrityError("another writer got there first")
        super().record(plan, now)


def test_a_clash_with_another_writer_is_retried_from_the_start(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.time, "sleep", lambda s: None)
    store = Clashing.scratch()
    store.fails = 2
    report = ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    assert (report.attempts, report.written) == (3, 9)


def test_clashes_past_the_last_attempt_are_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.time, "sleep", lambda s: None)
    store = Clashing.scratch()
    store.fails = ingest.MAX_ATTEMPTS
    with pytest.raises(ConcurrencyConflict, match=f"gave up after {ingest.MAX_ATTEMPTS} attempts"):
        ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    assert queries.threads(store) == []
