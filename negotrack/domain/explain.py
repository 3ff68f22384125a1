"""Problems told in the analyst's words, with the fix: the longer messages of the checker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_SHOWN = 60  # characters of a value shown in a message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def different_content(event_id: str, stored: Mapping[str, Any] | None, given: Mapping[str, Any]) -> str:
    """An id already recorded with other content: which fields differ, and how to correct it."""
    head = f"event id {event_id!r} is already in the store with different content"
    if stored is None:
        return head
    fields = sorted(k for k in stored.keys() | given.keys() if stored.get(k) != given.get(k))
    told = []
    for key in fields[:3]:
        if key not in given:
            told.append(f"`{key}` stored as {_short(stored[key])}, not given here")
        elif key not in stored:
            told.append(f"`{key}` not stored, given here as {_short(given[key])}")
        else:
            told.append(f"`{key}` stored as {_short(stored[key])}, here {_short(given[key])}")
    if len(fields) > 3:
        told.append(f"and {len(fields) - 3} more field{'s' if len(fields) - 3 != 1 else ''}")
    fix = (
        "a recorded event never changes: to correct it, retract it (a ReportRetracted with "
        f"ref: {event_id}) and add the corrected event under a new id"
    )
    if fields == ["source"]:
        fix = (
            "only its sources differ, and a recorded event's sources never change: keep this event as "
            "it was stored, and add the new source to a new event with an id of its own"
        )
    return f"{head} ({'; '.join(told)}): {fix}"
