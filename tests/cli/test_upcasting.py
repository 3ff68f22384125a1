"""Old stores stay readable: a version-1 SourceDeclared (before text_sha256) is read by today's code."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from freezegun import freeze_time

from negotrack.domain import events as ev
from negotrack.store.application import NegotrackApplication
from negotrack.store.config import resolve_db


def downgrade_sources_to_v1(db: str) -> int:
    """Rewrite every stored SourceDeclared as version-1 code wrote it: no text_sha256, no class_version."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT notification_id, state FROM stored_events WHERE topic LIKE '%:SourceDeclared'").fetchall()
    for nid, state in rows:
        doc = json.loads(state)
        assert doc.pop("class_version") == 2
        doc.pop("text_sha256")
        con.execute("UPDATE stored_events SET state = ? WHERE notification_id = ?", (json.dumps(doc).encode(), nid))
    con.commit()
    con.close()
    return len(rows)


def test_a_version_1_source_is_upcast_by_version_2_code(project):
    with freeze_time("2024-06-01T12:00:00Z"):
        assert project.run("ingest", "harbour.yaml").exit_code == 0
    assert downgrade_sources_to_v1(project.db) == 1

    app = NegotrackApplication(resolve_db(project.db))
    declared = [e for e in app.thread_events("harbour") if isinstance(e, ev.SourceDeclared)]
    assert len(declared) == 1
    source = declared[0]
    assert source.text is not None
    assert source.text_sha256 == hashlib.sha256(source.text.encode("utf-8")).hexdigest()

    # The upcast declaration is identical to today's: re-ingesting the file is still a no-op.
    again = project.run("ingest", "harbour.yaml")
    assert again.exit_code == 0, again.output
    assert "0 new events" in again.stdout
