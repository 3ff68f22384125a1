"""The event-sourced application: threads saved as events, through the eventsourcing library.

``NegotrackApplication`` wires the library's ``Application`` to a pydantic
mapper (with upcasting by ``class_version``), a JSON transcoder and the
SQLAlchemy recorders of :mod:`negotrack.store.recorder`.  Library errors are
translated into negotrack's own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from types import UnionType
from typing import Any, ClassVar, Union, get_args, get_origin

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic
from pydantic import BaseModel

from negotrack.domain import events as ev
from negotrack.domain.state import Rec
from negotrack.domain.thread import Snapshot, Thread, project, recorded_instant, thread_id
from negotrack.domain.vocabulary import RETRACTION, V11_COMMON_FIELDS, VOCABULARY
from negotrack.speedups import loads
from negotrack.store.topics import event_class


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


def _list_item(annotation: Any) -> Any:
    """``M`` of an annotation ``list[M]`` or ``list[M] | None``; None for any other annotation."""
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        return next((item for arg in get_args(annotation) if (item := _list_item(arg)) is not None), None)
    return None


def _nested_models(cls: type[Any]) -> dict[str, tuple[str, ...]]:
    """The fields of ``cls`` that hold a list of models (``source``, ``provisions``), with each model's fields."""
    nested = {}
    for name, info in cls.model_fields.items():
        item = _list_item(info.annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            nested[name] = tuple(item.model_fields)
    return nested


class _StoredShape:
    """What the mapper writes for a recorded statement class, to read it back without building the event."""

    def __init__(self, statement_type: str, cls: type[Any]):
        self.type = statement_type
        # the state's keys, in order: the statement's fields (what ``content()`` keeps), then timestamp and party
        self.stored = (*ev.statement_fields(cls), "timestamp", "party")
        self.may_be_absent = frozenset(_ADDED_IN_V11.get(statement_type, ()))
        self.nested = _nested_models(cls)
        self._keys: dict[tuple[str, ...], bool] = {}  # a state's keys -> are they what the mapper writes?

    def written_by_mapper(self, keys: tuple[str, ...]) -> bool:
        """Are these, in this order, the keys the mapper writes: every field, less some of v1.1's absent ones?"""
        known = self._keys.get(keys)
        if known is None:
            present = set(keys)
            known = tuple(f for f in self.stored if f in present) == keys and all(
                f in present or f in self.may_be_absent for f in self.stored
            )
            if len(self._keys) < 64:  # a handful of shapes per class; a store written by hand has no say
                self._keys[keys] = known
        return known


_SHAPES: dict[str, _StoredShape | None] = {}  # topic -> the shape of its recorded statement class (None: decode it)


def _shape(topic: str) -> _StoredShape | None:
    """The stored shape of the recorded statement class a topic names, if it is read back without decoding."""
    try:
        return _SHAPES[topic]
    except KeyError:
        pass
    cls = event_class(topic)  # never an import of what the column names
    found = [name for name, recorded in ev.RECORDED_TYPES.items() if recorded is cls]
    shape = _StoredShape(found[0], cls) if found and getattr(cls, "class_version", 1) == 1 else None
    _SHAPES[topic] = shape
    return shape


@lru_cache(maxsize=64)  # the events of one command share their recorded time
def _recorded_at(stamp: str) -> str:
    """A stored ``timestamp`` (as pydantic wrote it) as the read model's recorded instant."""
    from pydantic import TypeAdapter

    return recorded_instant(TypeAdapter(datetime).validate_python(stamp))


def _without_none(value: list[Any], fields: tuple[str, ...]) -> list[dict[str, Any]] | None:
    """A stored list of models with their None fields left out; None if an item is not one the mapper wrote."""
    for item in value:
        if type(item) is not dict or tuple(item) != fields:
            return None
    return [item if None not in item.values() else {k: v for k, v in item.items() if v is not None} for item in value]


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

    def stored_rec(self, topic: str, state: bytes, version: int) -> Rec | None:
        """A stored recorded statement as the fold's input, read from its state without building its event.

        The same :class:`Rec` as ``rec_of(self.to_domain_event(...))`` (the
        statement's ``content()``: its fields in its class's order, the None ones
        left out, nested ones too), for a state of the shape this mapper writes:
        the class's fields in order, less v1.1's absent ones, with lists of
        models holding every field of the model.  Anything else (another class
        version, a field missing or unknown, keys out of order) returns None, and
        the caller decodes the event (with its checks and its errors).  The
        values are not validated again: negotrack validated them when it recorded
        them (``negotrack verify`` decodes every event).  Export reads every
        statement this way: a 200,000-event thread's NDJSON export took 2.3 s of
        CPU against 4.9 s decoding each event (pydantic validation, then a dump
        of its content); csv 3.9 s against 6.4 s (same output, tests/unit/test_stored_rec.py
        holds the two readings equal).
        """
        shape = _shape(topic)
        if shape is None or type(self.transcoder) is not JsonTranscoder:
            return None
        data = loads(state)
        if type(data) is not dict or not shape.written_by_mapper(tuple(data)):
            return None
        stamp, party = data.pop("timestamp"), data.pop("party")  # the envelope; the rest is the statement's fields
        content = {k: v for k, v in data.items() if v is not None}
        for name, fields in shape.nested.items():
            value = content.get(name)
            if value is not None:
                items = _without_none(value, fields) if type(value) is list else None
                if items is None:
                    return None
                content[name] = items
        if content.get("type") != shape.type or type(content.get("id")) is not str or type(stamp) is not str:
            return None
        return Rec(content["id"], content["type"], content.get("date"), version, _recorded_at(stamp), party, content)


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
