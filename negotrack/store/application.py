"""The event-sourced application: threads saved as events, through the eventsourcing library.

``NegotrackApplication`` wires the library's ``Application`` to a pydantic
mapper (with upcasting by ``class_version``), a JSON transcoder and the
SQLAlchemy recorders of :mod:`negotrack.store.recorder`.  Library errors are
translated into negotrack's own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic

from negotrack.domain import events as ev
from negotrack.domain.thread import Snapshot, Thread, project, thread_id
from negotrack.store.topics import event_class
from negotrack.domain.vocabulary import RETRACTION, V11_COMMON_FIELDS, VOCABULARY


# Built once: ``json.dumps`` with options builds a new encoder on every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return _encode(obj).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)


_ENVELOPE = {"originator_id", "originator_version"}  # kept in their own columns, not in the state

# Fields contract v1.1 added to existing event classes: left out of the stored state when absent (None),
# so that an event that uses no addition is stored exactly as version-1 code stored it (and that code,
# whose models forbid unknown fields, can still read it). Reading fills them back with None.
_ADDED_IN_V11: dict[str, tuple[str, ...]] = {
    name: V11_COMMON_FIELDS + {"ConcessionMade": ("conditions",), "AgreementReached": ("issues",)}.get(name, ())
    for name in VOCABULARY
    if name != RETRACTION
}
_EXCLUDES: dict[tuple[str, ...], set[str]] = {(): _ENVELOPE}


def _exclude(values: dict[str, Any]) -> set[str]:
    """What to leave out of an event's stored state: the envelope's columns, and v1.1's absent fields."""
    added = _ADDED_IN_V11.get(values.get("type"), ())  # type: ignore[arg-type]
    absent = tuple(f for f in added if values.get(f) is None)
    exclude = _EXCLUDES.get(absent)
    if exclude is None:
        exclude = _EXCLUDES[absent] = _ENVELOPE | set(absent)
    return exclude


_ENVELOPES: dict[tuple[Any, Any], str] = {}  # (recorded time, party) -> the state's tail (a handful per command)


def _envelope(timestamp: Any, party: str | None) -> str:
    """``,"timestamp":…,"party":…}``: the end of a recorded event's state, written by the recorded classes' own fields."""
    key = (timestamp, party)
    tail = _ENVELOPES.get(key)
    if tail is None:
        stamp = ev.DomainEvent.model_construct(timestamp=timestamp).model_dump_json(include={"timestamp"})
        speaker = ev.Recorded.model_construct(party=party).model_dump_json(include={"party"})
        tail = "," + stamp[1:-1] + "," + speaker[1:]
        if len(_ENVELOPES) > 1_000:  # bounded: a command has one recorded time
            _ENVELOPES.clear()
        _ENVELOPES[key] = tail
    return tail


_TOPICS: dict[str, str] = {}  # statement type -> the topic of its recorded class


def recorded_topic(statement_type: str) -> str:
    """The topic of the domain event class that records a statement of this type."""
    topic = _TOPICS.get(statement_type)
    if topic is None:
        topic = _TOPICS[statement_type] = get_topic(ev.RECORDED_TYPES[statement_type])
    return topic


def recorded_state(statement: ev.Statement | ev.ReportRetracted, party: str | None, timestamp: Any) -> bytes:
    """The stored ``state`` of the statement recorded at ``timestamp`` for ``party``, encoded from the statement.

    The very bytes :meth:`PydanticMapper.to_stored_event` writes for its recorded
    event (``ev.RECORDED_TYPES[type]`` with the envelope): the statement's fields
    in its class's order (v1.1's absent ones left out), then ``timestamp`` and
    ``party``, which the recorded class puts after them; tests/unit/test_recorded_state.py
    holds the two equal for every type.  Ingest writes a statement this way
    without building its domain event (a pydantic object per event, then a
    dump of it): one encoding of the statement, by pydantic itself.
    """
    values = statement.__dict__
    added = _ADDED_IN_V11.get(values["type"], ())
    absent = {f for f in added if values.get(f) is None}
    text = statement.model_dump_json(exclude=absent) if absent else statement.model_dump_json()
    return (text[:-1] + _envelope(timestamp, party)).encode("utf-8")


class PydanticMapper(Mapper):
    """Maps pydantic domain events to stored events and back, upcasting old versions."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        class_version = getattr(cls, "class_version", 1)
        if class_version == 1 and type(self.transcoder) is JsonTranscoder:
            # The bulk of an ingest (statements, and declarations by the hundred thousand):
            # pydantic writes the very bytes model_dump + the transcoder write (same key
            # order, compact, non-ASCII as is), in one step.
            state = domain_event.model_dump_json(exclude=_exclude(domain_event.__dict__)).encode("utf-8")
        else:
            data = domain_event.model_dump(mode="json", exclude=_exclude(domain_event.__dict__))
            if class_version > 1:
                data["class_version"] = class_version
            state = self.transcoder.encode(data)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(cls),
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = event_class(stored_event.topic)  # never an import of what the column names
        state: dict[str, Any] = self.transcoder.decode(stored_event.state)
        class_version = getattr(cls, "class_version", 1)
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        return cls.model_validate(state)


class NegotrackApplication(Application):
    name = "negotrack"
    snapshot_class = Snapshot
    is_snapshotting_enabled = True
    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "negotrack.store.recorder:Factory",
        "MAPPER_TOPIC": get_topic(PydanticMapper),
        "TRANSCODER_TOPIC": get_topic(JsonTranscoder),
        "IS_SNAPSHOTTING_ENABLED": "y",
    }

    def __init__(self, url: str):
        super().__init__(env={**type(self).env, "NEGOTRACK_DB_URL": url})

    def get_thread(self, slug: str) -> Thread | None:
        """The thread's current state, from its latest snapshot and the events after it."""
        try:
            return self.repository.get(thread_id(slug), projector_func=project)
        except AggregateNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a snapshot that does not decode (JSON, pydantic, topic)
            if not self._snapshot_is_bad(slug):
                raise
        # The snapshot is only a cache: the thread is replayed from its events, which are the record.
        # `negotrack verify` names the snapshot and `negotrack rebuild` takes it again.
        return project(None, self.events.get(thread_id(slug)))

    def _snapshot_is_bad(self, slug: str) -> bool:
        """Does the thread's latest snapshot fail to decode?"""
        if self.snapshots is None:
            return False
        try:
            list(self.snapshots.get(thread_id(slug), desc=True, limit=1))
        except Exception:  # noqa: BLE001
            return True
        return False

    def thread_events(self, slug: str) -> list[ev.DomainEvent]:
        """Every event of a thread, decoded: the full replay."""
        return list(self.events.get(thread_id(slug)))

    def save_events(self, events: Sequence[ev.DomainEvent], **kwargs: Any) -> None:
        """Put domain events in the event store: the application's mapper, then its recorder.

        What ``Application.save`` does for events given without their aggregate
        (no aggregate to cache, no snapshot interval, nothing to notify), minus
        its collection step, which checks every event against a runtime
        ``Protocol`` (slow: a large share of an ingest's time).  ``kwargs`` go to
        the recorder (``readmodel``: see :mod:`negotrack.store.recorder`).
        """
        self.events.put(events, **kwargs)

    def save_snapshot(self, thread: Thread) -> None:
        assert self.snapshots is not None
        self.snapshots.put([Snapshot.take(thread)])
