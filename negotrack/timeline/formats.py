"""The export formats: one table, read by the CLI and by the export use case.

Each format names the file suffixes it may be written to.  ``export -o FILE``
takes the format from FILE's suffix unless ``--format`` says otherwise, and
refuses a ``--format`` that FILE's suffix contradicts (``--format yaml -o
t.ndjson``), or a suffix that names no format when ``--format`` is not given.

Every writer takes the thread's declarations (an object with ``slug``,
``title``, ``parties``, ``actors``, ``issues``, ``sources``, ``texts`` and
``retracted``, see :mod:`negotrack.store.eventlog`) and an iterator of
recorded statements (:class:`~negotrack.domain.state.Rec`), and writes as they
come: no format holds the thread's events in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotrack.errors import UsageError


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # the suffixes it may be written to; the first is its own
    help: str
    timeline: bool = False  # a timeline file of contract §2: ingests back as it is
    newline: str = "\n"  # what the text stream translates "\n" to ("" for CSV: it writes CRLF itself)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("yaml", (".yaml", ".yml"), "a timeline file (YAML)", timeline=True),
        Format("json", (".json",), "a timeline file (JSON)", timeline=True),
        Format("ndjson", (".ndjson", ".jsonl"), "a timeline file (NDJSON)", timeline=True),
        Format("csv", (".csv",), "one row per event (RFC 4180), ingests back with its .thread.yaml", newline=""),
        Format("plover", (".jsonl", ".ndjson"), "PLOVER event data, JSONL"),
        Format("timelinejs", (".json",), "a TimelineJS3 timeline (JSON)"),
    )
}
NAMES = tuple(FORMATS)
# The format a suffix means when --format is not given.
BY_SUFFIX = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".csv": "csv"}


def choose(fmt: str | None, output: Path | None) -> str:
    """The format to write: ``--format`` if given, else from the output's suffix (default: YAML)."""
    if output is None:
        return fmt or "yaml"
    suffix = output.suffix.lower()
    if fmt is None:
        if suffix not in BY_SUFFIX:
            shown = f"suffix {suffix!r}" if suffix else "no suffix"
            raise UsageError(f"-o: {output.name} has {shown}: give --format ({', '.join(NAMES)})")
        return BY_SUFFIX[suffix]
    if suffix in BY_SUFFIX and suffix not in FORMATS[fmt].suffixes:
        allowed = " or ".join(FORMATS[fmt].suffixes)
        raise UsageError(
            f"--format {fmt} contradicts -o {output.name} (a {BY_SUFFIX[suffix]} file): name it {allowed}, or drop --format"
        )
    return fmt


def timeline_document(decls: Any, source_paths: dict[str, str]) -> dict[str, Any]:
    """The top-level keys of a timeline file (all but ``events``) for the thread's declarations.

    ``source_paths``: a source whose archived text is written beside the file
    gets that file as its ``path``.
    """
    thread: dict[str, Any] = {"id": decls.slug}
    if decls.title is not None:
        thread["title"] = decls.title
    for key in ("parties", "actors", "issues"):
        if getattr(decls, key):
            thread[key] = dict(getattr(decls, key))
    document: dict[str, Any] = {"negotrack": 1, "thread": thread}
    if decls.sources:
        document["sources"] = {
            k: ({**body, "path": source_paths[k]} if k in source_paths else dict(body)) for k, body in decls.sources.items()
        }
    return document


def thread_file_text(decls: Any, source_paths: dict[str, str]) -> str:
    """A timeline file with the thread's declarations and no events (what a CSV of events ingests with)."""
    from negotrack.timeline.writer import _yaml

    return _yaml(timeline_document(decls, source_paths)) + "events: []\n"


def write(fmt: str, decls: Any, recs: Iterable[Any], out: Any, source_paths: dict[str, str]) -> int:
    """Write the thread in format ``fmt``; returns the number of events written."""
    if FORMATS[fmt].timeline:
        from negotrack.timeline.writer import write_timeline

        return write_timeline(fmt, timeline_document(decls, source_paths), (r.body for r in recs), out)
    if fmt == "csv":
        from negotrack.timeline import csvfile

        return csvfile.write(decls, recs, out)
    if fmt == "plover":
        from negotrack.timeline import plover

        return plover.write(decls, recs, out)
    if fmt == "timelinejs":
        from negotrack.timeline import timelinejs

        return timelinejs.write(decls, recs, out, source_paths)
    raise ValueError(f"unknown format {fmt!r}")  # pragma: no cover - the CLI offers only NAMES
