"""The store's bulk insert (``tables.insert_rows``: executemany on SQLite, COPY on PostgreSQL) as the writers rely on it.

Two writers that both got past the lock (or a store changed behind negotrack's
back) clash on a unique key: the clash must be an ``IntegrityError`` that
``Store.is_conflict`` takes for a conflict (ingest then retries from the start),
and nothing of the failed transaction may stay, on either backend.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from negotrack.store.db import database_for, rm_search, stored_events
from negotrack.store.store import Store
from negotrack.store.tables import insert_rows

COLUMNS = ("originator_id", "originator_version", "topic", "state")
AGGREGATE = "00000000-0000-4000-8000-000000000001"


def _count(db, table) -> int:
    with db.transaction() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_a_key_written_meanwhile_is_a_conflict_and_nothing_stays(backend):
    assert backend.run("init").exit_code == 0
    db = database_for(backend.url())
    rows = [(AGGREGATE, v, "negotrack.test:Event", b'{"n": %d}' % v) for v in range(1, 501)]
    with db.transaction(write=True) as conn:
        insert_rows(conn, stored_events, COLUMNS, rows[:1])  # "the other writer" stored version 1
    with pytest.raises(IntegrityError) as caught:
        with db.transaction(write=True) as conn:
            insert_rows(conn, rm_search, ("thread", "event_id", "seq", "words"), [("t", "e1", 1, "harbour")])
            insert_rows(conn, stored_events, COLUMNS, rows)  # versions 1..500: 1 is taken
    assert Store.is_conflict(caught.value)
    assert _count(db, stored_events) == 1  # the other writer's row, and nothing of the failed transaction
    assert _count(db, rm_search) == 0
    with db.transaction(write=True) as conn:  # the store takes writes again (the connection is usable)
        insert_rows(conn, stored_events, COLUMNS, rows[1:])
    assert _count(db, stored_events) == 500


def test_bulk_rows_are_stored_exactly(backend):
    """What COPY writes is what executemany wrote: text with tabs, newlines, backslashes, quotes, NULs of bytes, None."""
    assert backend.run("init").exit_code == 0
    db = database_for(backend.url())
    awkward = 'tab\there, new\nline, back\\slash \\N, "quote", \u00e9t\u00e9 \U0001f54a, \r\n end'
    state = bytes(range(256))
    with db.transaction(write=True) as conn:
        insert_rows(conn, stored_events, COLUMNS, [(AGGREGATE, 1, awkward, state)])
        insert_rows(conn, rm_search, ("thread", "event_id", "seq", "words"), [(awkward, "\\N", 2, "")])
    with db.transaction() as conn:
        got = conn.execute(select(stored_events.c.topic, stored_events.c.state)).one()
        search = conn.execute(select(rm_search.c.thread, rm_search.c.event_id, rm_search.c.seq, rm_search.c.words)).one()
    assert (got[0], bytes(got[1])) == (awkward, state)
    assert tuple(search) == (awkward, "\\N", 2, "")
