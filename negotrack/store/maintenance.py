"""Checking a store against its own event log, and rebuilding its read model from it.

Both read each thread's stored events in pages of :data:`PAGE` versions and
run them through the same :class:`~negotrack.store.readmodel.Projector` that
ingest writes the read model with, so a rebuilt read model is the one ingest
would have written, and ``verify`` compares the stored rows with exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from negotrack.domain import events as ev
from negotrack.store import readmodel, search
from negotrack.store.db import EVENT_COLUMNS, insert_rows, rm_declarations, rm_events, rm_search, rm_threads, snapshots, stored_events
from negotrack.store.readmodel import Projector

PAGE = 1000
MAX_LISTED = 50  # problems listed one by one; beyond, only counted

_EVENT_COLUMNS = ("event_id", "seq", "type", "date", "recorded_at", "party", "ref", "issues", "digest", "body")
_DECL_COLUMNS = ("seq", "recorded_at", "body", "text")


@dataclass
class VerifyReport:
    threads: int = 0
    events: int = 0  # stored events of every aggregate, declarations included
    statements: int = 0  # recorded statements (rows of rm_events expected)
    snapshots: int = 0
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0

    def problem(self, message: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(message)
        else:
            self.unlisted += 1

    @property
    def ok(self) -> bool:
        return not self.problems


def _aggregate_ids(conn: Connection) -> list[str]:
    query = select(stored_events.c.originator_id).distinct().order_by(stored_events.c.originator_id)
    return [r[0] for r in conn.execute(query)]


def _pages(conn: Connection, originator_id: str) -> Iterator[list[Any]]:
    """The aggregate's stored events in version order, a page at a time."""
    t = stored_events
    after = 0
    while True:
        query = (
            select(t.c.originator_version, t.c.topic, t.c.state)
            .where(and_(t.c.originator_id == originator_id, t.c.originator_version > after))
            .order_by(t.c.originator_version)
            .limit(PAGE)
        )
        rows = conn.execute(query).all()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _decode(mapper: Any, originator_id: str, version: int, topic: str, state: bytes) -> ev.DomainEvent:
    stored = StoredEvent(originator_id=UUID(originator_id), originator_version=version, topic=topic, state=bytes(state))
    return mapper.to_domain_event(stored)


