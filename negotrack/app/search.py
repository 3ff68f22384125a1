"""``negotrack search TEXT``: the events whose summary or quotes hold every word of TEXT.

The matching rule is :mod:`negotrack.domain.textsearch`'s (every word of the
query begins a word of the event's summary or of one of its quotes, case and
accents aside); the index that finds them is :mod:`negotrack.store.search`'s,
on SQLite (FTS5) and PostgreSQL (text search) alike.  Each result carries the
fields that match, with where the matching words are.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from negotrack.domain.textsearch import marks, query_words, searchable
from negotrack.domain.vocabulary import RETRACTION
from negotrack.errors import UsageError

if TYPE_CHECKING:
    from negotrack.store.store import Store

DEFAULT_LIMIT = 50


def search(store: Store, query: str, thread: str | None = None, limit: int | None = DEFAULT_LIMIT) -> dict[str, Any]:
    """The search's document (the JSON of ``search --json``): the query's words, the count, the results."""
    from sqlalchemy import and_, select

    from negotrack.store import search as index
    from negotrack.store.db import rm_events

    wanted = query_words(query)
    if not wanted:
        raise UsageError(f"TEXT {query!r} has no word to search for (a word is letters or digits)")
    with store.db.transaction() as conn:
        if thread is not None:
            store.require_thread(conn, thread)
        rows, total = index.matching(conn, wanted, thread, limit or None)
        retracted: dict[tuple[str, str], str] = {}
        for slug in sorted({r.thread for r in rows}):
            ids = [r.event_id for r in rows if r.thread == slug]
            query_retractions = select(rm_events.c.event_id, rm_events.c.ref).where(
                and_(rm_events.c.thread == slug, rm_events.c.type == RETRACTION, rm_events.c.ref.in_(ids))
            )
            for event_id, ref in conn.execute(query_retractions):
                retracted[(slug, ref)] = event_id
    results = []
    for row in rows:
        body = json.loads(row.body)
        found = []
        for field, source, text in searchable(body):
            spans = marks(text, wanted)
            if spans:
                found.append({"field": field, "source": source, "text": text, "marks": [list(s) for s in spans]})
        results.append(
            {
                "id": row.event_id,
                "thread": row.thread,
                "date": row.date,
                "precision": body.get("precision", "day") if row.date else None,
                "type": row.type,
                "party": row.party,
                "by": body.get("by"),
                "issues": [i for i in row.issues.split("|") if i],
                "retracted_by": retracted.get((row.thread, row.event_id)),
                "matches": found,
            }
        )
    return {"query": query, "words": wanted, "thread": thread, "total": total, "results": results}
