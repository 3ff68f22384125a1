"""The search index: each event's words (``rm_search``), looked up by SQLite FTS5 or PostgreSQL text search.

The words are cut and folded by :mod:`negotrack.domain.textsearch`, which
defines the matching rule; the databases only look them up, so both give the
same events for the same query:

- SQLite: an FTS5 table (``tokenize='ascii'``: it splits on the spaces
  between the stored words and changes nothing else) over ``rm_search.words``,
  kept in step as rows are written (:func:`write`) and by triggers on delete and update; each query word becomes the prefix query ``"word"*``.
- PostgreSQL: a GIN index on ``array_to_tsvector(string_to_array(words, ' '))``
  (the stored words as lexemes, as they are: no parser, no dictionary); each
  query word becomes the prefix lexeme ``'word':*``.
- An SQLite built without FTS5 has no FTS table; the same rule is then applied
  by ``LIKE`` on the stored words (slower, same results).

Rows are written with the events' read-model rows (:class:`~negotrack.store.readmodel.Projector`),
in the same transaction; ``rebuild`` writes them again; ``verify`` checks them
against the events; a store from before the index gets it filled when it is
first opened (``db.Database._upgrade``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Integer, and_, column, func, literal, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from negotrack.domain.textsearch import index_words
from negotrack.store.tables import insert_rows, rm_events, rm_search

FTS = "rm_search_fts"
_COLUMNS = ("thread", "event_id", "seq", "words")
PAGE = 2000

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(words, content='rm_search', content_rowid='id', tokenize='ascii')",
    f"CREATE TRIGGER IF NOT EXISTS rm_search_ad AFTER DELETE ON rm_search BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, words) VALUES ('delete', old.id, old.words); END",
    f"CREATE TRIGGER IF NOT EXISTS rm_search_au AFTER UPDATE ON rm_search BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, words) VALUES ('delete', old.id, old.words); "
    f"INSERT INTO {FTS}(rowid, words) VALUES (new.id, new.words); END",
)
_PG_VECTOR = "array_to_tsvector(string_to_array(words, ' '))"
_PG_DDL = (f"CREATE INDEX IF NOT EXISTS rm_search_words ON rm_search USING gin ({_PG_VECTOR})",)


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def install(conn: Connection) -> bool:
    """Create the index over ``rm_search`` (the table exists); False if this SQLite has no FTS5."""
    if not _sqlite(conn):
        for ddl in _PG_DDL:
            conn.execute(text(ddl))
        return True
    nested = conn.begin_nested()
    try:
        for ddl in _SQLITE_DDL:
            conn.execute(text(ddl))
    except OperationalError as e:
        if "fts5" not in str(e).lower():
            raise
        nested.rollback()  # no FTS5 in this SQLite: search scans the stored words instead
        return False
    nested.commit()
    return True


def has_fts(conn: Connection) -> bool:
    if not _sqlite(conn):
        return True
    row = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = :n"), {"n": FTS}).first()
    return row is not None


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def row_of(thread: str, event_id: str, seq: int, body: str) -> tuple[str, str, int, str]:
    """An ``rm_search`` row of an event, from its read-model row's fields (``body``: its JSON)."""
    return (thread, event_id, seq, index_words(json.loads(body)))


