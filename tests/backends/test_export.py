"""`negotrack export`: a thread written as a timeline file ingests into an empty store and answers the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from negotrack.app import export as app_export
from negotrack.store.store import Store
from negotrack.store import eventlog

ROOT = Path(__file__).resolve().parents[2]

RETRACTION = """\
  - {id: bo-rejects, type: Rejected, date: 2024-02-01, by: AV, ref: bo-zone, summary: Avalon rejects the plan,
     source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: oops, type: ReportRetracted, ref: bo-rejects, reason: it was Borealis, summary: misreported}
"""

HEADER = {
    "negotrack": 1,
    "thread": {
        "id": "harbour",
        "title": "Avalon–Borealis harbour talks",
        "parties": {"AV": {"name": "Avalon"}, "BO": {"name": "Borealis"}},
        "actors": {"alice": {"name": "Alice Example", "party": "AV", "role": "Minister"}},
        "issues": {
            "fishing": {"title": "Fishing zone", "proposition": "A joint fishing zone is created"},
            "port": {"title": "Port access", "proposition": "Borealis ships may use Avalon's port"},
        },
    },
    "sources": {"hw": {"title": "Harbour Wire", "path": "hw.txt", "published": "2024-03-01", "reliability": "B"}},
}


@pytest.fixture
def harbour(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(RETRACTION)
    assert backend.run("ingest", "more.yaml").exit_code == 0
    return backend


def test_ndjson_to_standard_output_is_the_header_then_each_event_retractions_included(harbour):
    result = harbour.run("export", "harbour", "--format", "ndjson")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "note: 1 archived source text is not written to standard output; give -o FILE to write them beside the file\n"
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == HEADER
    assert [e["id"] for e in lines[1:]] == ["av-closed", "bo-zone", "av-welcomes", "bo-rejects", "oops"]
    assert lines[5] == {
        "id": "oops", "type": "ReportRetracted", "ref": "bo-rejects", "reason": "it was Borealis", "summary": "misreported"
    }
    assert lines[3] == {
        "id": "av-welcomes", "type": "Accepted", "date": "2024-01-25", "by": "alice", "summary": "Avalon welcomes the plan in principle",
        "source": [{"ref": "hw", "quote": "Avalon welcomed the zone plan in principle."}], "stance": "conditional",
        "precision": "day", "ref": "bo-zone", "qualifier": "in_principle",
    }
    assert "recorded_at" not in result.stdout  # valid time is exported, record time is not


@pytest.mark.parametrize("fmt", ["yaml", "json", "ndjson"])
def test_an_export_with_its_source_texts_ingests_into_an_empty_store_and_answers_the_same(harbour, fmt):
    harbour.root.joinpath("out").mkdir()
    result = harbour.run("export", "harbour", "--format", fmt, "-o", f"out/h.{fmt}")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", f"harbour: 5 events written to out/h.{fmt}, and 1 source text beside it\n")
    assert (harbour.root / "out" / "h.sources" / "hw.txt").read_text(encoding="utf-8") == harbour.root.joinpath("hw.txt").read_text()
    harbour.root.joinpath("hw.txt").unlink()  # the export stands on its own
    text = (harbour.root / "out" / f"h.{fmt}").read_text(encoding="utf-8")
    doc = json.loads(text.splitlines()[0]) if fmt == "ndjson" else yaml.safe_load(text)
    assert doc["sources"]["hw"]["path"] == "h.sources/hw.txt"
    copy = harbour.new_store()
    ingested = harbour.run("ingest", f"out/h.{fmt}", db=copy)
    assert ingested.stdout == f"harbour: 5 new events, 6 declarations\nRecorded in {harbour.display(copy)}.\n"
    for as_of in ("2024-01-15", "2024-01-25", "2024-02-10"):
        assert harbour.state("harbour", "--as-of", as_of, db=copy) == harbour.state("harbour", "--as-of", as_of)
    again = harbour.run("ingest", f"out/h.{fmt}")  # into the store it came from: nothing new
    assert again.stdout.startswith("harbour: 0 new events, 5 already in the store\n")


def test_the_seed_timeline_round_trips_in_every_format(backend, tmp_path):
    root = tmp_path
    shutil.copytree(ROOT / "seeds", root / "seeds")
    assert backend.run("ingest", "seeds/ukraine-peace.yaml").exit_code == 0
    dates = ("2008-04-03", "2025-03-17", "2025-11-30", "2025-12-14", "2025-12-31")
    expected = {d: backend.state("ukraine-peace", "--as-of", d) for d in dates}
    (root / "out").mkdir()
    for fmt in ("yaml", "json", "ndjson"):
        result = backend.run("export", "ukraine-peace", "--format", fmt, "-o", f"out/u.{fmt}")
        assert result.exit_code == 0, result.output
        copy = backend.new_store()
        ingested = backend.run("ingest", f"out/u.{fmt}", db=copy)
        assert ingested.exit_code == 0, ingested.output
        assert ingested.stdout.startswith("ukraine-peace: 47 new events, 33 declarations\n")
        for d in dates:
            assert backend.state("ukraine-peace", "--as-of", d, db=copy) == expected[d], (fmt, d)
        assert backend.run("verify", db=copy).exit_code == 0


def test_export_reads_the_stored_events_in_bounded_batches_as_they_are_written(harbour, monkeypatch):
    monkeypatch.setattr(app_export, "EXPORT_BATCH", 2)
    calls = []
    real = eventlog.statement_page

    def spy(conn, mapper, slug, after, limit):
        page = real(conn, mapper, slug, after, limit)
        calls.append((limit, len(page)))
        return page

    monkeypatch.setattr(eventlog, "statement_page", spy)
    parts = app_export.export_thread(Store.open(harbour.url()), "harbour")
    header = next(parts)
    assert header.document == HEADER and calls == []
    assert next(parts)["id"] == "av-closed"
    assert calls == [(2, 2)]  # one batch read so far, not the thread
    rest = [e["id"] for e in parts]
    assert rest == ["bo-zone", "av-welcomes", "bo-rejects", "oops"]
    assert calls == [(2, 2), (2, 2), (2, 1), (2, 0)]


def test_export_of_an_unknown_thread_or_into_a_missing_folder_is_refused(harbour):
    unknown = harbour.run("export", "nope")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert unknown.stderr == "Error: no thread 'nope' in the store (threads: harbour)\n"
    missing = harbour.run("export", "harbour", "-o", "no/such/h.yaml")
    assert (missing.exit_code, missing.stderr) == (2, "Error: -o: no/such is not a folder\n")
    assert not (harbour.root / "no").exists()
