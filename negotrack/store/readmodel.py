"""The read model: indexed tables that answer "as of" without replaying the store.

:class:`Projector` turns a thread's domain events, in version order, into
read-model rows; ingest and ``rebuild`` both use it, so the two can't drift.
The query functions return plain types (:class:`~negotrack.domain.state.Rec`,
dicts) for the fold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from negotrack.domain.state import COMPARE, Bound, InView, IssueInfo, Rec, within_day
from negotrack.domain.textsearch import index_words
from negotrack.domain.vocabulary import ANSWERS, ITEM_KINDS, RETRACTION, touched_issues
from negotrack.speedups import dumps_compact, loads

if TYPE_CHECKING:
    from negotrack.domain import events as ev
    from negotrack.domain.rules import KnownEvent
from negotrack.store.db import EVENT_COLUMNS, insert_rows, rm_checkpoints, rm_declarations, rm_events, rm_search, rm_threads

CHUNK = 500


def instant(moment: datetime) -> str:
    """A recorded time as fixed-width ISO text in UTC, so text order is time order."""
    global _recorded_instant
    if _recorded_instant is None:  # loaded on first write: queries never load the aggregate
        from negotrack.domain.thread import recorded_instant

        _recorded_instant = recorded_instant
    return _recorded_instant(moment)


_recorded_instant: Any = None


# Built once: ``json.dumps`` with options builds a new encoder on every call.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def body_json(content: Mapping[str, Any]) -> str:
    """A statement's content as the read model's ``body``: ``json.dumps(..., ensure_ascii=False,
    separators=(",", ":"))``'s text, written by :func:`negotrack.speedups.dumps_compact` (orjson:
    0.5 us an event against pydantic-core's 1.0 us, and a query no longer imports pydantic-core,
    45 ms of a cold ``state``); tests/property/test_encoding.py holds it to that text.
    """
    return dumps_compact(content)



_EVENT_ID, _TYPE, _DATE, _REF = (EVENT_COLUMNS.index(c) for c in ("event_id", "type", "date", "ref"))

_DECLARATION_COLUMNS = ("thread", "kind", "key", "seq", "recorded_at", "body", "text")


class Projector:
    """Read-model rows for a run of a thread's events, given in version order."""

    def __init__(self, slug: str, item_issues: Mapping[str, Sequence[str]] | None = None):
        self.slug = slug
        self.item_issues: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (item_issues or {}).items()}
        self.events: list[tuple[Any, ...]] = []  # rm_events rows (EVENT_COLUMNS) not written yet
        self.search: list[tuple[str, str, int, str]] = []  # their rm_search rows (store.search)
        self.declarations: list[dict[str, Any]] = []  # rm_declarations rows not written yet
        self.count = 0  # statements added in all
        self.title: str | None = None
        self.title_changed = False
        self.version = 0
        self.aggregate_id: str | None = None
        # The statements' records, kept for the caller's fold if set to a list (ingest: checkpoints.refresh),
        # each without its content's `source`, which the fold never reads (see add_rec).
        self.recs: list[Rec] | None = None

    def add(self, event: ev.DomainEvent) -> None:
        ev, _digest, rec_of = _write_path()
        self.version = event.originator_version
        if self.aggregate_id is None:  # one thread: one aggregate
            self.aggregate_id = str(event.originator_id)
        if isinstance(event, ev.Recorded):
            self.add_rec(rec_of(event), ev.field_value(event, "ref"))  # the same conversion a full replay uses
        elif isinstance(event, (ev.ThreadOpened, ev.ThreadRetitled)):
            if event.title is not None:
                self.title = event.title
                self.title_changed = True
        else:
            kind, body, text = _declaration(event)
            self.declarations.append(
                {
                    "thread": self.slug,
                    "kind": kind,
                    "key": event.key,  # type: ignore[attr-defined]
                    "seq": event.originator_version,
                    "recorded_at": instant(event.timestamp),  # a statement's is rec.recorded_at
                    "body": _dumps(body),
                    "text": text,
                }
            )

    def add_rec(self, rec: Rec, ref: str | None, touched: tuple[str, ...] | None = None) -> None:
        """The rows of one recorded statement, given as the fold's input (``rec.body``: its content) and its ``ref``.

        The content is encoded once here for the read model: its digest, its body and its search words.
        ``touched``: the issues it touches (``vocabulary.touched_issues``), where the caller has them
        already (ingest: the checker worked them out, ``PlannedStatement.issues``); else found here.
        """
        _ev, digest, _rec_of = _write_path()
        content = rec.body
        if touched is None:
            touched = tuple(touched_issues(rec.type, content, self.item_issues))
        if rec.type in ITEM_KINDS:
            self.item_issues[rec.id] = touched
        self.version = rec.seq
        self.count += 1
        self.events.append(
            (
                self.slug,
                rec.id,
                rec.seq,
                rec.type,
                rec.date,
                rec.recorded_at,
                rec.party,
                ref,
                "|" + "|".join(touched) + "|" if touched else "",
                digest(content),
                body_json(content),
            )
        )
        self.search.append((self.slug, rec.id, rec.seq, index_words(content)))
        if self.recs is not None:
            # Its rows are made: what is kept is the fold's input, and the fold (rules 1-7, ``state.Fold.apply``)
            # never reads `source` (references and quotes).  Its dicts and lists let go: an ingest of the
            # benchmark's 100,000-event thread peaked at 458 MB instead of 486 MB, the same CPU.
            content.pop("source", None)
            self.recs.append(rec)

    def drain(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The rows collected so far (events, declarations) as dicts, forgetting them: a long thread in pages."""
        events = [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in self.events]
        declarations = self.declarations
        self.events, self.declarations, self.search = [], [], []
        return events, declarations

    def thread_row(self, events: int) -> dict[str, Any]:
        """The thread's ``rm_threads`` row once ``events`` statements have been projected."""
        return {
            "thread": self.slug,
            "aggregate_id": self.aggregate_id,
            "title": self.title,
            "version": self.version,
            "events": events,
        }

    def flush(self, conn: Connection) -> None:
        """Write the rows added since the last flush (a big ingest writes in batches, to bound memory)."""
        if self.declarations:  # as tuples, straight to the driver: 100,000 declarations in 0.3 s less
            rows = [tuple(d[c] for c in _DECLARATION_COLUMNS) for d in self.declarations]
            insert_rows(conn, rm_declarations, _DECLARATION_COLUMNS, rows)
            self.declarations = []
        insert_rows(conn, rm_events, EVENT_COLUMNS, self.events)
        from negotrack.store import search

        search.write(conn, self.search)  # their words, for `negotrack search`
        invalidate_checkpoints(conn, self.slug, self.events)  # the folds these events change
        self.events, self.search = [], []

    def finish(self, conn: Connection, *, new_thread: bool) -> None:
        """Write the thread's row, once every event is added and flushed."""
        if new_thread:
            conn.execute(
                insert(rm_threads).values(
                    thread=self.slug,
                    aggregate_id=self.aggregate_id,
                    title=self.title,
                    version=self.version,
                    events=self.count,
                )
            )
        else:
            values: dict[str, Any] = {"version": self.version, "events": rm_threads.c.events + self.count}
            if self.title_changed:
                values["title"] = self.title
            conn.execute(update(rm_threads).where(rm_threads.c.thread == self.slug).values(**values))


def invalidate_checkpoints(conn: Connection, slug: str, rows: Sequence[Sequence[Any]]) -> None:
    """Delete the checkpoints (``store.checkpoints``) that new rm_events ``rows`` (tuples in EVENT_COLUMNS order) change.

    They are written already, in this transaction: a retraction's target is found in the table.
    """
    if not rows:
        return
    dates = [r[_DATE] for r in rows if r[_DATE] is not None]
    targets = {r[_REF] for r in rows if r[_TYPE] == RETRACTION}
    if targets:
        batch = {r[_EVENT_ID]: r[_DATE] for r in rows}
        missing = [t for t in targets if t not in batch]
        dates += [batch[t] for t in targets if t in batch and batch[t] is not None]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            dates += [
                d
                for (d,) in conn.execute(
                    select(rm_events.c.date).where(and_(rm_events.c.thread == slug, rm_events.c.event_id.in_(chunk)))
                )
                if d is not None
            ]
    if dates:
        conn.execute(delete(rm_checkpoints).where(and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date >= min(dates))))


