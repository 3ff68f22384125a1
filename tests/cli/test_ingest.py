"""`negotrack ingest`: what is written, what is refused (contract §4), and the exact words of each refusal."""

from __future__ import annotations

import json

Q = "Borealis rejected the plan outright."


def refused(result, *problems: str) -> None:
    """The command refused the input with exactly these problems, and exit code 2."""
    n = len(problems)
    expected = [f"Error: the input was refused and nothing was written ({n} problem{'s' if n != 1 else ''}):"]
    expected += [f"  {p}" for p in problems]
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""


def event_count(project) -> int:
    result = project.run("threads", "--json")
    rows = json.loads(result.stdout)
    return rows[0]["events"] if rows else 0


def test_ingest_records_and_reports(project):
    result = project.run("ingest", "harbour.yaml")
    assert result.exit_code == 0
    assert result.stdout == "harbour: 3 new events, 6 declarations\nRecorded in store.db.\n"


def test_reingesting_the_same_file_writes_nothing_and_says_so(project):
    project.run("ingest", "harbour.yaml")
    before = project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout
    result = project.run("ingest", "harbour.yaml")
    assert result.exit_code == 0
    assert result.stdout == (
        "harbour: 0 new events, 3 already in the store\n"
        "Nothing to write: the store store.db already has all of it.\n"
    )
    assert project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout == before


