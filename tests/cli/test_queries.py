"""The query commands as an analyst reads them: exact text, JSON for scripts, clear errors."""

from __future__ import annotations

import json

import pytest
from freezegun import freeze_time

from negotrack.cli import cli


@pytest.fixture
def ingested(project):
    with freeze_time("2024-06-01T12:00:00Z"):
        assert project.run("ingest", "harbour.yaml").exit_code == 0
    return project


def test_state_text(ingested):
    result = ingested.run("state", "harbour", "--as-of", "2024-01-25", "--issue", "port")
    assert result.exit_code == 0
    assert result.stdout == (
        "harbour: as of 2024-01-25 (everything recorded so far)\n"
        "\n"
        "port  Port access  [open]\n"
        "  last event: av-welcomes (2024-01-25)\n"
        "  stances:\n"
        "    BO  supports     last stated 2024-01-20  (bo-zone)\n"
        "    AV  conditional  last stated 2024-01-25  (av-welcomes)\n"
        "  items:\n"
        "    bo-zone  proposal by BO, 2024-01-20  [open]\n"
        "      Joint zone\n"
        "      AV accepted in principle (2024-01-25, av-welcomes)\n"
    )


def test_state_json_has_the_contract_shape(ingested):
    doc = json.loads(ingested.run("state", "harbour", "--as-of", "2024-01-21", "--known-at", "2024-06-02", "--json").stdout)
    assert doc["thread"] == "harbour"
    assert doc["as_of"] == "2024-01-21"
    assert doc["known_at"] == "2024-06-02T23:59:59.999999Z"  # a date alone: the end of that day, UTC
    fishing = doc["issues"]["fishing"]
    assert fishing["status"] == "contested"
    assert fishing["last_event"] == {"id": "bo-zone", "date": "2024-01-20"}
    assert fishing["stances"] == {
        "AV": {"stance": "opposes", "since": "2024-01-10", "event": "av-closed"},
        "BO": {"stance": "supports", "since": "2024-01-20", "event": "bo-zone"},
    }
    assert {k: {f: v[f] for f in ("kind", "by", "date", "status", "responses")} for k, v in fishing["items"].items()} == {
        "av-closed": {"kind": "demand", "by": "AV", "date": "2024-01-10", "status": "open", "responses": {}},
        "bo-zone": {"kind": "proposal", "by": "BO", "date": "2024-01-20", "status": "open", "responses": {}},
    }
    assert fishing["agreement"] is None
    assert list(doc["issues"]) == ["fishing", "port"]


def test_known_at_before_anything_was_recorded_shows_nothing_raised(ingested):
    doc = json.loads(
        ingested.run("state", "harbour", "--as-of", "2024-12-31", "--known-at", "2024-06-01T11:59:59Z", "--json").stdout
    )
    assert doc["known_at"] == "2024-06-01T11:59:59Z"
    assert {k: v["status"] for k, v in doc["issues"].items()} == {"fishing": "not-raised", "port": "not-raised"}


def test_replay_text(ingested):
    result = ingested.run("replay", "harbour", "--issue", "port", "--until", "2024-12-31")
    assert result.exit_code == 0
    assert result.stdout == (
        "2024-01-20  bo-zone  ProposalTabled by BO\n"
        "    Borealis proposes a joint zone and port access\n"
        "    * port: BO stance none -> supports\n"
        "    * port: proposal bo-zone tabled\n"
        "    * port: status not-raised -> open\n"
        "2024-01-25  av-welcomes  Accepted by AV (alice)\n"
        "    Avalon welcomes the plan in principle\n"
        "    * port: AV stance none -> conditional\n"
        "    * port: bo-zone by AV: no answer -> accepted in principle (2024-01-25, av-welcomes)\n"
    )


