"""`negotrack search`: the same events for the same query on SQLite (FTS5) and PostgreSQL (text search).

The rule (negotrack.domain.textsearch): every word of the query begins a word
of the event's summary or of one of its quotes; words are runs of letters and
digits, compared without case or accents.  The expected events of each query
below were worked out by hand from the texts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

WIRE = (
    "The Élysée said the ceasefire holds at 100- percent. Borealis’ envoy promised guarantees for the fleet. "
    "A naïve plan, said Avalon's minister. NATO-style guarantee talks stalled.\n"
)

MORE = """\
negotrack: 1
thread: {id: harbour}
sources:
  wire: {path: wire.txt, title: The Wire, reliability: C}
events:
  - {id: w1, type: PositionStated, date: 2024-02-01, by: AV, issue: port, stance: supports, summary: Avalon backs a 100-percent ceasefire, source: {ref: wire, quote: The Élysée said the ceasefire holds at 100- percent.}}
  - {id: w2, type: PositionStated, date: 2024-02-02, by: BO, issue: port, stance: supports, summary: Borealis promises guarantees, source: {ref: wire, quote: "Borealis’ envoy promised guarantees for the fleet."}}
  - {id: w3, type: PositionStated, date: 2024-02-03, by: AV, issue: port, stance: opposes, summary: Avalon calls the plan naive, source: {ref: wire, quote: "A naïve plan, said Avalon's minister."}}
  - {id: w4, type: PositionStated, date: 2024-02-04, by: BO, issue: fishing, stance: undecided, summary: Talks on a guarantee stall, source: {ref: wire, quote: NATO-style guarantee talks stalled.}}
  - {id: w5, type: ReportRetracted, ref: w3, reason: misread, summary: The naive remark was misattributed}
"""

STRAIT = """\
negotrack: 1
thread:
  id: strait
  title: Strait talks
  parties: {XA: {name: Xanadu}}
  issues: {transit: {title: Transit, proposition: Ships may pass}}
sources:
  wire: {path: wire.txt}
events:
  - {id: s1, type: PositionStated, date: 2023-05-01, by: XA, issue: transit, stance: supports, summary: Strait guarantees, source: {ref: wire, quote: "Borealis’ envoy promised guarantees for the fleet."}}
