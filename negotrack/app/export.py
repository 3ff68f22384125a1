"""Export: a thread, read from its stored events, as a file another tool reads (formats: :mod:`negotrack.timeline.formats`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotrack.app.inputs import display_name

if TYPE_CHECKING:
    from negotrack.domain.state import Rec
    from negotrack.store.store import Store

EXPORT_BATCH = 1000  # events read from the store at a time


@dataclass
class ExportHeader:
    """What precedes the events: the file's top-level keys, and the archived text of each source with one."""

    document: dict[str, Any]
    source_texts: dict[str, str]


@contextmanager
def _thread_record(store: Store, slug: str) -> Iterator[tuple[Any, Iterator[Rec]]]:
    """The thread's declarations and its statements, read from its stored events in one consistent read."""
    from negotrack.store import eventlog

    with store.db.transaction(snapshot=True) as conn:
        decls = eventlog.declarations(conn, store.app.mapper, slug)
        if not decls.exists:
            store.require_thread(conn, slug)  # names the threads there are
            from negotrack.errors import NotFound

            raise NotFound(f"no thread {slug!r} in the store's events (run `negotrack verify`)")
        yield decls, eventlog.statements(conn, store.app.mapper, slug, EXPORT_BATCH)


def export_thread(store: Store, slug: str) -> Iterator[Any]:
    """The thread as a timeline: first an :class:`ExportHeader`, then each event (a dict) in recording order.

    Read from the stored events (the record), not the read model, ``EXPORT_BATCH``
    at a time inside one consistent read, as the caller consumes them.  Recorded
    times are not exported (ingest refuses them): the events keep their valid time.
    """
    from negotrack.timeline.formats import timeline_document

    with _thread_record(store, slug) as (decls, recs):
        yield ExportHeader(timeline_document(decls, {}), dict(decls.texts))
        for rec in recs:
            yield rec.body


@dataclass
class ExportReport:
    events: int
    sources_written: list[str]  # files of archived source texts, as paths relative to the output's folder
    sources_not_written: int  # archived texts left out (output to a stream)
    format: str = "yaml"
    siblings_written: list[str] = field(default_factory=list)  # e.g. a CSV's thread declarations


def export(
    store: Store, slug: str, fmt: str | None, output: Path | None, stream: Any, *, force: bool = False
) -> ExportReport:
    """Write the thread to ``output`` (or to ``stream``) in format ``fmt`` (None: from ``output``'s suffix).

    With an output file, each archived source text is written beside it, in
    ``<name>.sources/<source id>.txt``, and the source's ``path`` names that
    file, so a timeline export (or a CSV with its ``<name>.thread.yaml``)
    ingests into an empty store as it is.  Everything is written by
    :func:`negotrack.timeline.output.write_atomically`: all or nothing, never
    through a link, never over an existing file unless ``force``.
    """
    from negotrack.timeline import formats
    from negotrack.timeline.output import Companion, companion_folder, write_atomically

    fmt = formats.choose(fmt, output)
    spec = formats.FORMATS[fmt]
    with _thread_record(store, slug) as (decls, recs):
        if output is None:
            n = formats.write(fmt, decls, recs, stream, {})
            texts = len(decls.texts) if spec.timeline or fmt == "csv" else 0
            return ExportReport(n, [], texts, fmt)
        side = companion_folder(output).name
        paths = {key: f"{side}/{key}.txt" for key in decls.texts}
        companions = [Companion(f"{key}.txt", text.encode("utf-8")) for key, text in decls.texts.items()]
        siblings = []
        if fmt == "csv":
            from negotrack.timeline import csvfile

            text = formats.thread_file_text(decls, paths)
            siblings.append(Companion(csvfile.thread_file_for(output).name, text.encode("utf-8")))
        if not (spec.timeline or fmt in ("csv", "timelinejs")):
            companions, paths = [], {}
        count: list[int] = []
        write_atomically(
            output,
            lambda out: count.append(formats.write(fmt, decls, recs, out, paths)),
            force=force,
            companions=companions,
            siblings=siblings,
            shown=display_name(output),
            newline=spec.newline,
        )
        return ExportReport(count[0], list(paths.values()), 0, fmt, [s.name for s in siblings])
