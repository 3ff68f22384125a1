"""An old store (tests/fixtures/store-v1.db) is re-ingestable: its stored digests are today's.

Every event of the store's scenario, checked again against it, is found
identical (skipped), so a re-ingest writes nothing; a digest computed
differently from the one the store was written with would refuse them all
as "already recorded with different content".
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from negotrack.domain.rules import Checker, digest
from negotrack.scenarios.runner import load_scenario
from negotrack.store import readmodel
from negotrack.store.recorder import forget
from negotrack.store.store import Store

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "fixtures" / "store-v1.db"
SCENARIO = HERE.parent / "conformance" / "harbour.scenario.yaml"


def test_every_event_of_the_old_store_is_found_identical_when_checked_again(tmp_path: Path):
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, db)
    url = f"sqlite:///{db}"
    try:
        store = Store.open(url)
        scenario = load_scenario(SCENARIO)
        checked = 0
        for _moment, inputs in scenario.batches:
            events = sum(len(i.events) for i in inputs)
            plan = Checker(store, datetime.now(timezone.utc)).check(inputs)
            assert (plan.new_events, plan.skipped) == (0, events)
            checked += events
        assert checked == 16
        with store.db.transaction() as conn:
            rows = conn.exec_driver_sql("SELECT event_id, digest FROM rm_events WHERE thread = 'harbour'").fetchall()
            for event_id, stored in rows:
                assert digest(readmodel.event_body(conn, "harbour", event_id)) == stored, event_id
        assert len(rows) == 16
    finally:
        forget(url)