"""

# query -> the ids found, in order (thread, then date, a retraction last); worked out by hand
QUERIES: dict[str, list[str]] = {
    "elysee": ["w1"],  # accents aside
    "ÉLYSÉE": ["w1"],  # and case
    "100-percent": ["w1"],  # "100-percent" in the summary, "100- percent" in the quote: the words 100 and percent
    "ceasefire 100": ["w1"],
    "guarantee": ["w2", "w4", "s1"],  # a prefix: guarantees and guarantee; the thread harbour before strait
    "guarantees": ["w2", "s1"],
    "naive": ["w3", "w5"],  # naïve in w3's quote, naive in its summary; the retraction (undated) last
    "avalon plan": ["av-welcomes", "w3"],  # both words, in any field, any order
    "plan avalon": ["av-welcomes", "w3"],
    "fleet": ["av-closed", "w2", "s1"],  # fleets, fleet
    "borealis": ["bo-zone", "w2", "s1"],  # Borealis’ (a curly apostrophe ends the word)
    "nato style": ["w4"],
    "zone port": ["bo-zone"],  # av-welcomes has zone, not port
    "avalon's": ["av-closed", "w1", "w3"],  # avalon and s: stay, said, said
    "and port": ["bo-zone"],  # words FTS5 and tsquery would read as operators are words here
    "not": [],
    '"harbour"': ["av-closed"],
    "harbour xyz": [],
}


@pytest.fixture
def searched(backend):
    (backend.root / "wire.txt").write_text(WIRE, encoding="utf-8")
    backend.write("more.yaml", MORE)
    backend.write("strait.yaml", STRAIT)
    result = backend.run("ingest", "harbour.yaml", "more.yaml", "strait.yaml")
    assert result.exit_code == 0, result.output
    return backend


def _ids(backend, *args: str) -> list[str]:
    result = backend.run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.stdout)["results"]]


def test_each_query_finds_the_events_the_rule_gives(searched):
    found = {query: _ids(searched, query) for query in QUERIES}
    assert found == QUERIES


def test_the_rule_by_like_gives_what_the_index_gives(searched):
    """The fallback of an SQLite without FTS5 (the same rule by LIKE on the stored words) agrees with the index."""
    from negotrack.domain.textsearch import query_words
    from negotrack.store import search
    from negotrack.store.store import Store

    store = Store.open(searched.url())
    with store.db.transaction() as conn:
        for query, expected in QUERIES.items():
            for use_index in (True, False):
                rows, total = search.matching(conn, query_words(query), use_index=use_index)
                assert [r.event_id for r in rows] == expected, (query, use_index)
                assert total == len(expected)


def test_thread_and_limit(searched):
    assert _ids(searched, "guarantee", "--thread", "strait") == ["s1"]
    assert _ids(searched, "guarantee", "--thread", "harbour") == ["w2", "w4"]
    doc = json.loads(searched.run("search", "guarantee", "--limit", "1", "--json").stdout)
    assert [r["id"] for r in doc["results"]] == ["w2"]
    assert doc["total"] == 3
    text = searched.run("search", "guarantee", "--limit", "1").stdout
    assert text.splitlines()[-1] == (
        "3 events match 'guarantee' (guarantee); the first 1 are shown (give --limit N, or --limit 0 for all)."
    )
    unknown = searched.run("search", "guarantee", "--thread", "harbor")
    assert unknown.exit_code == 2
    assert unknown.stderr == "Error: no thread 'harbor' in the store (threads: harbour, strait)\n"
    nothing = searched.run("search", "--", "-- !")
    assert nothing.exit_code == 2
    assert nothing.stderr == "Error: TEXT '-- !' has no word to search for (a word is letters or digits)\n"


def test_results_mark_the_matching_words(searched):
    doc = json.loads(searched.run("search", "100-percent", "--json").stdout)
    (hit,) = doc["results"]
    assert (hit["id"], hit["thread"], hit["date"], hit["type"], hit["party"]) == ("w1", "harbour", "2024-02-01", "PositionStated", "AV")
    assert [(m["field"], m["source"], [m["text"][a:b] for a, b in m["marks"]]) for m in hit["matches"]] == [
        ("summary", None, ["100", "percent"]),
        ("quote", "wire", ["100", "percent"]),
    ]
    result = searched.run("search", "naive")
    assert result.stdout == (
        "2024-02-03  w3  PositionStated  AV  harbour  RETRACTED by w5\n"
        "    summary: Avalon calls the plan **naive**\n"
        '    quote [wire]: "A **naïve** plan, said Avalon\'s minister."\n'
        "(retraction)  w5  ReportRetracted  harbour\n"
        "    summary: The **naive** remark was misattributed\n"
        "2 events match 'naive' (naive).\n"
    )


def test_colour_marks_on_a_terminal_only(searched, monkeypatch):
    coloured = searched.run("--color", "always", "search", "naive").stdout
    assert "\x1b[" in coloured and "**" not in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = searched.run("search", "naive").stdout
    assert "\x1b[" not in plain and "**naive**" in plain


def test_the_index_is_checked_by_verify_and_made_again_by_rebuild(searched):
    assert searched.run("verify").exit_code == 0
    searched.sql("DELETE FROM rm_search WHERE event_id = 'w2'")
    searched.sql("UPDATE rm_search SET words = 'tampered' WHERE event_id = 'w4'")
    assert _ids(searched, "guarantee") == ["s1"]
    result = searched.run("verify")
    assert result.exit_code == 1
    assert "problem: thread harbour: event w2 is missing from the search index (run `negotrack rebuild`)" in result.stderr
    assert "problem: thread harbour: the search index's words of event w4 differ from the event" in result.stderr
    assert searched.run("rebuild").exit_code == 0
    assert searched.run("verify").exit_code == 0
    assert {q: _ids(searched, q) for q in QUERIES} == QUERIES


def test_a_refused_ingest_indexes_nothing(searched):
    searched.tail(
        """\
  - {id: z1, type: PositionStated, date: 2024-03-01, by: BO, issue: port, stance: supports, summary: zebra crossing, source: {ref: wire, quote: NATO-style guarantee talks stalled.}}
  - {id: z2, type: PositionStated, date: 2024-03-01, by: BO, issue: nowhere, stance: supports, summary: zebra, source: {ref: wire, quote: NATO-style guarantee talks stalled.}}
""",
        name="bad.yaml",
    )
    assert searched.run("ingest", "bad.yaml").exit_code == 2
    assert _ids(searched, "zebra") == []
    assert searched.sql("SELECT count(*) FROM rm_search") == [(9,)]


def test_a_store_from_before_the_index_gets_it_when_opened(searched):
    """A schema-2 store (no rm_search): opened by any command, it is upgraded and its events indexed."""
    if searched.name == "sqlite":
        searched.sql("DROP TABLE rm_search_fts")
    searched.sql("DROP TABLE rm_search")
    searched.sql("UPDATE negotrack_meta SET value = '2' WHERE key = 'schema'")
    from negotrack.store.recorder import forget

    forget(searched.url())
    assert {q: _ids(searched, q) for q in QUERIES} == QUERIES
    assert searched.sql("SELECT value FROM negotrack_meta WHERE key = 'schema'") == [("3",)]
    assert searched.run("verify").exit_code == 0


def test_the_version_1_fixture_store_is_searchable(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from negotrack.cli import cli

    db = tmp_path / "old.db"
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "store-v1.db", db)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "--db", str(db), "welcomed plan", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)["results"]] == ["av-welcomes"]
    assert runner.invoke(cli, ["verify", "--db", str(db)]).exit_code == 0
