"""A store someone has written into by hand: negotrack trusts only what it can check (issue 16, defect 8).

Every test damages a store on purpose, with SQL, on both backends, then runs
the commands a user would run next.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

CANARY = """\
from pathlib import Path
Path({marker!r}).write_text("imported")
def s(*args, **kwargs):
    return None
"""


@pytest.fixture
def canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable module that leaves a file behind when it is imported; returns that file."""
    folder = tmp_path / "importable"
    folder.mkdir()
    marker = tmp_path / "imported.txt"
    (folder / "negotrack_canary.py").write_text(CANARY.format(marker=str(marker)))
    monkeypatch.syspath_prepend(str(folder))
    yield marker
    sys.modules.pop("negotrack_canary", None)


def test_a_tampered_topic_is_not_imported_verify_names_it_and_rebuild_refuses(backend, canary: Path):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.sql("UPDATE stored_events SET topic = 'negotrack_canary:s' WHERE originator_version = 3")
    backend.sql("UPDATE snapshots SET topic = 'negotrack_canary:s'")
    verify = backend.run("verify")
    assert verify.exit_code == 1
    lines = verify.stderr.splitlines()
    assert lines[0] == (
        "problem: thread harbour: version 3 (s) does not decode: "
        "UnknownTopic: 'negotrack_canary:s' is not an event type of negotrack"
    )
    assert any("snapshot of thread harbour" in line and "'negotrack_canary:s' is not an event type" in line for line in lines)
    rebuild = backend.run("rebuild")
    assert rebuild.exit_code == 1
    assert "version 3 does not decode: UnknownTopic: 'negotrack_canary:s' is not an event type of negotrack" in rebuild.stderr
    assert not canary.exists(), "the module a tampered topic names was imported"


LATER = (
    "  - {id: bo-opposes, type: PositionStated, date: 2024-02-01, by: BO, issue: fishing, stance: opposes, summary: Borealis opposes,\n"
    "     source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
)


def test_a_corrupted_snapshot_is_named_by_verify_bypassed_by_ingest_and_remade_by_rebuild(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.sql("UPDATE snapshots SET state = :garbage", garbage=b"{not json")
    backend.tail(LATER)
    ingest = backend.run("ingest", "more.yaml")
    assert ingest.exit_code == 0, ingest.output  # the snapshot is a cache: the thread is replayed from its events
    assert "internal error" not in ingest.output
    assert backend.state("harbour", "--as-of", "2024-02-02")["issues"]["fishing"]
    verify = backend.run("verify")
    assert verify.exit_code == 1
    assert "problem: snapshot of thread harbour at version" in verify.stderr
    assert "does not decode: JSONDecodeError" in verify.stderr
    assert "`negotrack rebuild` takes it again" in verify.stderr
    rebuild = backend.run("rebuild")
    assert rebuild.exit_code == 0, rebuild.output
    again = backend.run("verify")
    assert again.exit_code == 0, again.output
    assert "1 snapshot;" in again.stdout
    [(version,)] = backend.sql("SELECT originator_version FROM snapshots")
    [(last,)] = backend.sql("SELECT max(originator_version) FROM stored_events")
    assert version == last  # taken again from the full replay
    assert backend.run("ingest", "harbour.yaml", "more.yaml").exit_code == 0  # nothing new: all already recorded


def test_a_corrupted_latest_snapshot_does_not_make_ingest_fail(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.sql("UPDATE snapshots SET state = :garbage", garbage=b"\xff\xfe")
    backend.tail(LATER)
    ingest = backend.run("ingest", "more.yaml")
    assert ingest.exit_code == 0, ingest.output
    assert "harbour: 1 new event" in ingest.stdout
