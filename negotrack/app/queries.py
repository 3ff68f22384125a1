"""The queries: what the store says of a thread, as plain types (the JSON shapes of the contract).

Every state goes through the fold of :mod:`negotrack.domain.state`; each use
case takes an open :class:`~negotrack.store.store.Store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from negotrack.domain.state import FoldRun, Change, Rec, diff_views
from negotrack.domain.state import replay as replay_steps
from negotrack.errors import UsageError

if TYPE_CHECKING:
    from negotrack.store.store import Store


def iso_instant(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 UTC, e.g. 2025-12-21T00:00:00Z (microseconds only when set)."""
    from negotrack.domain.instants import iso

    return None if moment is None else iso(moment)


@dataclass
class Query:
    """What a query command asks: a thread, a date, what was known when, an issue."""

    slug: str
    as_of: str
    known_at: datetime | None = None
    issue: str | None = None

    @property
    def known_key(self) -> str | None:
        from negotrack.store.readmodel import instant

        return instant(self.known_at) if self.known_at else None


def _issues(conn: Any, store: Any, q: Query) -> dict[str, Any]:
    from negotrack.store import readmodel

    store.require_thread(conn, q.slug)
    # Every declared issue is listed, whatever --known-at says: declarations are the
    # thread's vocabulary, not statements (an issue nobody had raised yet is not-raised).
    declared = readmodel.declared_issues(conn, q.slug)
    if q.issue is not None and q.issue not in declared:
        known = ", ".join(declared) or "none"
        raise UsageError(f"--issue: thread {q.slug!r} has no issue {q.issue!r} (issues: {known})")
    return declared


def state(store: Store, q: Query) -> dict[str, Any]:
    """Contract §5: the state of each issue as of a date, as the JSON shape."""
    from negotrack.speedups import collector_paused
    from negotrack.store import checkpoints

    with collector_paused():  # speed, in a host process: see speedups.collector_paused
        with store.db.transaction() as conn:
            declared = _issues(conn, store, q)
            folded = checkpoints.fold_as_of(conn, q.slug, declared, q.as_of, q.known_key)
        checkpoints.save(store.db, q.slug, folded)
        return state_document(q, folded.fold.view([q.issue] if q.issue else None, copy=False))


def date_precisions(store: Store, doc: dict[str, Any]) -> dict[str, str]:
    """The precision of each date a state document shows that is not known to the day, by the event giving it.

    For the text of ``state``, which shows it as ``timeline`` does (``2025-04-15 (week)``); the JSON of
    contract §5 keeps its shape.
    """
    from negotrack.store import readmodel

    ids: list[str] = []
    for issue in doc["issues"].values():
        if issue["last_event"]:
            ids.append(issue["last_event"]["id"])
        ids += [s["event"] for s in issue["stances"].values()]
        for item_id, item in issue["items"].items():
            ids.append(item_id)
            ids += [r["event"] for r in item["responses"].values()]
        if issue["agreement"]:
            ids.append(issue["agreement"]["event"])
    if not ids:
        return {}
    with store.db.transaction() as conn:
        return readmodel.precisions(conn, doc["thread"], ids)


def state_by_replay(store: Store, q: Query) -> dict[str, Any]:
    """The same document as :func:`state`, from a full replay of the thread's events (no read model).

    The aggregate's events are turned into the fold's inputs by the same
    function the read model is written with (``domain.thread.rec_of``).
    """
    from negotrack.domain.state import IssueInfo
    from negotrack.domain.thread import project, recs_of
    from negotrack.errors import NotFound

    events = store.thread_events(q.slug)
    thread = project(None, events)
    if thread is None:
        raise NotFound(f"no thread {q.slug!r} in the store")
    declared = {key: IssueInfo(title=d.title, proposition=d.proposition) for key, d in thread.issues.items()}
    if q.issue is not None and q.issue not in declared:
        raise UsageError(f"--issue: thread {q.slug!r} has no issue {q.issue!r}")
    fold = FoldRun(recs_of(events), declared, q.as_of, q.known_key).to_end()
    return state_document(q, fold.view([q.issue] if q.issue else None))


def state_document(q: Query, issues: dict[str, Any]) -> dict[str, Any]:
    return {"thread": q.slug, "as_of": q.as_of, "known_at": iso_instant(q.known_at), "issues": issues}


def replay(store: Store, q: Query) -> Iterator[tuple[Rec, list[Change]]]:
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        declared = _issues(conn, store, q)
        recs = readmodel.records(conn, q.slug, as_of=q.as_of, known_at=q.known_key)
    return replay_steps(recs, declared, q.as_of, q.known_key, q.issue)


