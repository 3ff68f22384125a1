"""The demo and the seed timeline it tells: the five articles, coded, ingest cleanly and tell the story."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from negotrack.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "ukraine-peace.yaml"


def test_demo_tells_the_nato_story(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the demo finds seeds/ beside the package, not in the CWD
    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("== ukraine-peace: 47 events ingested from seeds/ukraine-peace.yaml\n")
    # The replay: NATO's promise, Ukraine's constitution, then the trade in Berlin.
    assert (
        "2008-04-03  nato-bucharest-2008  PositionStated by NATO\n"
        "    At the Bucharest summit NATO says Ukraine and Georgia will become members\n"
        "    * nato-membership: NATO stance none -> supports\n"
        "    * nato-membership: status not-raised -> open\n"
    ) in out
    assert (
        "2025-12-14  zelensky-forgoes-nato  ConcessionMade by UA (zelensky)\n"
        "    Zelensky offers to forgo NATO membership in exchange for security guarantees\n"
        "    * nato-membership: UA stance supports -> conditional\n"
        "    * nato-membership: concession zelensky-forgoes-nato tabled\n"
        "    * nato-membership: status contested -> open\n"
    ) in out
    # The status of each issue at each article's date.
    assert "issue                2025-03-17  2025-04-16  2025-11-28  2025-12-14  2025-12-15\n" in out
    assert "nato-membership      contested   contested   contested   open        open\n" in out
    assert "territory            not-raised  not-raised  open        contested   contested\n" in out
    assert "== Every issue as of 2025-12-15, the last article\n" in out
    assert out.endswith(
        "The report of ukraine-peace, to open in a browser (it needs no network): ukraine-peace.html\n"
        "(a temporary store; `negotrack demo --db demo.db` keeps it, then try `negotrack state ukraine-peace --db demo.db`)\n"
    )
    # The temporary store is gone; the report is left in the CWD, whole.
    assert [p.name for p in tmp_path.iterdir()] == ["ukraine-peace.html"]
    assert "Russia–Ukraine peace negotiations" in (tmp_path / "ukraine-peace.html").read_text(encoding="utf-8")


def test_demo_keeps_its_store_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "--db", "demo.db"]).exit_code == 0
    state = runner.invoke(cli, ["state", "ukraine-peace", "--db", "demo.db", "--as-of", "2025-11-30", "--json"])
    doc = json.loads(state.stdout)
    nato = doc["issues"]["nato-membership"]
    # The contract's own example (§5) is this timeline as of 2025-11-30.
    assert nato["status"] == "contested"
    assert nato["last_event"] == {"id": "putin-plan-basis", "date": "2025-11-27"}
    assert nato["stances"]["RU"] == {"stance": "opposes", "since": "2025-11-27", "event": "ru-nato-unacceptable"}
    assert nato["items"]["us-28-point-plan"]["responses"] == {
        "RU": {"response": "accepted", "qualifier": "in_principle", "date": "2025-11-27", "event": "putin-plan-basis"}
    }
    again = runner.invoke(cli, ["demo", "--db", "demo.db"])
    assert again.exit_code == 2
    assert "demo.db already exists: the demo needs a fresh store" in again.output


def test_seed_timeline_codes_the_articles():
    """At least 35 events, every §3 type the articles support, one statement with two sources."""
    import yaml

    doc = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    events = doc["events"]
    assert len(events) >= 35
    types = {e["type"] for e in events}
    assert types >= {"PositionStated", "DemandIssued", "ProposalTabled", "ConcessionMade", "GuaranteeOffered",
                     "ThreatIssued", "Accepted", "Rejected"}
    assert all(s.get("reliability") for s in doc["sources"].values())
    two_sources = [e["id"] for e in events if isinstance(e["source"], list)]
    assert two_sources == ["zelensky-forgoes-nato"]
    for name in (s["path"] for s in doc["sources"].values()):
        assert (SEED.parent / name).is_file()


def _seed_store(tmp_path: Path) -> tuple[CliRunner, str]:
    runner = CliRunner()
    db = str(tmp_path / "seed.db")
    assert runner.invoke(cli, ["ingest", "--db", db, str(SEED)]).exit_code == 0
    return runner, db


def test_a_changed_answer_is_a_change_in_diff_and_replay(tmp_path):
    """RU's answer to the peacekeeping coalition: Grushko's rejection, then Lavrov's, with a new date and reason."""
    runner, db = _seed_store(tmp_path)
    change = (
        "foreign-troops: starmer-peacekeeping-coalition by RU: rejected (2025-03-17, grushko-rejects-nato-presence)"
        " -> rejected (2025-04-14, lavrov-rejects-western-troops):"
        " the West seeks to reinforce anti-Russian sentiment, not a genuine peace"
    )
    diff = runner.invoke(cli, ["diff", "ukraine-peace", "2025-03-31", "2025-04-30", "--db", db])
    assert f"  {change}\n" in diff.stdout
    doc = json.loads(runner.invoke(cli, ["diff", "ukraine-peace", "2025-03-31", "2025-04-30", "--db", db, "--json"]).stdout)
    answered = [c for c in doc["changes"] if c["what"] == "answered"]
    assert answered == [
        {
            "issue": "foreign-troops",
            "what": "answered",
            "subject": "starmer-peacekeeping-coalition",
            "party": "RU",
            "before": {"response": "rejected", "reason": "Any NATO presence under any banner is an unacceptable escalation",
                       "date": "2025-03-17", "event": "grushko-rejects-nato-presence"},
            "after": {"response": "rejected", "reason": "the West seeks to reinforce anti-Russian sentiment, not a genuine peace",
                      "date": "2025-04-14", "event": "lavrov-rejects-western-troops"},
            "event": "lavrov-rejects-western-troops",
        }
    ]  # fmt: skip
    replay = runner.invoke(cli, ["replay", "ukraine-peace", "--db", db, "--until", "2025-04-30"]).stdout
    step = replay.split("2025-04-14 (week)  lavrov-rejects-western-troops  Rejected by RU (lavrov)\n", 1)[1]
    assert step.startswith(f"    Lavrov rejects Western troops in Ukraine\n    * {change}\n")


