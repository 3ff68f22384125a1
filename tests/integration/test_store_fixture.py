"""Old stores stay readable: a store written by version-1 code (tests/fixtures/store-v1.db) is opened by today's.

The fixture is the conformance harbour scenario's store, built once by
``tests/fixtures/make_store.py`` and committed.  Never rebuild it to make this
test pass: a change to the event classes must keep it readable (upcast where
a payload changes).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from negotrack.app import queries
from negotrack.cli import cli
from negotrack.scenarios.runner import evaluate, load_scenario
from negotrack.app.queries import Query
from negotrack.domain.instants import parse_known_at
from negotrack.store.recorder import forget
from negotrack.store.store import Store

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "fixtures" / "store-v1.db"
SCENARIO = HERE.parent / "conformance" / "harbour.scenario.yaml"


@pytest.fixture
def old_store(tmp_path: Path):
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, db)
    url = f"sqlite:///{db}"
    yield url, db
    forget(url)


def test_every_stored_event_and_snapshot_of_the_old_store_decodes(old_store):
    url, _ = old_store
    store = Store.open(url)
    app = store.app
    with store.db.transaction() as conn:
        rows = conn.exec_driver_sql("SELECT originator_id, originator_version FROM stored_events").fetchall()
    events = store.thread_events("harbour")
    assert len(events) == len(rows) == 25
    assert [e.originator_version for e in events] == list(range(1, 26))
    assert app.get_thread("harbour") is not None  # from its snapshot and the events after it
    assert sum(1 for e in events if type(e).__name__.endswith("Event")) == 16


def test_the_old_store_answers_as_worked_out_by_hand(old_store):
    url, _ = old_store
    doc = queries.state(Store.open(url), Query("harbour", "2024-01-25"))
    fishing, port, border = doc["issues"]["fishing"], doc["issues"]["port"], doc["issues"]["border"]
    assert (fishing["status"], port["status"], border["status"]) == ("open", "open", "not-raised")
    assert {p: s["stance"] for p, s in fishing["stances"].items()} == {"AV": "conditional", "BO": "supports"}
    assert list(fishing["items"]) == ["av-closed", "bo-zone"] and list(port["items"]) == ["bo-zone"]
    assert fishing["items"]["av-closed"]["responses"] == {}
    assert fishing["items"]["bo-zone"]["responses"]["AV"]["response"] == "accepted"
    assert fishing["items"]["bo-zone"]["by"] == "BO" and fishing["items"]["bo-zone"]["kind"] == "proposal"


def test_the_old_store_meets_every_expectation_of_its_scenario(old_store):
    url, _ = old_store
    scenario = load_scenario(SCENARIO)
    assert len(scenario.expectations) == 30
    for exp in scenario.expectations:
        assert evaluate(Store.open(url), exp) == [], exp.label


def test_the_old_store_read_model_agrees_with_a_replay_of_its_events(old_store):
    url, _ = old_store
    for as_of in ("2024-01-09", "2024-01-15", "2024-01-25", "2024-02-10", "2024-03-31"):
        for known_at in (None, "2024-06-01", "2024-06-02T00:00:00Z", "2024-06-30"):
            q = Query("harbour", as_of, (parse_known_at(known_at) if known_at else None), None)
            assert queries.state(Store.open(url), q) == queries.state_by_replay(Store.open(url), q), (as_of, known_at)


def test_the_old_store_works_with_the_commands(old_store):
    _, db = old_store
    runner = CliRunner()
    result = runner.invoke(cli, ["state", "harbour", "--as-of", "2024-01-25", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["issues"]["port"]["items"]["bo-zone"]["status"] == "open"
    if "verify" in cli.commands:  # another change adds `negotrack verify`
        result = runner.invoke(cli, ["verify", "--db", str(db)])
        assert result.exit_code == 0, result.output
