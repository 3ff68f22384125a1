"""Writing a thread as a timeline file of contract §2 (NDJSON, JSON or YAML), event by event.

The header (``negotrack``, ``thread``, ``sources``) is written first, then each
event as it comes from an iterator, so a thread of any length is written
without holding its events in memory.  Whatever the format, the file reads
back through :mod:`negotrack.timeline.reader` to the same declarations and
events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

FORMATS = ("ndjson", "json", "yaml")


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


_json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode  # once: json.dumps makes one a call


def _yaml(obj: Any) -> str:
    import yaml

    return yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=2**31 - 1, default_flow_style=False)


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
            out.write(_yaml([event]))
            n += 1
        if first:
            out.write("events: []\n")
    else:  # pragma: no cover - the CLI offers only FORMATS
        raise ValueError(f"unknown format {fmt!r}")
    return n