def test_state_says_when_a_stance_was_last_stated_and_since_when_it_is_held(tmp_path):
    runner, db = _seed_store(tmp_path)
    text = runner.invoke(cli, ["state", "ukraine-peace", "--db", db, "--as-of", "2025-12-15", "--issue", "nato-membership"])
    assert "    RU    opposes      last stated 2025-12-15 (week), held since 2022-02-24  (putin-no-eastward-expansion)\n" in text.stdout
    assert " since 2025-12-15" not in text.stdout  # "since" read as "held since": the wrong meaning
    doc = json.loads(
        runner.invoke(cli, ["state", "ukraine-peace", "--db", db, "--as-of", "2025-12-15", "--json"]).stdout
    )
    nato = doc["issues"]["nato-membership"]
    # the contract's `since` (last stated) is kept, in the contract's shape; `held_since` is beside it
    assert nato["stances"]["RU"] == {"stance": "opposes", "since": "2025-12-15", "event": "putin-no-eastward-expansion"}
    assert nato["held_since"]["RU"] == "2022-02-24"
    assert nato["held_since"]["UA"] == "2025-12-14"  # supports until then, conditional from zelensky-forgoes-nato on


def test_state_text_shows_a_date_known_to_the_week_or_month_as_timeline_does(tmp_path):
    runner, db = _seed_store(tmp_path)
    text = runner.invoke(cli, ["state", "ukraine-peace", "--db", db, "--as-of", "2025-11-30", "--issue", "neutrality"]).stdout
    assert "  last event: ru-conditions-for-peace (week of 2025-04-15)\n" in text
    assert "    RU  supports     last stated 2025-04-15 (week), held since 2025-03-17  (ru-conditions-for-peace)\n" in text
    assert "    ru-conditions-for-peace  demand by RU, 2025-04-15 (week)  [open]\n" in text
    timeline = runner.invoke(cli, ["timeline", "ukraine-peace", "--db", db, "--issue", "neutrality"]).stdout
    assert "2025-04-15 (week)  ru-conditions-for-peace  DemandIssued  RU  [neutrality]\n" in timeline
    doc = json.loads(runner.invoke(cli, ["state", "ukraine-peace", "--db", db, "--as-of", "2025-11-30", "--json"]).stdout)
    assert doc["issues"]["neutrality"]["last_event"] == {"id": "ru-conditions-for-peace", "date": "2025-04-15"}  # §5's shape