def test_diff_text_and_json(ingested):
    result = ingested.run("diff", "harbour", "2024-01-20", "2024-01-25", "--issue", "fishing")
    assert result.stdout == (
        "harbour: from 2024-01-20 to 2024-01-25\n"
        "  fishing: AV stance opposes -> conditional  (av-welcomes)\n"
        "  fishing: bo-zone by AV: no answer -> accepted in principle (2024-01-25, av-welcomes)\n"
        "  fishing: status contested -> open\n"
    )
    doc = json.loads(ingested.run("diff", "harbour", "2024-01-20", "2024-01-25", "--json").stdout)
    assert doc["from"] == "2024-01-20" and doc["to"] == "2024-01-25"
    assert {"issue": "port", "what": "stance", "subject": "AV", "before": None, "after": "conditional", "event": "av-welcomes"} in doc["changes"]
    nothing = ingested.run("diff", "harbour", "2024-02-01", "2024-03-01")
    assert nothing.stdout == "harbour: from 2024-02-01 to 2024-03-01\nno changes\n"


def test_timeline_text_with_sources_and_quotes(ingested):
    result = ingested.run("timeline", "harbour", "--party", "AV", "--from", "2024-01-11")
    assert result.stdout == (
        "2024-01-25  av-welcomes  Accepted  AV (alice)  [fishing, port]\n"
        "    Avalon welcomes the plan in principle\n"
        "    answers: bo-zone\n"
        '    "Avalon welcomed the zone plan in principle." [hw Harbour Wire, B]\n'
    )
    rows = json.loads(ingested.run("timeline", "harbour", "--json").stdout)["events"]
    assert [r["id"] for r in rows] == ["av-closed", "bo-zone", "av-welcomes"]
    assert rows[0]["recorded_at"] == "2024-06-01T12:00:00.000000Z"


def test_threads_and_sources(ingested):
    assert ingested.run("threads").stdout == (
        "thread   events  dates                     parties  issues\n"
        "-------  ------  ------------------------  -------  -------------\n"
        "harbour  3       2024-01-10 .. 2024-01-25  AV, BO   fishing, port\n"
    )
    assert ingested.run("sources", "list").stdout == (
        "thread   source  published   grade  archived   title\n"
        "-------  ------  ----------  -----  ---------  ------------\n"
        "harbour  hw      2024-03-01  B      265 chars  Harbour Wire\n"
    )
    shown = ingested.run("sources", "show", "hw").stdout
    assert shown.startswith(
        "source:      hw (thread harbour)\n"
        "title:       Harbour Wire\n"
        "path:        hw.txt\n"
        "published:   2024-03-01\n"
        "reliability: B\n"
        "archived:    2024-06-01T12:00:00.000000Z\n"
        "cited by:    av-closed, bo-zone, av-welcomes\n"
        "\n"
        "Harbour Wire, 2024."
    )


def test_a_later_file_can_cite_an_archived_source_after_the_file_is_gone(ingested):
    (ingested.root / "hw.txt").unlink()
    ingested.tail(
        "  - {id: later, type: PositionStated, date: 2024-02-01, by: BO, issue: port, stance: opposes, summary: s,"
        " source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    result = ingested.run("ingest", "more.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("harbour: 1 new event\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["state", "nope"], "Error: no thread 'nope' in the store (threads: harbour)"),
        (["state", "harbour", "--as-of", "2024-13-01"], "Error: --as-of: '2024-13-01' is not a date (YYYY-MM-DD)"),
        (["state", "harbour", "--known-at", "yesterday"], "Error: --known-at: 'yesterday' is not a date or an ISO 8601 instant"),
        (["state", "harbour", "--issue", "zzz"], "Error: --issue: thread 'harbour' has no issue 'zzz' (issues: fishing, port)"),
        (["diff", "harbour", "2024-03-01", "2024-01-01"], "Error: FROM (2024-03-01) is after TO (2024-01-01)"),
        (["sources", "show", "nope"], "Error: no source 'nope' in the store"),
    ],
)
def test_usage_errors_exit_2_with_one_line(ingested, args, message):
    result = ingested.run(*args)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert "Traceback" not in result.output