_WRITE_PATH: tuple[Any, Any, Any] | None = None


def _write_path() -> tuple[Any, Any, Any]:
    """The event model and what converts it, loaded on first write (queries never load them)."""
    global _WRITE_PATH
    if _WRITE_PATH is None:
        from negotrack.domain import events
        from negotrack.domain.rules import digest
        from negotrack.domain.thread import rec_of

        _WRITE_PATH = (events, digest, rec_of)
    return _WRITE_PATH


def _declaration(event: ev.DomainEvent) -> tuple[str, dict[str, Any], str | None]:
    from negotrack.domain import events as ev

    if isinstance(event, ev.PartyDeclared):
        return "party", {"name": event.name}, None
    if isinstance(event, ev.ActorDeclared):
        return "actor", {"name": event.name, "party": event.party, "role": event.role}, None
    if isinstance(event, ev.IssueDeclared):
        return "issue", {"title": event.title, "proposition": event.proposition}, None
    if isinstance(event, ev.SourceDeclared):
        body = event.model_dump(mode="json", include={"title", "path", "url", "published", "reliability", "text_sha256"})
        return "source", body, event.text
    raise TypeError(f"not a declaration: {type(event).__name__}")


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def damaged(slug: str, what: str, why: str) -> Exception:
    """The error a query meets in a read-model row that is not what negotrack writes (exit 1)."""
    from negotrack.errors import StoreError

    return StoreError(
        f"the store's read model is damaged: thread {slug}: {what} {why}; run `negotrack verify` to list what is wrong,"
        " then `negotrack rebuild` to write the read model again from the stored events"
    )


