"""Refusals in the analyst's words, each with the fix (issue 17, §2), through `ingest` and `ingest --check` alike."""

from __future__ import annotations

import pytest

Q = "Borealis rejected the plan outright."


def refusal(project, *args: str) -> list[str]:
    """The problems listed by a refused ingest and by ``ingest --check`` (the same), with nothing written."""
    checked = project.run("ingest", "--check", *args)
    result = project.run("ingest", *args)
    assert result.exit_code == 2, result.output
    assert (checked.exit_code, checked.stderr) == (2, result.stderr)
    return [line.strip() for line in result.stderr.splitlines()[1:]]


@pytest.fixture
def stored(project):
    assert project.run("ingest", "harbour.yaml").exit_code == 0
    return project


def test_a_month_given_as_a_date_suggests_the_first_of_the_month_with_its_precision(stored):
    stored.tail(f"  - {{id: m, type: PositionStated, date: 2024-12, by: BO, issue: port, stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}\n")
    assert refusal(stored, "more.yaml") == [
        "more.yaml: event m: `date`: bad date '2024-12': a date is YYYY-MM-DD; for a month, write 2024-12-01 with `precision: month`"
    ]


def test_a_list_of_issues_says_one_is_allowed_and_what_to_do(stored):
    stored.tail(f"  - {{id: l, type: PositionStated, date: 2024-02-01, by: BO, issue: [port, fishing], stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}\n")
    assert refusal(stored, "more.yaml") == [
        "more.yaml: event l: `issue`: one issue is allowed per event (given a list: 'port', 'fishing'): record one event "
        "per issue, or, for a proposal on several issues, a ProposalTabled whose provisions each name one; an "
        "AgreementReached on several issues lists them in `issues`"
    ]


def test_an_unquoted_comma_in_a_flow_mapping_hints_at_quoting(stored):
    stored.tail(f"  - {{id: c, type: PositionStated, date: 2024-02-01, by: BO, issue: port, stance: supports, summary: Borealis, yes, source: {{ref: hw, quote: {Q}}}}}\n")
    assert refusal(stored, "more.yaml") == [
        "more.yaml: event c: unknown field `yes`: did an unquoted comma cut `summary` short? Inside { }, a value "
        'holding \',\' or \': \' must be in quotes, e.g. summary: "Borealis, yes"'
    ]


def test_an_event_stored_with_other_sources_says_to_add_the_source_to_a_new_event(stored):
    changed = stored.timeline.read_text().replace(
        "source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}",
        "source: {ref: hw, quote: Avalon welcomed the zone plan}",
    )
    stored.write("changed.yaml", changed)
    (problem,) = refusal(stored, "changed.yaml")
    assert problem.startswith(
        "changed.yaml: event av-welcomes: event id 'av-welcomes' is already in the store with different content (`source` stored as "
    )
    assert problem.endswith(
        "only its sources differ, and a recorded event's sources never change: keep this event as it was stored, "
        "and add the new source to a new event with an id of its own"
    )


def test_a_bad_id_hides_none_of_the_events_other_problems(stored):
    stored.tail(
        "  - {id: Bad_Id, type: PositionStated, date: 2024-02-30, by: BO, issue: port, stance: maybe, summary: s, source: {ref: hw, quote: q}}\n"
        "  - {id: Bad2, type: PositionStated, date: 2024-02-03, by: nobody, issue: harbor, stance: supports, summary: s, source: {ref: wire, quote: q}}\n"
    )
    assert refusal(stored, "more.yaml") == [
        "more.yaml: event Bad_Id: `id`: 'Bad_Id' is not a slug (lower-case letters, digits, '.', '_', '-')",
        "more.yaml: event Bad_Id: `date`: bad date '2024-02-30': no such day",
        "more.yaml: event Bad_Id: `stance`: Input should be 'supports', 'opposes', 'conditional' or 'undecided', not 'maybe'",
        "more.yaml: event Bad2: `id`: 'Bad2' is not a slug (lower-case letters, digits, '.', '_', '-')",
        "more.yaml: event Bad2: `by`: 'nobody' names no declared actor or party",
        "more.yaml: event Bad2: issue 'harbor' is not declared",
        "more.yaml: event Bad2: `source`: source 'wire' is not declared",
    ]
