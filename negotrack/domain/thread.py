"""The thread aggregate: one negotiation, its declarations and its recorded statements.

The aggregate is immutable (pydantic, in the style of the eventsourcing
library's ``aggregate7`` example): ``mutate`` projects one domain event onto a
thread and returns the next thread.  It holds what every write must check
against (who the parties, actors, issues and sources are, and the version);
what was said lives in the events and in the read model, which answers the
"as of" questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import datetime_now_with_tzinfo
from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict

from negotrack.domain import events as ev
from negotrack.domain.instants import key
from negotrack.domain.state import Rec

THREAD_NAMESPACE = uuid5(NAMESPACE_URL, "https://negotrack.invalid/thread/")


def thread_id(slug: str) -> UUID:
    """The aggregate id of a thread: derived from its slug, so every writer agrees."""
    return uuid5(THREAD_NAMESPACE, slug)


class Thread(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    slug: str
    title: str | None = None
    parties: dict[str, ev.PartyDecl] = {}
    actors: dict[str, ev.ActorDecl] = {}
    issues: dict[str, ev.IssueDecl] = {}
    sources: dict[str, dict[str, Any]] = {}  # key -> SourceDeclared.declaration()
    statements: int = 0

    def party_of(self, who: str | None) -> str | None:
        """The party an actor or party id speaks for (None if it names nothing)."""
        if who is None:
            return None
        if who in self.parties:
            return who
        actor = self.actors.get(who)
        return actor.party if actor else None


class Snapshot(ev.DomainEvent):
    """The state of a thread at a version, so loading it does not replay every event."""

    topic: str
    state: dict[str, Any]

    @classmethod
    def take(cls, aggregate: Thread) -> Snapshot:
        return Snapshot(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=datetime_now_with_tzinfo(),
            topic=get_topic(type(aggregate)),
            state=aggregate.model_dump(mode="json"),
        )


class _Projection:
    """A thread's fields, changed in place event by event, then made into one :class:`Thread`.

    Copying the thread (and its dicts) for every declaration made a run of n
    declarations cost O(n²): 100,000 parties and 100,000 issues took 162 s.
    Here each event is O(1), and the thread is built once, at the end.
    """

    __slots__ = ("fields",)

    def __init__(self, thread: Thread | None):
        if thread is None:
            self.fields: dict[str, Any] | None = None
        else:
            self._take(thread)

    def _take(self, thread: Thread) -> None:
        self.fields = {name: getattr(thread, name) for name in Thread.model_fields}
        for name in ("parties", "actors", "issues", "sources"):
            self.fields[name] = dict(self.fields[name])

    def apply(self, event: ev.DomainEvent, decl: Any = None) -> None:
        """Apply one event; ``decl``: the declaration it was made from, if at hand (not built again)."""
        if isinstance(event, Snapshot):
            cls = _SNAPSHOT_CLASSES.get(event.topic)
            if cls is None:
                raise ValueError(f"snapshot of an unknown type {event.topic!r}")
            self._take(cls.model_validate({**event.state, "version": event.originator_version}))
            return
        if isinstance(event, ev.ThreadOpened):
            self._take(
                Thread(
                    id=event.originator_id,
                    version=event.originator_version,
                    created_on=event.timestamp,
                    modified_on=event.timestamp,
                    slug=event.slug,
                    title=event.title,
                )
            )
            return
        f = self.fields
        assert f is not None, f"{type(event).__name__} before ThreadOpened"
        f["version"] = event.originator_version
        f["modified_on"] = event.timestamp
        if isinstance(event, ev.ThreadRetitled):
            f["title"] = event.title
        elif isinstance(event, ev.PartyDeclared):
            f["parties"][event.key] = decl or ev.PartyDecl(name=event.name)
        elif isinstance(event, ev.ActorDeclared):
            f["actors"][event.key] = decl or ev.ActorDecl(name=event.name, party=event.party, role=event.role)
        elif isinstance(event, ev.IssueDeclared):
            f["issues"][event.key] = decl or ev.IssueDecl(title=event.title, proposition=event.proposition)
        elif isinstance(event, ev.SourceDeclared):
            f["sources"][event.key] = event.declaration()
        elif isinstance(event, ev.Recorded):
            f["statements"] += 1
        else:  # pragma: no cover - a new event class without a projection
            raise TypeError(f"no projection for {type(event).__name__}")

    def build(self, **update: Any) -> Thread | None:
        if self.fields is None:
            return None
        # Every value was validated when its event was made: construct, don't validate again.
        return Thread.model_construct(**{**self.fields, **update})


# The snapshot classes a stored snapshot may name (its ``topic``): negotrack's own, never any importable module.
_SNAPSHOT_CLASSES: dict[str, type[Thread]] = {get_topic(Thread): Thread}


def mutate(event: ev.DomainEvent, thread: Thread | None) -> Thread | None:
    """Project one event onto a thread (None before the thread is opened)."""
    projection = _Projection(thread)
    projection.apply(event)
    return projection.build()


@lru_cache(maxsize=64)  # the events of one command share their recorded time
def recorded_instant(moment: datetime) -> str:
    """A recorded time as fixed-width ISO text in UTC, so text order is time order."""
    return key(moment)


def rec_of(event: ev.Recorded) -> Rec:
    """One recorded statement as the fold's input: the one conversion from events.

    The read model stores these fields (``Projector``), and a full replay of
    the aggregate's events folds them directly (``recs_of``), so the two
    paths cannot disagree on what an event means.
    """
    return Rec(
        id=event.id,  # type: ignore[attr-defined]
        type=event.type,  # type: ignore[attr-defined]
        date=event.date.isoformat() if event.date else None,  # type: ignore[attr-defined]
        seq=event.originator_version,
        recorded_at=recorded_instant(event.timestamp),
        party=event.party,
        body=event.content(),  # type: ignore[attr-defined]
    )


def recs_of(events: Iterable[ev.DomainEvent]) -> list[Rec]:
    """The recorded statements among a thread's events, as the fold's inputs."""
    return [rec_of(e) for e in events if isinstance(e, ev.Recorded)]


def project(thread: Thread | None, events: Iterable[ev.DomainEvent]) -> Thread | None:
    """The thread after the events (linear in their number)."""
    projection = _Projection(thread)
    for event in events:
        projection.apply(event)
    return projection.build()


class ThreadChanges:
    """The events one command adds to a thread, collected before they are saved.

    Every new event gets the next version and the same recorded time: the
    moment of the unit of work, from the clock (freezegun moves it in tests).
    """

    def __init__(self, thread: Thread | None, slug: str, now: datetime | None = None):
        self._projection = _Projection(thread)  # the declarations so far (each in O(1))
        self.slug = slug
        self.now = now or datetime_now_with_tzinfo()
        self.pending: list[ev.DomainEvent] = []
        self._recorded = 0  # statements recorded, taken or still pending
        self._version = thread.version if thread else 0
        self._id = thread.id if thread else thread_id(slug)

    def _trigger(self, cls: type[ev.DomainEvent], decl: Any = None, **fields: Any) -> ev.DomainEvent:
        self._version += 1
        event = cls(originator_id=self._id, originator_version=self._version, timestamp=self.now, **fields)
        self.pending.append(event)
        if not isinstance(event, ev.Recorded):  # declarations change what later checks see
            self._projection.apply(event, decl)
        else:
            self._recorded += 1
        return event

    def open(self, title: str | None) -> None:
        self._trigger(ev.ThreadOpened, slug=self.slug, title=title)

    def retitle(self, title: str) -> None:
        self._trigger(ev.ThreadRetitled, title=title)

    def declare_party(self, key: str, decl: ev.PartyDecl) -> None:
        self._trigger(ev.PartyDeclared, decl, key=key, name=decl.name)

    def declare_actor(self, key: str, decl: ev.ActorDecl) -> None:
        self._trigger(ev.ActorDeclared, decl, key=key, **decl.model_dump())

    def declare_issue(self, key: str, decl: ev.IssueDecl) -> None:
        self._trigger(ev.IssueDeclared, decl, key=key, **decl.model_dump())

    def declare_source(self, key: str, decl: ev.SourceDecl, text: str | None, text_sha256: str | None) -> None:
        self._trigger(ev.SourceDeclared, key=key, **decl.model_dump(), text=text, text_sha256=text_sha256)

    def record(self, statement: ev.Statement | ev.ReportRetracted, party: str | None) -> ev.Recorded:
        cls = ev.RECORDED_TYPES[statement.type]
        self._version += 1
        # The statement was validated when it was read: copy its fields, don't re-validate.
        event = cls.model_construct(
            **dict(statement), originator_id=self._id, originator_version=self._version, timestamp=self.now, party=party
        )
        self.pending.append(event)
        self._recorded += 1
        return event

    @property
    def aggregate_id(self) -> UUID:
        return self._id

    def reserve(self, count: int) -> int:
        """Versions for ``count`` statements recorded without their domain events (ingest encodes them itself).

        The first of them; the rest follow it.
        """
        first = self._version + 1
        self._version += count
        self._recorded += count
        return first

    def take(self) -> list[ev.DomainEvent]:
        """The pending events, handed over to be saved (a big command saves them in batches)."""
        taken, self.pending = self.pending, []
        return taken

    def final_thread(self) -> Thread | None:
        """The thread as it will be once every pending event is saved."""
        fields = self._projection.fields
        if fields is None:
            return None
        statements = fields["statements"] + self._recorded
        return self._projection.build(version=self._version, modified_on=self.now, statements=statements)