def index(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Index the events of ``rm_events`` rows just written, given as dicts (``rebuild``)."""
    write(conn, [row_of(r["thread"], r["event_id"], r["seq"], r["body"]) for r in rows])


def write(conn: Connection, rows: Sequence[tuple[str, str, int, str]]) -> None:
    """Insert ``rm_search`` rows, and, on SQLite, index them in FTS5 in one statement.

    (One ``INSERT … SELECT`` into the FTS5 table costs about a sixth of a
    trigger's row-by-row inserts; deletions and updates, rare, go by trigger.)
    """
    if not rows:
        return
    fts = _sqlite(conn) and has_fts(conn)
    last = conn.execute(select(func.max(rm_search.c.id))).scalar() if fts else None
    insert_rows(conn, rm_search, _COLUMNS, rows)
    if fts:
        conn.execute(
            text(f"INSERT INTO {FTS}(rowid, words) SELECT id, words FROM rm_search WHERE id > :last ORDER BY id"),
            {"last": last or 0},
        )


def reindex(conn: Connection) -> None:
    """After ``rebuild`` wrote every row again: the full-text index made again from them (SQLite)."""
    if _sqlite(conn) and install(conn):
        conn.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"))


def backfill(conn: Connection) -> int:
    """Index every event of the read model that has no row yet (a store from before the index)."""
    done = 0
    after: tuple[str, int] = ("", -1)
    indexed = select(rm_search.c.id).where(
        and_(rm_search.c.thread == rm_events.c.thread, rm_search.c.event_id == rm_events.c.event_id)
    )
    while True:
        query = (
            select(rm_events.c.thread, rm_events.c.event_id, rm_events.c.seq, rm_events.c.body)
            .where(
                (rm_events.c.thread > after[0]) | and_(rm_events.c.thread == after[0], rm_events.c.seq > after[1])
            )
            .where(~indexed.exists())
            .order_by(rm_events.c.thread, rm_events.c.seq)
            .limit(PAGE)
        )
        page = conn.execute(query).all()
        if not page:
            return done
        write(conn, [row_of(*r) for r in page])
        done += len(page)
        after = (page[-1][0], page[-1][2])


# ---------------------------------------------------------------------------
# searching
# ---------------------------------------------------------------------------


def matching(
    conn: Connection, wanted: list[str], thread: str | None = None, limit: int | None = None, *, use_index: bool = True
) -> tuple[list[Any], int]:
    """The ``rm_events`` rows of the events matching every word of ``wanted``, and how many match in all.

    In thread, date, recording order (a retraction, undated, after its thread's
    dated events).  ``use_index=False`` applies the rule by ``LIKE`` instead of
    the index (what an SQLite without FTS5 does; the tests compare the two).
    """
    if not wanted:
        return [], 0
    cond: Any
    if use_index and _sqlite(conn) and has_fts(conn):
        expr = " ".join(f'"{w}"*' for w in wanted)  # words are letters and digits: nothing to escape
        fts = text(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH :q").bindparams(q=expr)
        cond = rm_search.c.id.in_(fts.columns(column("rowid", Integer)))
    elif use_index and not _sqlite(conn):
        expr = " & ".join(f"'{w}':*" for w in wanted)
        cond = text(f"{_PG_VECTOR} @@ CAST(:q AS tsquery)").bindparams(q=expr)
    else:
        padded = literal(" ") + rm_search.c.words
        cond = and_(*[padded.like(f"% {w}%") for w in wanted])
    base = select(rm_search.c.thread, rm_search.c.event_id).where(cond)
    if thread is not None:
        base = base.where(rm_search.c.thread == thread)
    hits = base.subquery()
    joined = rm_events.join(hits, and_(hits.c.thread == rm_events.c.thread, hits.c.event_id == rm_events.c.event_id))
    total = conn.execute(select(func.count()).select_from(joined)).scalar() or 0
    query = (
        select(rm_events)
        .select_from(joined)
        .order_by(rm_events.c.thread, rm_events.c.date.is_(None), rm_events.c.date, rm_events.c.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return conn.execute(query).all(), total


# ---------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------


def compare(conn: Connection, slug: str, lo: int, hi: int, expected: Sequence[dict[str, Any]]) -> Iterator[str]:
    """``verify``: the thread's search rows of versions lo..hi against those of its events' rows (``expected``).

    ``expected`` are the read-model rows the events give (what ``rebuild``
    writes), so a search row is judged against the events, not against a
    read-model row that may itself be wrong.
    """
    query = select(rm_search.c.event_id, rm_search.c.words).where(
        and_(rm_search.c.thread == slug, rm_search.c.seq >= lo, rm_search.c.seq <= hi)
    )
    stored = dict(conn.execute(query).all())
    for row in expected:
        words = stored.pop(row["event_id"], None)
        if words is None:
            yield f"thread {slug}: event {row['event_id']} is missing from the search index (run `negotrack rebuild`)"
        elif words != row_of(slug, row["event_id"], row["seq"], row["body"])[3]:
            yield f"thread {slug}: the search index's words of event {row['event_id']} differ from the event (run `negotrack rebuild`)"
    for event_id in stored:
        yield f"thread {slug}: the search index has event {event_id}, which is not in the event log"


def outside(conn: Connection, slug: str, version: int) -> Iterator[str]:
    """``verify``: search rows of the thread beyond its versions 1..``version``."""
    query = select(rm_search.c.event_id).where(
        and_(rm_search.c.thread == slug, (rm_search.c.seq < 1) | (rm_search.c.seq > version))
    )
    for (event_id,) in conn.execute(query.order_by(rm_search.c.seq)):
        yield f"thread {slug}: the search index has event {event_id}, which is not in the event log"


def check_fts(conn: Connection, slug: str) -> Iterator[str]:
    """``verify`` on SQLite: every search row of the thread is in the FTS5 index.

    FTS5's documented ``docsize`` table has one row per indexed row.
    """
    if not (_sqlite(conn) and has_fts(conn)):
        return
    unindexed = conn.execute(
        text(f"SELECT event_id FROM rm_search WHERE thread = :t AND id NOT IN (SELECT id FROM {FTS}_docsize) ORDER BY seq"),
        {"t": slug},
    ).all()
    for (event_id,) in unindexed:
        yield f"thread {slug}: event {event_id} is missing from the full-text index (run `negotrack rebuild`)"