def test_one_good_event_and_one_bad_refuses_both(project):
    project.run("ingest", "harbour.yaml")
    project.tail(
        f"""\
  - {{id: good, type: PositionStated, date: 2024-02-01, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: bad, type: PositionStated, date: 2024-02-01, by: BO, issue: harbor, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    refused(project.run("ingest", "more.yaml"), "more.yaml: event bad: issue 'harbor' is not declared")
    assert event_count(project) == 3
    timeline = project.run("timeline", "harbour", "--json").stdout
    assert '"good"' not in timeline


def test_a_file_split_across_two_ingests_gives_the_same_state_as_one(project, tmp_path):
    whole = project.run("ingest", "harbour.yaml")
    assert whole.exit_code == 0
    one = project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout

    text = project.timeline.read_text()
    head, events = text.split("events:\n")
    first, second = events.split("  - id: bo-zone\n")
    project.write("part1.yaml", head + "events:\n" + first)
    project.write("part2.yaml", "negotrack: 1\nthread: {id: harbour}\nevents:\n  - id: bo-zone\n" + second)
    project.db = str(tmp_path / "split.db")
    assert project.run("ingest", "part1.yaml").exit_code == 0
    assert project.run("ingest", "part2.yaml").exit_code == 0
    assert project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout == one


def test_every_problem_is_listed_with_file_and_event(project):
    project.run("ingest", "harbour.yaml")
    project.tail(
        f"""\
  - {{id: x1, type: Accepted, date: 2024-01-02, by: BO, ref: bo-zone, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: x2, type: Rejected, date: 2024-02-02, by: BO, ref: nothing, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: x3, type: Rejectd, date: 2024-02-02, by: BO, summary: s}}
  - {{id: x4, type: PositionStated, on: 2024-02-02, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: x5, type: PositionStated, date: 2024-02-30, by: BO, issue: port, stance: maybe, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: X6, type: Withdrawn, date: 2024-02-02, by: AV, ref: bo-zone, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: x7, type: DemandIssued, date: 2024-02-02, by: bob, issue: port, demand: d, of: [XX], summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: x8, type: PositionStated, date: 2024-02-02, by: BO, issue: port, stance: supports, summary: s, source: {{ref: wire, quote: {Q}}}}}
  - {{id: x9, type: PositionStated, date: 2024-02-02, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: Borealis accepted}}}}
  - {{id: x1, type: PositionStated, date: 2024-02-03, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    refused(
        project.run("ingest", "more.yaml"),
        "more.yaml: event x3: unknown type 'Rejectd' (one of: PositionStated, DemandIssued, ProposalTabled, "
        "ConcessionMade, GuaranteeOffered, ThreatIssued, Accepted, Rejected, Withdrawn, AgreementReached, ReportRetracted)",
        "more.yaml: event x4: missing required field `date`",
        "more.yaml: event x4: unknown field `on` (the date field is `date`)",
        "more.yaml: event x5: `date`: bad date '2024-02-30': no such day",
        "more.yaml: event x5: `stance`: Input should be 'supports', 'opposes', 'conditional' or 'undecided', not 'maybe'",
        "more.yaml: event X6: `id`: 'X6' is not a slug (lower-case letters, digits, '.', '_', '-')",
        "more.yaml: event x1: dated 2024-01-02, before the item 'bo-zone' it answers (2024-01-20)",
        "more.yaml: event x1: BO cannot accept its own item 'bo-zone'",
        "more.yaml: event x2: `ref`: 'nothing' names no item recorded before it",
        "more.yaml: event X6: only BO can withdraw 'bo-zone', not AV",  # a bad id hides none of its other problems
        "more.yaml: event x7: `by`: 'bob' names no declared actor or party",
        "more.yaml: event x7: `of`: 'XX' names no declared party",
        "more.yaml: event x8: `source`: source 'wire' is not declared",
        "more.yaml: event x9: `source`: the quote does not appear in source 'hw'; "
        'nearest passage: "Borealis rejected"; the quote has "accepted" where the source has "rejected"',
        "more.yaml: event x1: duplicate event id 'x1' in the input",
    )


def test_an_id_already_stored_with_different_content_is_refused(project):
    project.run("ingest", "harbour.yaml")
    changed = project.timeline.read_text().replace("demand: harbour stays closed", "demand: harbour stays shut")
    project.write("changed.yaml", changed)
    refused(
        project.run("ingest", "changed.yaml"),
        "changed.yaml: event av-closed: event id 'av-closed' is already in the store with different content "
        "(`demand` stored as 'harbour stays closed', here 'harbour stays shut'): a recorded event never changes: "
        "to correct it, retract it (a ReportRetracted with ref: av-closed) and add the corrected event under a new id",
    )


def test_withdrawal_by_another_party_revision_of_a_non_proposal_and_retracting_a_retraction(project):
    project.run("ingest", "harbour.yaml")
    project.tail(
        f"""\
  - {{id: w, type: Withdrawn, date: 2024-02-01, by: alice, ref: bo-zone, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: p, type: ProposalTabled, date: 2024-02-01, by: AV, title: T, revises: av-closed, provisions: [{{issue: port, text: t}}], summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: r1, type: ReportRetracted, ref: av-welcomes, reason: wrong, summary: s}}
  - {{id: r2, type: ReportRetracted, ref: r1, reason: wrong, summary: s}}
"""
    )
    refused(
        project.run("ingest", "more.yaml"),
        "more.yaml: event w: only BO can withdraw 'bo-zone', not AV",
        "more.yaml: event p: `revises`: 'av-closed' names no proposal recorded before it",
        "more.yaml: event r2: `ref`: 'r1' is itself a retraction",
    )


def test_a_statement_dated_after_the_moment_it_is_recorded_is_refused(project):
    project.run("ingest", "harbour.yaml")
    project.tail(
        f"  - {{id: future, type: PositionStated, date: 2999-01-01, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}\n"
    )
    result = project.run("ingest", "more.yaml")
    assert result.exit_code == 2
    assert "more.yaml: event future: `date` 2999-01-01 is after the moment it is recorded (" in result.stderr


def test_recorded_at_is_for_scenario_files_only(project):
    project.run("ingest", "harbour.yaml")
    project.tail(
        f"  - {{id: late, type: PositionStated, date: 2024-02-01, by: BO, issue: port, stance: supports, summary: s, recorded_at: 2024-06-01T00:00:00Z, source: {{ref: hw, quote: {Q}}}}}\n"
    )
    refused(
        project.run("ingest", "more.yaml"),
        "more.yaml: event late: `recorded_at` is set by the store; only scenario files may give it",
    )


def test_file_level_problems(project):
    project.write("a.yaml", "negotrack: 2\nthread: {id: harbour}\nextra: 1\nevents: []\n")
    project.write("b.yaml", "thread: {id: Harbour Talks}\n")
    project.write("c.yaml", "negotrack: 1\nthread: {id: harbour\n")
    (project.root / "d.yaml").write_bytes(b"negotrack: 1\nthread: {id: caf\xe9}\n")
    project.write("e.txt", "hello")
    refused(
        project.run("ingest", "a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.txt", "missing.yaml"),
        "a.yaml: unknown top-level key `extra`",
        "a.yaml: `negotrack` must be 1 (the format version), not 2",
        "b.yaml: missing `negotrack: 1` (the format version)",
        "b.yaml: thread: `id`: 'Harbour Talks' is not a slug (lower-case letters, digits, '.', '_', '-')",
        "c.yaml: line 3: not valid YAML: did not find expected ',' or '}' "
        "(inside { }, a value holding ',' or ': ' must be in quotes)",
        "d.yaml: line 2: not UTF-8 (byte 0xe9 at offset 29)",
        "e.txt: unknown file type: expected .yaml, .yml, .json or .ndjson",
        "missing.yaml: no such file",
    )


def test_declarations_must_agree_and_sources_must_be_readable(project):
    project.run("ingest", "harbour.yaml")
    project.write(
        "decl.yaml",
        """\
        negotrack: 1
        thread:
          id: harbour
          parties:
            AV: {name: Avalonia}
            alice: {name: Alice}
          issues:
            port: {title: Port access, proposition: Borealis ships may use Avalon's port}
        sources:
          gone: {path: nowhere.txt}
        events: []
        """,
    )
    refused(
        project.run("ingest", "decl.yaml"),
        "decl.yaml: thread: party 'AV' is already declared with different content",
        "decl.yaml: thread: 'alice' is declared both as a party and as an actor",
        "decl.yaml: source gone: source file 'nowhere.txt' is not a readable file",
    )


def test_a_party_declared_as_an_actor_too_is_refused_in_one_file(project):
    project.write(
        "both.yaml",
        """\
        negotrack: 1
        thread:
          id: talks
          title: Talks
          parties: {AV: {name: Avalon}}
          actors: {AV: {name: Alice, party: AV}}
        events: []
        """,
    )
    refused(project.run("ingest", "both.yaml"), "both.yaml: thread: 'AV' is declared both as a party and as an actor")


def test_yaml_1_1_booleans_stay_words(project):
    """`on`, `yes` and `no` are strings, as in YAML 1.2: an issue may be called `no`."""
    text = project.timeline.read_text().replace("    port: {title", "    'no': {title: No-fly zone}\n    port: {title")
    project.write("words.yaml", text)
    assert project.run("ingest", "words.yaml").exit_code == 0
    state = json.loads(project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout)
    assert state["issues"]["no"]["status"] == "not-raised"


def test_json_and_ndjson_timelines(project, tmp_path):
    import yaml

    data = yaml.safe_load(project.timeline.read_text())
    project.write("t.json", json.dumps(data, default=str))
    header = {k: v for k, v in data.items() if k != "events"}
    lines = [json.dumps(header, default=str)] + [json.dumps(e, default=str) for e in data["events"]]
    project.write("t.ndjson", "\n".join(lines) + "\n")
    assert project.run("ingest", "t.json").exit_code == 0
    from_json = project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout
    project.db = str(tmp_path / "nd.db")
    assert project.run("ingest", "t.ndjson").exit_code == 0
    assert project.run("state", "harbour", "--as-of", "2024-12-31", "--json").stdout == from_json
    bad = lines[:2] + ['{"id": "x", "type": "PositionStated"'] + lines[2:]
    project.write("bad.ndjson", "\n".join(bad) + "\n")
    refused(project.run("ingest", "bad.ndjson"), "bad.ndjson: line 3: not valid JSON: Expecting ',' delimiter")


def test_the_ingest_command_as_its_own_process_ends_with_everything_written(project):
    """`negotrack ingest` run as a program ends its process itself (process._end): same output and exit
    code as in process, the store committed and closed (no WAL left behind), and readable by the next command."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "NEGOTRACK_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "negotrack", "ingest", "--db", "store.db", "harbour.yaml"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == "harbour: 3 new events, 6 declarations\nRecorded in store.db.\n"
    assert not os.path.exists(project.db + "-wal")
    assert event_count(project) == 3
    again = project.run("ingest", "harbour.yaml")
    assert again.stdout == (
        "harbour: 0 new events, 3 already in the store\n"
        "Nothing to write: the store store.db already has all of it.\n"
    )


def test_an_event_changing_a_stance_set_the_same_day_by_the_same_party_is_recorded_with_a_warning(project):
    assert project.run("ingest", "harbour.yaml").exit_code == 0
    # background coded later, dated the report's date: it overrides what Avalon said that day
    project.tail(
        """\
        - {id: av-long-opposed, type: PositionStated, date: 2024-01-25, by: AV, issue: port, stance: opposes,
           summary: Avalon has long opposed port access, source: {ref: hw, quote: the harbour must stay closed}}
        - {id: av-still-opposed, type: PositionStated, date: 2024-01-25, by: AV, issue: port, stance: opposes,
           summary: Avalon still opposes, source: {ref: hw, quote: the harbour must stay closed}}
        - {id: bo-same-day, type: PositionStated, date: 2024-01-25, by: BO, issue: port, stance: opposes,
           summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}
        """
    )
    checked = project.run("ingest", "--check", "more.yaml")  # --check warns as ingest does
    result = project.run("ingest", "more.yaml")
    assert checked.exit_code == 0
    assert checked.stderr == result.stderr
    assert result.exit_code == 0
    assert result.stdout.startswith("harbour: 3 new events\n")
    assert result.stderr == (
        "warning: more.yaml: event av-long-opposed: changes AV's stance on port from conditional"
        " (av-welcomes, also dated 2024-01-25) to opposes: events of one date with no `order` or `time` apply in"
        " recording order, so av-long-opposed wins; if av-long-opposed came first that day (background, say),"
        " give it `order: -1`\n"
    )  # one warning: the restatement changes nothing, and Borealis had no stance on port that day
    assert json.loads(project.run("state", "harbour", "--as-of", "2024-01-25", "--json").stdout)["issues"]["port"][
        "stances"
    ]["AV"]["event"] == "av-still-opposed"


def test_two_events_of_one_input_on_one_date_with_different_stances_are_warned_of(project):
    text = project.timeline.read_text(encoding="utf-8") + (
        "  - {id: av-later, type: PositionStated, date: 2024-01-10, by: AV, issue: fishing, stance: supports,\n"
        "     summary: Avalon supports, source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}}\n"
    )
    project.write("harbour.yaml", text)
    result = project.run("ingest", "harbour.yaml")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "warning: harbour.yaml: event av-later: changes AV's stance on fishing from opposes (av-closed,"
        " also dated 2024-01-10) to supports:"
    )


def test_an_order_or_time_that_tells_two_statements_of_a_day_apart_silences_the_warning(project):
    text = project.timeline.read_text(encoding="utf-8") + (
        "  - {id: av-later, type: PositionStated, date: 2024-01-10, by: AV, issue: fishing, stance: supports, order: 1,\n"
        "     summary: Avalon supports, source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}}\n"
        "  - {id: av-earlier, type: PositionStated, date: 2024-01-10, by: AV, issue: fishing, stance: opposes, order: -1,\n"
        "     summary: Avalon opposed, source: {ref: hw, quote: the harbour must stay closed to foreign fleets}}\n"
    )
    project.write("harbour.yaml", text)
    result = project.run("ingest", "harbour.yaml")
    assert (result.exit_code, result.stderr) == (0, "")  # av-earlier, av-closed (order 0), then av-later
    state = json.loads(project.run("state", "harbour", "--as-of", "2024-01-10", "--json").stdout)
    assert state["issues"]["fishing"]["stances"]["AV"]["event"] == "av-later"
