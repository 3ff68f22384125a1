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


# Built once: ``json.dumps`` with options builds a new encoder on every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return _encode(obj).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)


_ENVELOPE = {"originator_id", "originator_version"}  # kept in their own columns, not in the state


class PydanticMapper(Mapper):
    """Maps pydantic domain events to stored events and back, upcasting old versions."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        class_version = getattr(cls, "class_version", 1)
        if class_version == 1 and type(self.transcoder) is JsonTranscoder:
            # The bulk of an ingest (statements, and declarations by the hundred thousand):
            # pydantic writes the very bytes model_dump + the transcoder write (same key
            # order, compact, non-ASCII as is), in one step.
            state = domain_event.model_dump_json(exclude=_ENVELOPE).encode("utf-8")
        else:
            data = domain_event.model_dump(mode="json", exclude=_ENVELOPE)
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
