"""``negotrack show THREAD``: what a thread declares, in one view.

The parties with their actors (name and role), the issues with their
propositions, the sources with their grades, and the thread's event count and
date span: everything an analyst needs to code the next event without opening
the timeline file.  Read from the read model in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negotrack.store.store import Store


def show(store: Store, slug: str) -> dict[str, Any]:
    """The thread's declarations as one document (the JSON of ``show --json``)."""
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        store.require_thread(conn, slug)
        row = next(r for r in readmodel.thread_rows(conn) if r["thread"] == slug)
        parties = readmodel.declarations(conn, slug, "party")
        actors = readmodel.declarations(conn, slug, "actor")
        issues = readmodel.declarations(conn, slug, "issue")
        sources = readmodel.sources(conn, slug)
    return {
        "thread": slug,
        "title": row["title"],
        "events": row["events"],
        "first": row["first"],
        "last": row["last"],
        "parties": [
            {
                "id": key,
                "name": party.get("name"),
                "actors": [
                    {"id": a_key, "name": actor.get("name"), "role": actor.get("role")}
                    for a_key, actor in actors.items()
                    if actor.get("party") == key
                ],
            }
            for key, party in parties.items()
        ],
        "issues": [
            {"id": key, "title": issue.get("title"), "proposition": issue.get("proposition")}
            for key, issue in issues.items()
        ],
        "sources": [
            {
                "id": s["id"],
                "title": s.get("title"),
                "published": s.get("published"),
                "reliability": s.get("reliability"),
                "url": s.get("url"),
                "path": s.get("path"),
                "archived_chars": s.get("chars"),
            }
            for s in sources
        ],
    }