def test_no_store_and_a_broken_store_are_reported_not_raised(project):
    missing = project.run("state", "harbour")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: no negotrack store at store.db (ingest a timeline first, or give --db)\n"
    assert not (project.root / "store.db").exists()
    (project.root / "store.db").write_text("not a database")
    broken = project.run("state", "harbour")
    assert broken.exit_code == 1
    assert broken.stderr == "Error: cannot open the store store.db: file is not a database\n"


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    names = []
    for name, command in cli.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"negotrack {name} {s}" for s in sub] if sub else [f"negotrack {name}"]
    missing = [n for n in names if f"`{n}" not in readme]
    assert missing == []


def test_replay_json_gives_each_step_and_its_changes(ingested):
    doc = json.loads(ingested.run("replay", "harbour", "--issue", "port", "--until", "2024-12-31", "--json").stdout)
    assert {k: doc[k] for k in ("thread", "until", "known_at", "issue")} == {
        "thread": "harbour", "until": "2024-12-31", "known_at": None, "issue": "port"
    }  # fmt: skip
    assert [(s["id"], s["type"], s["date"], s["party"], s["by"]) for s in doc["steps"]] == [
        ("bo-zone", "ProposalTabled", "2024-01-20", "BO", "BO"),
        ("av-welcomes", "Accepted", "2024-01-25", "AV", "alice"),
    ]
    assert doc["steps"][1]["changes"] == [
        {"issue": "port", "what": "stance", "subject": "AV", "before": None, "after": "conditional", "event": "av-welcomes"},
        {"issue": "port", "what": "answered", "subject": "bo-zone", "party": "AV", "before": None,
         "after": {"response": "accepted", "qualifier": "in_principle", "date": "2024-01-25", "event": "av-welcomes"},
         "event": "av-welcomes"},
    ]  # fmt: skip


def test_an_agreement_in_diff_json_names_its_parties_as_a_list(ingested):
    ingested.tail(
        """\
        - {id: deal, type: AgreementReached, date: 2024-02-01, parties: [AV, BO], issue: port, terms: open port,
           summary: Avalon and Borealis agree, source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}}
        """
    )
    assert ingested.run("ingest", "more.yaml").exit_code == 0
    doc = json.loads(ingested.run("diff", "harbour", "2024-01-25", "2024-02-01", "--json").stdout)
    agreement = [c for c in doc["changes"] if c["what"] == "agreement"]
    assert agreement == [
        {"issue": "port", "what": "agreement", "subject": ["AV", "BO"], "before": None, "after": "open port", "event": "deal"}
    ]
    text = ingested.run("diff", "harbour", "2024-01-25", "2024-02-01").stdout
    assert "  port: agreement reached by AV, BO: open port  (deal)\n" in text



def test_a_retraction_is_shown_where_its_target_is_and_says_what_it_retracts(ingested):
    ingested.tail(
        """\
        - {id: fix, type: ReportRetracted, ref: av-welcomes, reason: misread, summary: That report was wrong}
        """
    )
    assert ingested.run("ingest", "more.yaml").exit_code == 0
    shown = ingested.run("timeline", "harbour").stdout
    assert "(retraction)  fix  ReportRetracted\n    That report was wrong\n    retracts: av-welcomes\n" in shown
    # its target is not shown: neither is the retraction (by date, by party or by issue)
    for args in (["--to", "2024-01-20"], ["--party", "BO"], ["--issue", "fishing", "--to", "2024-01-12"]):
        rows = json.loads(ingested.run("timeline", "harbour", *args, "--json").stdout)["events"]
        assert "av-welcomes" not in [r["id"] for r in rows] and "fix" not in [r["id"] for r in rows], args
    # its target is shown: so is the retraction, whoever made it and whatever issue it names
    for args in (["--party", "AV"], ["--issue", "port"], ["--from", "2024-01-25"]):
        rows = json.loads(ingested.run("timeline", "harbour", *args, "--json").stdout)["events"]
        assert [r["id"] for r in rows][-2:] == ["av-welcomes", "fix"], args


def test_an_unknown_party_is_an_error_listing_the_parties(ingested):
    result = ingested.run("timeline", "harbour", "--party", "nobody")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --party: thread 'harbour' has no party or actor 'nobody' (parties: AV, BO; actors: alice)\n"
    )
    assert ingested.run("timeline", "harbour", "--party", "alice").exit_code == 0
