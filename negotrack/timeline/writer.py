"""Writing a thread as a timeline file of contract §2 (NDJSON, JSON or YAML), event by event.

The header (``negotrack``, ``thread``, ``sources``) is written first, then each
event as it comes from an iterator, so a thread of any length is written
without holding its events in memory.  Whatever the format, the file reads
back through :mod:`negotrack.timeline.reader` to the same declarations and
events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMATS = ("ndjson", "json", "yaml")


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


_json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode  # once: json.dumps makes one a call


_YAML_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 2**31 - 1, "default_flow_style": False}


def _yaml(obj: Any) -> str:
    import yaml

    return yaml.safe_dump(obj, **_YAML_OPTIONS)


# Where libyaml's emitter (PyYAML's CSafeDumper) writes what PyYAML's own writes: text of the Basic
# Multilingual Plane's printable characters on one line. Not: line breaks (\n \r \x85 \u2028 \u2029),
# tabs and other controls, DEL and the C1 controls, the byte order mark, surrogates, U+FFFE/U+FFFF, and
# characters past U+FFFF (libyaml escapes them, PyYAML writes them as they are).
_SAME_IN_BOTH = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_KEY = re.compile("[a-z_]{1,32}")  # an event's keys are its field names


def _emitted_alike(value: Any) -> bool:
    """Does libyaml write ``value`` (an event, or a value in it) exactly as PyYAML does?"""
    kind = type(value)
    if kind is str:
        return _SAME_IN_BOTH.fullmatch(value) is not None
    if kind is dict:
        return all(type(k) is str and _KEY.fullmatch(k) and _emitted_alike(v) for k, v in value.items())
    if kind is list:
        return all(_emitted_alike(v) for v in value)
    return kind is int or kind is bool


def _yaml_event(event: dict[str, Any]) -> str:
    """``_yaml([event])``: one item of the ``events`` list, the same text.

    PyYAML's emitter is pure Python: 1.7 s of CPU for 5,000 events, 330 s for
    a million. Its C emitter (libyaml, when PyYAML was built with it) writes
    the same text about 6x faster for events whose every string is of
    ``_SAME_IN_BOTH`` (the representer and the resolver, which choose the tags
    and which strings to quote, are PyYAML's own in both); any other event is
    written by PyYAML's emitter.  tests/property/test_yaml_writer.py holds the
    two texts equal.
    """
    import yaml

    dumper = getattr(yaml, "CSafeDumper", None)  # None: a PyYAML built without libyaml
    if dumper is not None and _emitted_alike(event):
        return yaml.dump([event], Dumper=dumper, **_YAML_OPTIONS)
    return _yaml([event])


def write_timeline(fmt: str, header: dict[str, Any], events: Iterable[dict[str, Any]], out: TextSink) -> int:
    """Write the header, then each event; returns the number of events written."""
    n = 0
    if fmt == "ndjson":
        out.write(_json(header) + "\n")
        for event in events:
            out.write(_json(event) + "\n")
            n += 1
    elif fmt == "json":
        out.write("{\n")
        for key, value in header.items():
            out.write(f"  {_json(key)}: {_json(value)},\n")
        out.write('  "events": [')
        for event in events:
            out.write(("\n    " if n == 0 else ",\n    ") + _json(event))
            n += 1
        out.write("\n  ]\n}\n" if n else "]\n}\n")
    elif fmt == "yaml":
        out.write(_yaml(header))
        first = True
        for event in events:
            if first:
                out.write("events:\n")
                first = False
            out.write(_yaml_event(event))
            n += 1
        if first:
            out.write("events: []\n")
    else:  # pragma: no cover - the CLI offers only FORMATS
        raise ValueError(f"unknown format {fmt!r}")
    return n