def _body(text: Any, slug: str, what: str) -> dict[str, Any]:
    """A read-model row's ``body``: the JSON object negotrack wrote, or a :func:`damaged` error."""
    try:
        data = loads(text)
    except (ValueError, TypeError):  # not JSON (or not text, nor bytes)
        raise damaged(slug, what, "has a body that is not JSON") from None
    if type(data) is not dict:
        raise damaged(slug, what, "has a body that is not a JSON object")
    return data


_REFERS = ANSWERS | {RETRACTION}  # their fold reads body["ref"]


def _rec(row: Any, slug: str) -> Rec:
    """A row of ``_REC_COLUMNS`` as a Rec (by position: a Row's attributes cost 0.2 us each, 100,000 rows)."""
    event_id, type_, date, seq, recorded_at, party, text = row
    body = _body(text, slug, f"event {event_id}")
    if type_ in _REFERS and "ref" not in body:
        raise damaged(slug, f"event {event_id}", "has no `ref`")
    return Rec(event_id, type_, date, seq, recorded_at, party, body)


_REC_COLUMNS = (
    rm_events.c.event_id,
    rm_events.c.type,
    rm_events.c.date,
    rm_events.c.seq,
    rm_events.c.recorded_at,
    rm_events.c.party,
    rm_events.c.body,
)


def records(
    conn: Connection,
    slug: str,
    *,
    as_of: str | None = None,
    known_at: str | None = None,
    since: str | None = None,
) -> list[Rec]:
    """The thread's events that rule 1 (:class:`~negotrack.domain.state.InView`) admits: dated ones, then retractions."""
    return [*dated_records(conn, slug, as_of=as_of, known_at=known_at, since=since), *retractions(conn, slug, known_at)]


def dated_records(
    conn: Connection,
    slug: str,
    *,
    as_of: str | None = None,
    known_at: str | None = None,
    since: str | None = None,
) -> Iterator[Rec]:
    """The thread's dated events rule 1 admits, in ``(since, as_of]``, by date then recording order, read as they are used.

    One index range, (thread, date); the rows are streamed (a server-side
    cursor on PostgreSQL), so a fold of a long thread holds one at a time.
    """
    view = InView(as_of, known_at, since)
    query = (
        select(*_REC_COLUMNS)
        .where(rm_events.c.thread == slug, rm_events.c.date.is_not(None), *_bounds(view.known() + view.dates()))
        .order_by(rm_events.c.date, rm_events.c.seq)
        .execution_options(yield_per=2_000)
    )
    for row in conn.execute(query):
        yield _rec(row, slug)


def dated_count(conn: Connection, slug: str, view: InView) -> int:
    """How many of the thread's dated events rule 1 admits (``view``): what :func:`dated_records` would give."""
    query = select(func.count()).select_from(rm_events)
    return conn.execute(
        query.where(rm_events.c.thread == slug, rm_events.c.date.is_not(None), *_bounds(view.known() + view.dates()))
    ).scalar()


def retractions(conn: Connection, slug: str, known_at: str | None = None) -> list[Rec]:
    """The thread's retractions (undated) rule 1 admits, in recording order."""
    query = select(*_REC_COLUMNS).where(
        rm_events.c.thread == slug, rm_events.c.date.is_(None), *_bounds(InView(known_at=known_at).known())
    )
    return [_rec(row, slug) for row in conn.execute(query.order_by(rm_events.c.seq))]


