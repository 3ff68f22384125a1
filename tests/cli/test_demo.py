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
