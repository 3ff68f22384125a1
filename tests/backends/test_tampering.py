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


DAMAGED = "the store's read model is damaged: thread harbour: "
FIX = "run `negotrack verify` to list what is wrong, then `negotrack rebuild` to write the read model again"


@pytest.mark.parametrize(
    ("table", "where", "body", "named"),
    [
        ("rm_events", "event_id = 'av-closed'", "{garbage", "event av-closed has a body that is not JSON"),
        ("rm_events", "event_id = 'bo-zone'", "[1, 2]", "event bo-zone has a body that is not a JSON object"),
        ("rm_events", "event_id = 'av-welcomes'", "{}", "event av-welcomes has no `ref`"),
        ("rm_declarations", "kind = 'issue' AND key = 'fishing'", "\x00\x01", "issue fishing has a body that is not JSON"),
    ],
)
def test_a_garbage_read_model_body_makes_state_say_verify_and_rebuild(backend, table, where, body, named):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    if backend.name == "postgres":
        body = body.replace("\x00", "")  # PostgreSQL text holds no NUL
    backend.sql(f"UPDATE {table} SET body = :body WHERE {where}", body=body)
    # the checkpoint the ingest made holds the fold of the rows as they were: without it a query reads them
    backend.sql("DELETE FROM rm_checkpoints")
    for command in (["state", "harbour"], ["state", "harbour", "--json"], ["diff", "harbour", "2024-01-01", "2024-03-01"]):
        result = backend.run(*command)
        assert result.exit_code == 1, (command, result.output)  # the store's fault, as every store error
        assert "internal error" not in result.output
        assert result.stderr.startswith("Error: " + DAMAGED + named), result.stderr
        assert FIX in result.stderr
    assert backend.run("verify").exit_code == 1
    assert backend.run("rebuild").exit_code == 0
    assert backend.run("verify").exit_code == 0
    assert backend.run("state", "harbour").exit_code == 0


def test_a_garbage_checkpoint_is_folded_again(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    expected = backend.state("harbour", "--as-of", "2024-02-01")
    [(version,)] = backend.sql("SELECT version FROM rm_threads WHERE thread = 'harbour'")
    backend.sql(
        "INSERT INTO rm_checkpoints (thread, date, version, events, body) VALUES ('harbour', '2024-01-15', :v, 1, :body)",
        v=version, body="{garbage",
    )
    assert backend.state("harbour", "--as-of", "2024-02-01") == expected  # a cache: ignored, the fold done again