def diff(store: Store, q: Query, start: str) -> dict[str, Any]:
    """What changed between ``start`` and ``q.as_of``: both states and the changes."""
    from negotrack.store import checkpoints

    if start > q.as_of:
        raise UsageError(f"FROM ({start}) is after TO ({q.as_of})")
    keys = [q.issue] if q.issue else None
    with store.db.transaction() as conn:
        declared = _issues(conn, store, q)
        before = checkpoints.fold_as_of(conn, q.slug, declared, start, q.known_key)
        after = checkpoints.fold_as_of(conn, q.slug, declared, q.as_of, q.known_key)
    checkpoints.save(store.db, q.slug, after)
    changes = diff_views(before.fold.view(keys, copy=False), after.fold.view(keys, copy=False))
    return {
        "thread": q.slug,
        "from": start,
        "to": q.as_of,
        "known_at": iso_instant(q.known_at),
        "changes": [c.as_dict() for c in changes],
    }


def timeline(
    store: Store,
    slug: str,
    *,
    issue: str | None = None,
    party: str | None = None,
    start: str | None = None,
    end: str | None = None,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The thread's events in date order (retractions at the end), with what was retracted: read, then
    :func:`~negotrack.domain.timeline_view.timeline_rows`."""
    from negotrack.domain.timeline_view import timeline_rows
    from negotrack.store import readmodel

    q = Query(slug, end or "9999-12-31", known_at, issue)
    with store.db.transaction() as conn:
        _issues(conn, store, q)
        if party is not None:
            _require_party(conn, slug, party)
        recs = readmodel.records(conn, slug, known_at=q.known_key)
        sources = {s["id"]: s for s in readmodel.sources(conn, slug)}
    return timeline_rows(recs, sources, issue=issue, party=party, start=start, end=end)


def _require_party(conn: Any, slug: str, party: str) -> None:
    """``--party`` names a declared party or actor, as ``--issue`` a declared issue."""
    from negotrack.store import readmodel

    parties = readmodel.declarations(conn, slug, "party")
    actors = readmodel.declarations(conn, slug, "actor")
    if party not in parties and party not in actors:
        raise UsageError(
            f"--party: thread {slug!r} has no party or actor {party!r} "
            f"(parties: {', '.join(parties) or 'none'}; actors: {', '.join(actors) or 'none'})"
        )


def threads(store: Store) -> list[dict[str, Any]]:
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        rows = readmodel.thread_rows(conn)
        for row in rows:
            row["parties"] = list(readmodel.declarations(conn, row["thread"], "party"))
            row["issues"] = list(readmodel.declarations(conn, row["thread"], "issue"))
    return rows


def sources(store: Store, slug: str | None) -> list[dict[str, Any]]:
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        if slug is not None:
            store.require_thread(conn, slug)
        return readmodel.sources(conn, slug)


def source(store: Store, key: str, slug: str | None) -> dict[str, Any]:
    from negotrack.errors import NotFound
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        matches = [s for s in readmodel.sources(conn, slug) if s["id"] == key]
        if not matches:
            raise NotFound(f"no source {key!r} in the store")
        if len(matches) > 1:
            threads_ = ", ".join(m["thread"] for m in matches)
            raise UsageError(f"source {key!r} is in several threads ({threads_}): give --thread")
        found = matches[0]
        found["text"] = readmodel.source_text(conn, found["thread"], key)
        found["cited_by"] = readmodel.citing_events(conn, found["thread"], key)
    return found


@dataclass
class ThreadRecord:
    """A thread as the read model holds it, read at once: declarations, sources and every statement (a report's data)."""

    title: str | None
    declared: dict[str, Any]  # issue -> IssueInfo
    parties: dict[str, dict[str, Any]]
    actors: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    recs: list[Rec]  # dated ones by date then recording order, then the retractions
    known_key: str | None


def thread_record(
    store: Store, slug: str, known_at: datetime | None = None, issues: tuple[str, ...] = ()
) -> ThreadRecord:
    """Everything recorded of a thread (as known at ``known_at``), from one consistent read; ``issues`` must be declared."""
    from negotrack.store import readmodel

    known_key = readmodel.instant(known_at) if known_at else None
    with store.db.transaction(snapshot=True) as conn:
        store.require_thread(conn, slug)
        declared = readmodel.declared_issues(conn, slug)
        unknown = [i for i in issues if i not in declared]
        if unknown:
            known = ", ".join(declared) or "none"
            raise UsageError(f"--issue: thread {slug!r} has no issue {unknown[0]!r} (issues: {known})")
        return ThreadRecord(
            title=readmodel.thread_title(conn, slug),
            declared=declared,
            parties=readmodel.declarations(conn, slug, "party"),
            actors=readmodel.declarations(conn, slug, "actor"),
            sources={s["id"]: s for s in readmodel.sources(conn, slug)},
            recs=readmodel.records(conn, slug, known_at=known_key),
            known_key=known_key,
        )
