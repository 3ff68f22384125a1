"""`negotrack ingest --check`: ingest's checks, against the store, and what would be written; nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from negotrack.store.db import metadata

Q = "Borealis rejected the plan outright."


def _rows(backend) -> dict[str, list[tuple]]:
    """Every row of every negotrack table, in a fixed order: what a write would change."""
    out = {}
    for table in sorted(metadata.tables):
        rows = backend.sql(f"SELECT * FROM {table}")
        out[table] = sorted(rows, key=repr)
    return out


def _file_bytes(backend) -> str | None:
    """The SQLite store's bytes (its WAL folded in first), or None on PostgreSQL."""
    if backend.name != "sqlite":
        return None
    from negotrack.store.db import dispose_engines

    dispose_engines()  # the last connection closed: the WAL is checkpointed into the file
    return hashlib.sha256(Path(backend.db).read_bytes()).hexdigest()


def test_check_without_a_store_says_what_would_be_written_and_creates_nothing(backend):
    if backend.name == "sqlite":
        result = backend.run("ingest", "--check", "harbour.yaml")
        assert result.exit_code == 0, result.output
        assert result.stdout == (
            "harbour (a new thread): would record 3 new events and 6 declarations\n"
            "  title: Avalon–Borealis harbour talks\n"
            "  declarations: 2 parties, 1 actor, 2 issues, 1 source\n"
            "  events: 1 DemandIssued, 1 ProposalTabled, 1 Accepted\n"
            "Checked: the input is valid. Nothing was written to store.db (which does not exist yet).\n"
        )
        assert not any(p.name.startswith("store.db") for p in backend.root.iterdir())
    else:
        result = backend.run("ingest", "--check", "harbour.yaml")
        assert result.exit_code == 0, result.output
        assert "(which does not exist yet)" in result.stdout
        tables = backend.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        assert tables == []
    # then the real ingest records what --check announced
    done = backend.run("ingest", "harbour.yaml")
    assert done.stdout.splitlines()[0] == "harbour: 3 new events, 6 declarations"


def test_check_against_a_store_writes_nothing_and_counts_only_the_new(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(
        f"""\
  - {{id: bo-port, type: PositionStated, date: 2024-02-01, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: bo-no, type: Rejected, date: 2024-02-02, by: BO, ref: av-closed, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: bo-no2, type: Rejected, date: 2024-02-03, by: BO, ref: av-closed, summary: s, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    rows, file_bytes = _rows(backend), _file_bytes(backend)
    result = backend.run("ingest", "--check", "harbour.yaml", "more.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "harbour: would record 3 new events; 3 already in the store\n"
        "  events: 1 PositionStated, 2 Rejected\n"
        f"Checked: the input is valid. Nothing was written to {backend.display()}.\n"
    )
    assert _file_bytes(backend) == file_bytes
    assert _rows(backend) == rows


def test_check_refuses_what_ingest_refuses_with_the_same_words_and_writes_nothing(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    # an id already stored with other content, an answer to an item only the store knows, a bad type
    changed = backend.timeline.read_text().replace("demand: harbour stays closed", "demand: harbour stays shut")
    backend.write("changed.yaml", changed)
    backend.tail(
        f"""\
  - {{id: bo-no, type: Rejected, date: 2024-01-02, by: BO, ref: av-closed, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: bad, type: Rejectd, date: 2024-02-02, by: BO, summary: s}}
"""
    )
    rows, file_bytes = _rows(backend), _file_bytes(backend)
    checked = backend.run("ingest", "--check", "changed.yaml", "more.yaml")
    assert checked.exit_code == 2
    assert checked.stdout == ""
    assert "already in the store with different content" in checked.stderr
    assert "before the item 'av-closed' it answers (2024-01-10)" in checked.stderr
    assert _file_bytes(backend) == file_bytes
    assert _rows(backend) == rows
    ingested = backend.run("ingest", "changed.yaml", "more.yaml")
    assert ingested.exit_code == 2
    assert checked.stderr == ingested.stderr


def test_check_reads_an_older_store_without_upgrading_it(tmp_path, monkeypatch):
    """tests/fixtures/store-v1.db: checked against as it is (its schema stays 1), no row written."""
    import shutil
    import sqlite3

    from click.testing import CliRunner

    from negotrack.cli import cli

    root = Path(__file__).resolve().parents[1]
    db = tmp_path / "old.db"
    shutil.copy(root / "fixtures" / "store-v1.db", db)
    with sqlite3.connect(db) as conn:
        before = list(conn.iterdump())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text("negotrack: 1\nthread: {id: nowhere, title: T, parties: {A: {name: A}}}\nevents: []\n")
    result = CliRunner().invoke(cli, ["ingest", "--check", "--db", str(db), "t.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "nowhere (a new thread): would record 0 new events and 1 declaration" in result.stdout
    from negotrack.store.db import dispose_engines

    dispose_engines()
    with sqlite3.connect(db) as conn:
        assert list(conn.iterdump()) == before  # (opening it turns on WAL mode, which is no change of content)
        assert conn.execute("SELECT value FROM negotrack_meta WHERE key = 'schema'").fetchone() == ("1",)
