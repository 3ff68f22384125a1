"""A write that meets a concurrent writer is retried from the start, a bounded number of times."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError
from support.harbour import Project

from negotrack import service
from negotrack.store.store import Store


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(service.time, "sleep", lambda s: None)
    return Project(tmp_path)


def test_a_conflict_is_retried_and_the_write_lands_once(project, monkeypatch):
    real = Store.record
    calls = []

    def conflicting_once(self, plan, now):
        calls.append(plan.new_events)
        if len(calls) == 1:
            real(self, plan, now)  # written, then the commit is refused: rolled back
            raise IntegrityError("UNIQUE constraint failed: stored_events.originator_id, stored_events.originator_version")
        return real(self, plan, now)

    monkeypatch.setattr(Store, "record", conflicting_once)
    result = project.run("ingest", "harbour.yaml")
    assert result.exit_code == 0, result.stderr
    assert calls == [3, 3]  # checked again from the start
    assert project.run("timeline", "harbour", "--json").stdout.count('"type"') == 3


def test_after_the_last_attempt_the_conflict_is_reported_not_raised(project, monkeypatch):
    def always_conflicting(self, plan, now):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(Store, "record", always_conflicting)
    result = project.run("ingest", "harbour.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: gave up after {service.MAX_ATTEMPTS} attempts: other writers kept changing the store (IntegrityError)\n"
    )
    assert project.run("threads").stdout == "The store has no threads.\n"
