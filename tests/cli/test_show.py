"""`negotrack show THREAD`: what a thread declares (parties, actors, issues, sources), in text and JSON."""

from __future__ import annotations

import json


def test_show_lists_parties_with_actors_issues_with_propositions_and_sources_with_grades(project):
    assert project.run("ingest", "harbour.yaml").exit_code == 0
    result = project.run("show", "harbour")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "harbour: Avalon–Borealis harbour talks\n"
        "3 events, 2024-01-10 .. 2024-01-25\n"
        "\n"
        "Parties and their actors\n"
        "  AV       Avalon\n"
        "    alice  Alice Example, Minister\n"
        "  BO       Borealis\n"
        "\n"
        "Issues and their propositions\n"
        "  fishing  Fishing zone\n"
        "           proposition: A joint fishing zone is created\n"
        "  port     Port access\n"
        "           proposition: Borealis ships may use Avalon's port\n"
        "\n"
        "Sources and their grades\n"
        "  hw  B  2024-03-01  Harbour Wire\n"
    )


def test_show_json(project):
    project.run("ingest", "harbour.yaml")
    doc = json.loads(project.run("show", "harbour", "--json").stdout)
    assert doc["thread"] == "harbour"
    assert doc["title"] == "Avalon–Borealis harbour talks"
    assert doc["events"] == 3
    assert doc["parties"] == [
        {"id": "AV", "name": "Avalon", "actors": [{"id": "alice", "name": "Alice Example", "role": "Minister"}]},
        {"id": "BO", "name": "Borealis", "actors": []},
    ]
    assert doc["issues"] == [
        {"id": "fishing", "title": "Fishing zone", "proposition": "A joint fishing zone is created"},
        {"id": "port", "title": "Port access", "proposition": "Borealis ships may use Avalon's port"},
    ]
    assert [(s["id"], s["reliability"], s["published"], s["title"]) for s in doc["sources"]] == [
        ("hw", "B", "2024-03-01", "Harbour Wire")
    ]


def test_show_names_the_threads_there_are_when_one_is_mistyped(project):
    project.run("ingest", "harbour.yaml")
    result = project.run("show", "harbor")
    assert result.exit_code == 2
    assert result.stderr == "Error: no thread 'harbor' in the store (threads: harbour)\n"