def _why(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


# ---------------------------------------------------------------------------
# verify
# ---------------------------------------------------------------------------


def verify(conn: Connection, mapper: Any) -> VerifyReport:
    """Every stored event decodes, versions run 1..n, and the read model is what the events give."""
    report = VerifyReport()
    seen_slugs: set[str] = set()
    for originator_id in _aggregate_ids(conn):
        slug = _verify_aggregate(conn, mapper, originator_id, report)
        if slug is not None:
            seen_slugs.add(slug)
    for slug in readmodel.thread_slugs(conn):
        if slug not in seen_slugs:
            report.problem(f"thread {slug}: in the read model but no events of it are stored")
    for table in (rm_events, rm_declarations, rm_search):
        orphans = conn.execute(
            select(table.c.thread, func.count()).where(~table.c.thread.in_(select(rm_threads.c.thread))).group_by(table.c.thread)
        ).all()
        for slug, n in orphans:
            report.problem(f"thread {slug}: {n} rows of {table.name} belong to no thread of the read model")
    from negotrack.store import checkpoints

    for slug in sorted(seen_slugs):
        for problem in checkpoints.check(conn, slug, readmodel.declared_issues(conn, slug)):
            report.problem(problem)
        for problem in search.check_fts(conn, slug):
            report.problem(problem)
    _verify_snapshots(conn, mapper, report, seen_slugs)
    report.threads = len(seen_slugs)
    return report


def _verify_aggregate(conn: Connection, mapper: Any, originator_id: str, report: VerifyReport) -> str | None:
    projector: Projector | None = None
    slug: str | None = None
    where = f"aggregate {originator_id}"
    expected_version = 1
    statements = 0
    declarations: dict[tuple[str, str], dict[str, Any]] = {}
    decodes = True
    for rows in _pages(conn, originator_id):
        decoded: list[ev.DomainEvent] = []
        for version, topic, state in rows:
            report.events += 1
            if version != expected_version:
                report.problem(f"{where}: version {version} follows version {expected_version - 1} (versions must run 1..n)")
            expected_version = version + 1
            try:
                event = _decode(mapper, originator_id, version, topic, state)
            except Exception as e:  # noqa: BLE001 - whatever the library or pydantic raises
                report.problem(f"{where}: version {version} ({topic.rsplit(':', 1)[-1]}) does not decode: {_why(e)}")
                decodes = False
                continue
            if projector is None:
                if not isinstance(event, ev.ThreadOpened):
                    report.problem(f"{where}: version {version} is {type(event).__name__}, not ThreadOpened")
                    decodes = False
                    break
                slug = event.slug
                where = f"thread {slug}"
                projector = Projector(slug)
            decoded.append(event)
        if projector is None:
            break
        if not decodes:
            continue  # the read model can't be compared with events that don't decode
        for event in decoded:
            projector.add(event)
        events, decls = projector.drain()
        statements += len(events)
        for row in decls:
            declarations[(row["kind"], row["key"])] = row
        _compare_events(conn, slug, rows[0][0], rows[-1][0], events, report)  # type: ignore[arg-type]
        for problem in search.compare(conn, slug, rows[0][0], rows[-1][0], events):  # type: ignore[arg-type]
            report.problem(problem)
    if projector is None or slug is None:
        return slug
    report.statements += statements
    if not decodes:
        return slug
    outside = conn.execute(
        select(rm_events.c.event_id).where(
            and_(rm_events.c.thread == slug, or_(rm_events.c.seq < 1, rm_events.c.seq > projector.version))
        )
    ).all()
    for (event_id,) in outside:
        report.problem(f"{where}: the read model has event {event_id}, which is not in the event log")
    for problem in search.outside(conn, slug, projector.version):
        report.problem(problem)
    _compare_declarations(conn, slug, declarations, report)
    stored = conn.execute(select(rm_threads).where(rm_threads.c.thread == slug)).first()
    expected = projector.thread_row(statements)
    if stored is None:
        report.problem(f"{where}: missing from the read model's threads")
    else:
        differ = [k for k, v in expected.items() if stored._mapping[k] != v]
        if differ:
            report.problem(f"{where}: the read model's thread row differs from the events ({', '.join(differ)})")
    return slug


def _compare_events(
    conn: Connection, slug: str, lo: int, hi: int, expected: list[dict[str, Any]], report: VerifyReport
) -> None:
    cols = [rm_events.c[name] for name in _EVENT_COLUMNS]
    query = select(*cols).where(and_(rm_events.c.thread == slug, rm_events.c.seq >= lo, rm_events.c.seq <= hi))
    stored = {r.event_id: dict(r._mapping) for r in conn.execute(query)}
    for row in expected:
        got = stored.pop(row["event_id"], None)
        if got is None:
            report.problem(f"thread {slug}: event {row['event_id']} (version {row['seq']}) is missing from the read model")
            continue
        differ = [k for k in _EVENT_COLUMNS if got[k] != row[k]]
        if differ:
            report.problem(f"thread {slug}: the read model's row of event {row['event_id']} differs from the event ({', '.join(differ)})")
    for event_id in stored:
        report.problem(f"thread {slug}: the read model has event {event_id}, which is not in the event log")


def _compare_declarations(
    conn: Connection, slug: str, expected: dict[tuple[str, str], dict[str, Any]], report: VerifyReport
) -> None:
    query = select(rm_declarations).where(rm_declarations.c.thread == slug)
    stored = {(r.kind, r.key): dict(r._mapping) for r in conn.execute(query)}
    for (kind, key), row in expected.items():
        got = stored.pop((kind, key), None)
        if got is None:
            report.problem(f"thread {slug}: {kind} {key} is missing from the read model")
            continue
        differ = [k for k in _DECL_COLUMNS if got[k] != row[k]]
        if differ:
            report.problem(f"thread {slug}: the read model's {kind} {key} differs from its declaration ({', '.join(differ)})")
    for kind, key in stored:
        report.problem(f"thread {slug}: the read model has {kind} {key}, which no stored event declares")


def _verify_snapshots(conn: Connection, mapper: Any, report: VerifyReport, slugs: set[str]) -> None:
    from negotrack.domain.thread import thread_id

    slug_of = {str(thread_id(slug)): slug for slug in slugs}
    latest = dict(
        conn.execute(
            select(stored_events.c.originator_id, func.max(stored_events.c.originator_version)).group_by(
                stored_events.c.originator_id
            )
        ).all()
    )
    query = select(snapshots.c.originator_id, snapshots.c.originator_version, snapshots.c.topic, snapshots.c.state)
    for originator_id, version, topic, state in conn.execute(query):
        report.snapshots += 1
        of = f"thread {slug_of[originator_id]}" if originator_id in slug_of else f"aggregate {originator_id}"
        where = f"snapshot of {of} at version {version}"
        if version > latest.get(originator_id, 0):
            report.problem(f"{where}: is ahead of the aggregate's last stored event")
        try:
            _decode(mapper, originator_id, version, topic, state)
        except Exception as e:  # noqa: BLE001
            report.problem(f"{where}: does not decode: {_why(e)} (a cache of the events: `negotrack rebuild` takes it again)")


# ---------------------------------------------------------------------------
# rebuild
# ---------------------------------------------------------------------------


def thread_slugs(conn: Connection, mapper: Any) -> list[str]:
    """Every thread with stored events (from its first event), and every thread of the read model."""
    slugs = set(readmodel.thread_slugs(conn))
    for originator_id in _aggregate_ids(conn):
        row = conn.execute(
            select(stored_events.c.originator_version, stored_events.c.topic, stored_events.c.state)
            .where(stored_events.c.originator_id == originator_id)
            .order_by(stored_events.c.originator_version)
            .limit(1)
        ).first()
        if row is None:
            continue
        try:
            first = _decode(mapper, originator_id, *row)
        except Exception:  # noqa: BLE001, S112 - rebuild reports it when it gets there
            continue
        if isinstance(first, ev.ThreadOpened):
            slugs.add(first.slug)
    return sorted(slugs)


class RebuildError(Exception):
    """An event that cannot be decoded: the read model cannot be rebuilt from the log."""


def rebuild(conn: Connection, mapper: Any) -> dict[str, int]:
    """Clear the read model and the snapshots and write them again from the events, thread by thread.

    Snapshots are a cache of the events: every one is dropped, a damaged one
    included, and each thread's is taken again from its full replay.  Runs in
    the caller's write transaction: on any error nothing is changed.  Returns
    each thread's number of statements.
    """
    from negotrack.domain.thread import Snapshot, project

    readmodel.clear(conn)
    conn.execute(delete(snapshots))
    counts: dict[str, int] = {}
    for originator_id in _aggregate_ids(conn):
        projectors: list[Projector] = []
        statements = 0

        def replay(originator_id: str = originator_id, projectors: list[Projector] = projectors) -> Iterator[ev.DomainEvent]:
            """The aggregate's events, decoded; each page's read-model rows written as it goes."""
            nonlocal statements
            for rows in _pages(conn, originator_id):
                for version, topic, state in rows:
                    try:
                        event = _decode(mapper, originator_id, version, topic, state)
                    except Exception as e:  # noqa: BLE001
                        raise RebuildError(f"aggregate {originator_id}: version {version} does not decode: {_why(e)}") from None
                    if not projectors:
                        if not isinstance(event, ev.ThreadOpened):
                            raise RebuildError(f"aggregate {originator_id}: version {version} is not ThreadOpened")
                        projectors.append(Projector(event.slug))
                    projectors[0].add(event)
                    yield event
                events, decls = projectors[0].drain()
                if decls:  # one literal builds every declaration's dict: its keys are the columns, in one order
                    insert_rows(conn, rm_declarations, tuple(decls[0]), [tuple(d.values()) for d in decls])
                if events:  # as ingest writes them (COPY on PostgreSQL)
                    insert_rows(conn, rm_events, EVENT_COLUMNS, [tuple(r[c] for c in EVENT_COLUMNS) for r in events])
                    search.index(conn, events)
                statements += len(events)

        final = project(None, replay())
        if not projectors:
            continue
        projector = projectors[0]
        if final is not None:
            stored = mapper.to_stored_event(Snapshot.take(final))
            conn.execute(
                insert(snapshots).values(
                    originator_id=originator_id, originator_version=stored.originator_version, topic=stored.topic, state=stored.state
                )
            )
        row = projector.thread_row(statements)
        if conn.execute(select(rm_threads.c.thread).where(rm_threads.c.thread == row["thread"])).first() is None:
            conn.execute(insert(rm_threads).values(**row))
        else:  # two aggregates naming one thread: verify reports it
            conn.execute(update(rm_threads).where(rm_threads.c.thread == row["thread"]).values(**row))
        counts[projector.slug] = statements
    search.reindex(conn)
    return counts