def _bounds(bounds: Iterable[Bound]) -> list[Any]:
    """Rule 1's bounds (:class:`~negotrack.domain.state.InView`) as SQL conditions on the events' columns."""
    return [COMPARE[op](rm_events.c[field], value) for field, op, value in bounds]


def thread_title(conn: Connection, slug: str) -> str | None:
    return conn.execute(select(rm_threads.c.title).where(rm_threads.c.thread == slug)).scalar()


def declared_issues(conn: Connection, slug: str, known_at: str | None = None) -> dict[str, IssueInfo]:
    query = (
        select(rm_declarations.c.key, rm_declarations.c.body)
        .where(and_(rm_declarations.c.thread == slug, rm_declarations.c.kind == "issue"))
        .order_by(rm_declarations.c.seq)
    )
    if known_at is not None:
        query = query.where(rm_declarations.c.recorded_at <= known_at)
    out: dict[str, IssueInfo] = {}
    for key, body in conn.execute(query):
        data = _body(body, slug, f"issue {key}")
        if not isinstance(data.get("title"), str):
            raise damaged(slug, f"issue {key}", "has no title")
        out[key] = IssueInfo(title=data["title"], proposition=data.get("proposition"))
    return out


def declarations(conn: Connection, slug: str, kind: str) -> dict[str, dict[str, Any]]:
    query = (
        select(rm_declarations.c.key, rm_declarations.c.body)
        .where(and_(rm_declarations.c.thread == slug, rm_declarations.c.kind == kind))
        .order_by(rm_declarations.c.seq)
    )
    return {key: _body(body, slug, f"{kind} {key}") for key, body in conn.execute(query)}


def _known_event(*fields: Any) -> KnownEvent:
    from negotrack.domain.rules import KnownEvent

    return KnownEvent(*fields)


def known_events(conn: Connection, slug: str, ids: Iterable[str]) -> dict[str, KnownEvent]:
    wanted = sorted(set(ids))
    out: dict[str, KnownEvent] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(
            rm_events.c.event_id,
            rm_events.c.type,
            rm_events.c.party,
            rm_events.c.date,
            rm_events.c.digest,
            rm_events.c.issues,
            rm_events.c.body,
        ).where(and_(rm_events.c.thread == slug, rm_events.c.event_id.in_(chunk)))
        for row in conn.execute(query):
            issues = tuple(x for x in row.issues.split("|") if x)
            # its place within its day (contract v1.1): parsed only where the body can hold one
            timed = '"order"' in row.body or '"time"' in row.body
            place = within_day(_body(row.body, slug, f"event {row.event_id}")) if timed else (0, "")
            out[row.event_id] = _known_event(row.event_id, row.type, row.party, row.date, row.digest, issues, place)
    return out


def source_text(conn: Connection, slug: str, key: str) -> str | None:
    row = conn.execute(
        select(rm_declarations.c.text).where(
            and_(rm_declarations.c.thread == slug, rm_declarations.c.kind == "source", rm_declarations.c.key == key)
        )
    ).first()
    return row[0] if row else None


def sources(conn: Connection, slug: str | None = None) -> list[dict[str, Any]]:
    query = select(
        rm_declarations.c.thread,
        rm_declarations.c.key,
        rm_declarations.c.body,
        rm_declarations.c.recorded_at,
        func.length(rm_declarations.c.text).label("chars"),
    ).where(rm_declarations.c.kind == "source")
    if slug is not None:
        query = query.where(rm_declarations.c.thread == slug)
    query = query.order_by(rm_declarations.c.thread, rm_declarations.c.key)
    return [
        {"thread": r.thread, "id": r.key, **_body(r.body, r.thread, f"source {r.key}"), "recorded_at": r.recorded_at, "chars": r.chars}
        for r in conn.execute(query)
    ]


def citing_events(conn: Connection, slug: str, key: str) -> list[str]:
    """Events whose sources include ``key`` (JSON text search, then checked)."""
    query = (
        select(rm_events.c.event_id, rm_events.c.body)
        .where(and_(rm_events.c.thread == slug, rm_events.c.body.contains(f'"ref":"{key}"')))
        .order_by(rm_events.c.date, rm_events.c.seq)
    )
    out = []
    for event_id, body in conn.execute(query):
        if any(s.get("ref") == key for s in _body(body, slug, f"event {event_id}").get("source", [])):
            out.append(event_id)
    return out


