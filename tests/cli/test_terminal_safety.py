"""Text from a timeline never reaches the terminal as anything but text.

Names, titles, summaries, quotes, reasons and terms carrying ANSI escape
sequences, control characters (BEL, CR, NUL, the C1 CSI), a bidi override and
markup are printed by every command with the control characters as visible
escapes (``\\x1b``) and the markup as typed, with colour on (as on a terminal)
or off, and in a real pseudo-terminal; JSON output stays valid JSON that
round-trips the text exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from negotrack.cli import cli
from support.terminal import in_a_terminal

MARKUP = "[red]markup[/red] <b>bold</b>"
EVIL = "\x1b[31mred\x1b[0m \x07bell \x9b2J \u202eevil " + MARKUP  # no CR/NUL: it is also a quote
EVIL_CR = EVIL + " \rover \x00nul"  # names and summaries may carry them (JSON escapes)
RAW = ["\x1b[31m", "\x07", "\x9b", "\u202e", "\r", "\x00"]
VISIBLE = ["\\x1b[31mred\\x1b[0m", "\\x07bell", "\\x9b2J", "\\u202eevil", MARKUP]
VISIBLE_CR = ["\\x0dover", "\\x00nul"]


def timeline() -> dict:
    return {
        "negotrack": 1,
        "thread": {
            "id": "evil",
            "title": EVIL_CR,
            "parties": {"AA": {"name": EVIL_CR}, "BB": {"name": "Bee"}},
            "actors": {"ann": {"name": EVIL_CR, "party": "AA", "role": EVIL_CR}},
            "issues": {"i1": {"title": EVIL_CR, "proposition": EVIL_CR}},
        },
        "sources": {"s": {"path": "src.txt", "title": EVIL_CR, "published": "2024-01-01", "reliability": "B"}},
        "events": [
            {"id": "d1", "type": "DemandIssued", "date": "2024-01-02", "by": "ann", "issue": "i1", "demand": EVIL_CR,
             "stance": "opposes", "summary": EVIL_CR, "source": {"ref": "s", "quote": EVIL}},
            {"id": "r1", "type": "Rejected", "date": "2024-01-03", "by": "BB", "ref": "d1", "reason": EVIL_CR,
             "summary": EVIL_CR, "source": {"ref": "s", "quote": EVIL}},
            {"id": "a1", "type": "AgreementReached", "date": "2024-01-04", "parties": ["AA", "BB"], "issue": "i1",
             "terms": EVIL_CR, "summary": EVIL_CR, "source": {"ref": "s", "quote": EVIL}},
            {"id": "x1", "type": "ReportRetracted", "ref": "r1", "reason": EVIL_CR, "summary": EVIL_CR},
        ],
    }  # fmt: skip


SCENARIO = """\
negotrack: 1
scenario: a scenario whose file name is hostile
include: [evil.json]
expect:
  - {as_of: 2024-01-05, issue: i1, status: contested}
"""
SCENARIO_NAME = "x\x1b[31mred\x07\u202e[red]m.scenario.yaml"

TEXT_COMMANDS = [
    ["state", "evil", "--as-of", "2024-01-05"],
    ["timeline", "evil"],
    ["replay", "evil", "--until", "2024-01-05"],
    ["diff", "evil", "2024-01-01", "2024-01-05"],
    ["threads"],
    ["sources", "list"],
    ["sources", "show", "s"],
]
JSON_COMMANDS = [[*c, "--json"] for c in TEXT_COMMANDS if c[0] != "replay"]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src.txt").write_text("Wire. " + EVIL + "\nsecond line\n", encoding="utf-8")
    (tmp_path / "evil.json").write_text(json.dumps(timeline()), encoding="utf-8")
    (tmp_path / SCENARIO_NAME).write_text(SCENARIO, encoding="utf-8")
    with freeze_time("2024-06-01T12:00:00Z"):
        result = CliRunner().invoke(cli, ["ingest", "evil.json"], env={"NEGOTRACK_DB": str(tmp_path / "s.db")})
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("NEGOTRACK_DB", str(tmp_path / "s.db"))
    return tmp_path


def assert_safe(out: str, *, cr: bool = True) -> None:
    for raw in RAW:
        assert raw not in out, f"raw {raw!r} reached the terminal"
    for visible in VISIBLE + (VISIBLE_CR if cr else []):
        assert visible in out, f"{visible!r} not shown"


@pytest.mark.parametrize("color", [False, True], ids=["no-colour", "colour"])
@pytest.mark.parametrize("args", TEXT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_text_command_shows_control_characters_as_escapes_and_markup_as_typed(store, args, color):
    result = CliRunner().invoke(cli, args, color=color)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if color:
        assert "\x1b[" in out or args[0] in ("threads", "sources"), "colour is on"
        out = out.replace("\x1b[0m", "").replace("\x1b[1m", "").replace("\x1b[22m", "")
        for code in ("31m", "32m", "33m", "36m", "90m", "39m"):
            out = out.replace("\x1b[" + code + "[", "[").replace("\x1b[" + code + "*", "*").replace("\x1b[" + code, "")
    # sources list shows only the title; threads shows no free text but the escapes must still hold there
    if args[0] == "threads":
        assert all(raw not in out for raw in RAW)
        return
    assert_safe(out)


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_json_command_prints_valid_json_with_every_control_character_escaped(store, args):
    result = CliRunner().invoke(cli, args, color=True)
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.stdout
    doc = json.loads(result.stdout)
    if args[0] != "threads":
        assert {EVIL_CR, EVIL} & set(strings(doc)), "the text round-trips exactly"


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_errors_and_check_output_show_escapes_too(store):
    result = CliRunner().invoke(cli, ["check", "."], color=True)
    assert result.exit_code == 1, result.output
    out = result.output
    for raw in ["\x07", "\u202e", "\x1b[31mred"]:
        assert raw not in out, f"raw {raw!r} in check output"
    assert "x\\x1b[31mred\\x07\\u202e[red]m.scenario.yaml" in out
    bad = store / "bad.yaml"
    bad.write_text("negotrack: 1\nthread: {id: evil}\nevents:\n- {id: e, type: \"\\e[31mX\\u202e\"}\n")
    result = CliRunner().invoke(cli, ["ingest", "bad.yaml"], color=True)
    assert result.exit_code == 2 and "\x1b[31mX" not in result.output and "\u202e" not in result.output


def test_in_a_real_terminal_the_state_shows_escapes_and_only_its_own_colours(store):
    # wide enough that no escaped text is wrapped
    out = in_a_terminal(["state", "evil", "--as-of", "2024-01-05"], store, {"NEGOTRACK_DB": str(store / "s.db")}, columns=1000)
    assert "\x1b[" in out, "a terminal gets colour"
    for raw in ["\x1b[31mred", "\x07", "\x9b", "\u202e", "\x00"]:
        assert raw not in out
    assert "\\x1b[31mred\\x1b[0m" in out and "\\x0dover" in out and MARKUP in out
