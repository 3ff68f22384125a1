"""A thread read from its stored events, the record, a page at a time (not from the read model).

An export must say what the store holds, even when the read model (a cache
derived from the events) is damaged or stale: it decodes the thread's stored
events through the application's mapper (so old event versions are upcast),
in version order.  :func:`declarations` reads the thread's declarations and
retractions first (a query on their topics: few rows), because every export
format needs them before the first statement; :func:`statements` then streams
the statements ``batch`` at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from negotrack.domain import events as ev
from negotrack.domain.state import Rec
from negotrack.domain.thread import rec_of, thread_id
from negotrack.domain.vocabulary import RETRACTION
from negotrack.store.application import PydanticMapper
from negotrack.store.db import stored_events

_DECLARATIONS = (ev.ThreadOpened, ev.ThreadRetitled, ev.PartyDeclared, ev.ActorDeclared, ev.IssueDeclared, ev.SourceDeclared)
_HEADER_TOPICS = [get_topic(cls) for cls in (*_DECLARATIONS, ev.RECORDED_TYPES[RETRACTION])]
_STATEMENT_TOPICS = [get_topic(cls) for cls in ev.RECORDED_TYPES.values()]


@dataclass
class Declarations:
    """What a thread declares, in declaration order, and which of its events are retracted."""

    slug: str
    exists: bool = False
    title: str | None = None
    parties: dict[str, dict[str, Any]] = field(default_factory=dict)
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # as a timeline file declares them
    texts: dict[str, str] = field(default_factory=dict)  # a source's archived text
    retracted: dict[str, tuple[str, str]] = field(default_factory=dict)  # event id -> (retraction id, reason)

    def party_of(self, who: str | None) -> str | None:
        if who is None or who in self.parties:
            return who
        actor = self.actors.get(who)
        return actor["party"] if actor else None


def _plain(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def _rows(conn: Connection, slug: str, topics: list[str], after: int = 0, limit: int | None = None) -> Any:
    t = stored_events
    query = (
        select(t.c.originator_version, t.c.topic, t.c.state)
        .where(and_(t.c.originator_id == str(thread_id(slug)), t.c.topic.in_(topics), t.c.originator_version > after))
        .order_by(t.c.originator_version)
    )
    if limit is not None:
        query = query.limit(limit)
    return conn.execute(query)


def _decode(mapper: Mapper, slug: str, row: Any) -> Any:
    return mapper.to_domain_event(
        StoredEvent(originator_id=thread_id(slug), originator_version=row[0], topic=row[1], state=bytes(row[2]))
    )


def declarations(conn: Connection, mapper: Mapper, slug: str) -> Declarations:
    found = Declarations(slug)
    for row in _rows(conn, slug, _HEADER_TOPICS):
        event = _decode(mapper, slug, row)
        found.exists = True
        if isinstance(event, (ev.ThreadOpened, ev.ThreadRetitled)):
            if event.title is not None:
                found.title = event.title
        elif isinstance(event, ev.PartyDeclared):
            found.parties[event.key] = {"name": event.name}
        elif isinstance(event, ev.ActorDeclared):
            found.actors[event.key] = _plain({"name": event.name, "party": event.party, "role": event.role})
        elif isinstance(event, ev.IssueDeclared):
            found.issues[event.key] = _plain({"title": event.title, "proposition": event.proposition})
        elif isinstance(event, ev.SourceDeclared):
            found.sources[event.key] = _plain(
                event.model_dump(mode="json", include={"title", "path", "url", "published", "reliability"})
            )
            if event.text is not None:
                found.texts[event.key] = event.text
        elif isinstance(event, ev.ReportRetractedEvent):
            found.retracted.setdefault(event.ref, (event.id, event.reason))
    return found


def statements(conn: Connection, mapper: Mapper, slug: str, batch: int) -> Iterator[Rec]:
    """Every recorded statement of the thread in recording order, read ``batch`` stored events at a time."""
    after = 0
    while True:
        page = statement_page(conn, mapper, slug, after, batch)
        if not page:
            return
        yield from page
        after = page[-1].seq


def statement_page(conn: Connection, mapper: Mapper, slug: str, after: int, limit: int) -> list[Rec]:
    """Up to ``limit`` of the thread's statements stored after version ``after``, decoded, in version order.

    A statement whose state is the shape negotrack's mapper writes is read from
    it (:meth:`PydanticMapper.stored_rec`); any other is decoded as an event,
    with the decoding's checks and errors.
    """
    read = mapper.stored_rec if isinstance(mapper, PydanticMapper) else lambda topic, state, version: None
    page = []
    for row in _rows(conn, slug, _STATEMENT_TOPICS, after, limit).all():
        rec = read(row[1], bytes(row[2]), row[0])
        page.append(rec if rec is not None else rec_of(_decode(mapper, slug, row)))
    return page