def thread_rows(conn: Connection) -> list[dict[str, Any]]:
    span = (
        select(
            rm_events.c.thread,
            func.min(rm_events.c.date).label("first"),
            func.max(rm_events.c.date).label("last"),
        )
        .group_by(rm_events.c.thread)
        .subquery()
    )
    query = (
        select(rm_threads.c.thread, rm_threads.c.title, rm_threads.c.events, span.c.first, span.c.last)
        .select_from(rm_threads.outerjoin(span, span.c.thread == rm_threads.c.thread))
        .order_by(rm_threads.c.thread)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def thread_exists(conn: Connection, slug: str) -> bool:
    return conn.execute(select(rm_threads.c.thread).where(rm_threads.c.thread == slug)).first() is not None


def thread_slugs(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(select(rm_threads.c.thread).order_by(rm_threads.c.thread))]


READ_MODEL_TABLES = (rm_checkpoints, rm_search, rm_events, rm_declarations, rm_threads)


def clear(conn: Connection, slug: str | None = None) -> None:
    """Delete the read-model rows of a thread (or of every thread): what ``rebuild`` starts from.

    Every table derived from the events is listed in ``READ_MODEL_TABLES``; a
    new derived table is added there, so ``rebuild`` clears it too.
    """
    for table in READ_MODEL_TABLES:
        query = delete(table)
        if slug is not None:
            query = query.where(table.c.thread == slug)
        conn.execute(query)


def event_body(conn: Connection, slug: str, event_id: str) -> dict[str, Any] | None:
    """The content of one recorded event, or None."""
    row = conn.execute(
        select(rm_events.c.body).where(and_(rm_events.c.thread == slug, rm_events.c.event_id == event_id))
    ).first()
    return _body(row[0], slug, f"event {event_id}") if row else None


def stances_on(
    conn: Connection, slug: str, dates: Iterable[str], parties: Iterable[str]
) -> list[tuple[str, str, str, tuple[str, ...], str, tuple[int, str]]]:
    """The recorded events of ``parties`` dated on ``dates`` that carry a stance, in recording order.

    Each as ``(event id, party, date, issues touched, stance, place in the day)``, the place
    being ``state.within_day`` (contract v1.1's order and time); retracted events are left out.
    """
    wanted_dates, wanted_parties = sorted(set(dates)), sorted(set(parties))
    if not wanted_dates or not wanted_parties:
        return []
    rows: list[Any] = []
    for start in range(0, len(wanted_dates), CHUNK):
        chunk = wanted_dates[start : start + CHUNK]
        query = select(
            rm_events.c.seq, rm_events.c.event_id, rm_events.c.party, rm_events.c.date, rm_events.c.issues, rm_events.c.body
        ).where(
            and_(rm_events.c.thread == slug, rm_events.c.date.in_(chunk), rm_events.c.party.in_(wanted_parties))
        )
        rows += [r for r in conn.execute(query) if '"stance"' in r.body]
    if not rows:
        return []
    ids = [r.event_id for r in rows]
    retracted: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(rm_events.c.ref).where(
            and_(
                rm_events.c.thread == slug,
                rm_events.c.type == RETRACTION,
                rm_events.c.ref.in_(ids[start : start + CHUNK]),
            )
        )
        retracted.update(ref for (ref,) in conn.execute(query))
    out = []
    for r in sorted(rows, key=lambda r: r.seq):
        body = _body(r.body, slug, f"event {r.event_id}")
        stance = body.get("stance")
        if stance and r.event_id not in retracted:
            issues = tuple(x for x in r.issues.split("|") if x)
            out.append((r.event_id, r.party, r.date, issues, stance, within_day(body)))
    return out


def precisions(conn: Connection, slug: str, ids: Iterable[str]) -> dict[str, str]:
    """The date precision of each of these events that is not known to the day (``week``, ``month``)."""
    wanted = sorted(set(ids))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(rm_events.c.event_id, rm_events.c.body).where(
            and_(rm_events.c.thread == slug, rm_events.c.event_id.in_(wanted[start : start + CHUNK]))
        )
        for event_id, body in conn.execute(query):
            if '"precision"' in body:
                precision = _body(body, slug, f"event {event_id}").get("precision", "day")
                if precision != "day":
                    out[event_id] = precision
    return out
