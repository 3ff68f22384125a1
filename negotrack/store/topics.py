"""The event classes a stored ``topic`` may name: negotrack's own, and nothing else.

A topic is ``module:qualname``.  The library's ``resolve_topic`` imports any
module a topic names, so a tampered ``topic`` column would make ``verify`` or
``rebuild`` import (and run the top-level code of) any installed module.  Here
a topic is only looked up, never imported: it must name a class of
:mod:`negotrack.domain` (an event, the snapshot, or the aggregate a snapshot
holds).  A class moved to another module keeps its old topic readable by an
entry in :data:`RENAMED`.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

# old topic -> current topic, for classes that moved (every store keeps the topics it was written with)
RENAMED: dict[str, str] = {}

_classes: dict[str, type[Any]] | None = None


class UnknownTopic(LookupError):
    """A stored row names a type negotrack does not define."""

    def __init__(self, topic: str):
        shown = topic if len(topic) <= 120 else topic[:117] + "..."
        super().__init__(f"{shown!r} is not an event type of negotrack")


def _all() -> dict[str, type[Any]]:
    global _classes
    if _classes is None:
        from negotrack.domain import events as ev
        from negotrack.domain.thread import Snapshot, Thread

        found: dict[str, type[Any]] = {get_topic(Snapshot): Snapshot, get_topic(Thread): Thread}
        stack: list[type[Any]] = [ev.DomainEvent]
        while stack:
            cls = stack.pop()
            if cls.__module__.startswith("negotrack."):
                found[get_topic(cls)] = cls
            stack.extend(cls.__subclasses__())
        for old, new in RENAMED.items():
            found[old] = found[new]
        _classes = found
    return _classes


def event_class(topic: str) -> type[Any]:
    """The class a stored topic names; :class:`UnknownTopic` if it is not one of negotrack's."""
    cls = _all().get(topic)
    if cls is None:
        raise UnknownTopic(topic)
    return cls
