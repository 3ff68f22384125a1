"""Scenario files: `negotrack check` and the pytest plugin report a wrong expectation readably."""

from __future__ import annotations

import shutil

import pytest
from pathlib import Path

from click.testing import CliRunner

from negotrack.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]

pytest_plugins = ["pytester"]


def wrong_scenario(folder: Path) -> Path:
    shutil.copy(DATA / "wire.txt", folder / "wire.txt")
    target = folder / "wrong.scenario.yaml"
    shutil.copy(DATA / "deliberately-wrong.yaml", target)
    return target


def test_check_reports_expected_versus_actual_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wrong_scenario(tmp_path)
    result = CliRunner().invoke(cli, ["check", "."])
    assert result.exit_code == 1
    assert result.stdout == (
        "ok    wrong.scenario.yaml: port as of 2024-03-11\n"
        "FAIL  wrong.scenario.yaml: port as of 2024-03-10\n"
        "      scenario: Port access is contested (one expectation deliberately wrong)\n"
        "      status: expected agreed, got open\n"
        "      stances.BO: expected supports, got nothing (null)\n"
        "1 passed, 1 failed\n"
    )


def test_check_passes_the_contract_conformance_scenario():
    result = CliRunner().invoke(cli, ["check", str(ROOT / "tests" / "conformance")])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "30 passed, 0 failed"


def test_an_invalid_scenario_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = wrong_scenario(tmp_path)
    target.write_text(target.read_text().replace("as_of: '2024-03-11'", "as_of: 'soon'"))
    result = CliRunner().invoke(cli, ["check", "wrong.scenario.yaml"])
    assert result.exit_code == 2
    assert "wrong.scenario.yaml: expect #1, line 20: as_of: 'soon' is not a date (YYYY-MM-DD)" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed"


# One expectation that would pass (or fail) for nothing, and what `check` says of it: each name
# an expectation gives must exist in the thread.
NAMES_FOR_NOTHING = [
    ("stances: {XX: null}",
     "expect #1, line 21: `stances.XX`: thread 'harbour' has no party 'XX' (parties: AV, BO)"),
    ("absent: [no-such-item]",
     "expect #1, line 21: `absent.no-such-item`: thread 'harbour' has no event 'no-such-item'"),
    ("absent: [av-yes]",
     "expect #1, line 21: `absent.av-yes`: event 'av-yes' is a PositionStated, which tables no item"),
    ("items: {bo-no: {kind: agreement}}",
     "expect #1, line 21: `items.bo-no`: event 'bo-no' is a PositionStated, which tables no item"),
    ("items: {bo-plan: {kind: agreement}}",
     "expect #1, line 21: `items.bo-plan.kind`: 'agreement' is not a kind of item "
     "(kinds: demand, proposal, concession, guarantee, threat)"),
    ("items: {bo-plan: {by: XX, responses: {YY: accepted}}}",
     "expect #1, line 21: `items.bo-plan.by`: thread 'harbour' has no party 'XX' (parties: AV, BO)"),
    ("items: {bo-plan: {responses: {YY: accepted}}}",
     "expect #1, line 21: `items.bo-plan.responses.YY`: thread 'harbour' has no party 'YY' (parties: AV, BO)"),
    ("items: {bo-plan: {responses: {AV: accept}}}",
     "expect #1, line 21: `items.bo-plan.responses.AV`: 'accept' is not accepted or rejected"),
    ("issue: prot",
     "expect #1, line 21: `issue`: thread 'harbour' has no issue 'prot' (issues: port)"),
    ("thread: harbor",
     "expect #1, line 21: `thread`: the scenario has no thread 'harbor' (threads: harbour)"),
]


@pytest.mark.parametrize(("given", "message"), NAMES_FOR_NOTHING, ids=[g for g, _ in NAMES_FOR_NOTHING])
def test_a_name_the_thread_does_not_have_makes_the_scenario_invalid(tmp_path, monkeypatch, given, message):
    monkeypatch.chdir(tmp_path)
    target = wrong_scenario(tmp_path)
    text = target.read_text().replace(
        "  - {id: bo-no,",
        "  - {id: bo-plan, type: ProposalTabled, date: '2024-03-11', by: BO, title: Plan,"
        " provisions: [{issue: port, text: a}], summary: Borealis opposes port access,"
        " source: {ref: hw, quote: Borealis said it opposes port access.}}\n  - {id: bo-no,",
    )
    key = given.split(":", 1)[0]
    lines = text.split("\n")
    first = lines.index("  - as_of: '2024-03-11'")
    # the first expectation (line 21): its as_of, and the key given (with `issue: port` unless that is it)
    lines[first + 1 : first + 4] = [f"    {given}"] if key == "issue" else ["    issue: port", f"    {given}"]
    target.write_text("\n".join(lines))
    result = CliRunner().invoke(cli, ["check", "wrong.scenario.yaml"])
    assert result.exit_code == 2, result.stdout
    assert f"wrong.scenario.yaml: {message}" in result.stdout
    assert "--" not in result.stdout  # no option of the command line in a scenario's message


def test_recorded_times_never_go_backwards(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = wrong_scenario(tmp_path)
    text = target.read_text().replace(
        "summary: Borealis opposes port access,", "summary: Borealis opposes port access, recorded_at: '2024-05-01T00:00:00Z',"
    )
    target.write_text(text)
    result = CliRunner().invoke(cli, ["check", "wrong.scenario.yaml"])
    assert result.exit_code == 2
    assert "wrong.scenario.yaml: event bo-no: `recorded_at` is earlier than the scenario's clock" in result.stdout


def test_the_pytest_plugin_collects_one_item_per_expectation_and_reports_the_field(pytester):
    wrong_scenario(pytester.path)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*wrong.scenario.yaml::port as of 2024-03-11 PASSED*",
            "*wrong.scenario.yaml::port as of 2024-03-10 FAILED*",
            "scenario: Port access is contested (one expectation deliberately wrong)",
            "expected: port as of 2024-03-10",
            "  status: expected agreed, got open",
            "  stances.BO: expected supports, got nothing (null)",
        ]
    )


def test_the_worked_example_in_the_docs_passes(tmp_path, monkeypatch):
    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "wire.txt", tmp_path / "wire.txt")
    (tmp_path / "example.scenario.yaml").write_text(example, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "."])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "3 passed, 0 failed"
