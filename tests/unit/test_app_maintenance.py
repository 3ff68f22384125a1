"""verify and rebuild on a scratch store; export of a thread from its stored events."""

from __future__ import annotations

import io

from app_support import TIMELINE, write

from negotrack.app import export, ingest, maintenance, queries
from negotrack.app.queries import Query
from negotrack.store.store import Store


def test_a_fresh_store_verifies_and_rebuilds_to_the_same_answers(tmp_path):
    store = Store.scratch()
    ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    report = maintenance.verify(store)
    assert report["problems"] == [] and (report["threads"], report["statements"]) == (1, 4)
    before = queries.state(store, Query("lake", "2024-12-31"))
    assert maintenance.rebuild(store) == {"lake": 4}
    assert queries.state(store, Query("lake", "2024-12-31")) == before


def test_an_export_ingests_into_another_store_as_the_same_thread(tmp_path):
    store = Store.scratch()
    ingest.ingest(store, [write(tmp_path, "lake.yaml", TIMELINE)])
    out = io.StringIO()
    done = export.export(store, "lake", "json", None, out)
    assert done.events == 4
    other = Store.scratch()
    ingest.ingest(other, [write(tmp_path, "again.json", out.getvalue())])
    assert queries.state(other, Query("lake", "2024-12-31")) == queries.state(store, Query("lake", "2024-12-31"))
