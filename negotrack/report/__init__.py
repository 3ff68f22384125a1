"""``negotrack report``: a thread as one self-contained HTML page (timeline, stance bands, state as of a date).

:func:`build` gathers the data (:mod:`negotrack.report.data`) and renders the
page (:mod:`negotrack.report.page`); :func:`write_report` writes it to a file,
whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from negotrack.report.data import Request

if TYPE_CHECKING:
    from negotrack.store.store import Store

__all__ = ["Request", "Written", "build", "write_report"]


@dataclass
class Written:
    path: Path
    events: int
    sources: int
    issues: int
    bytes: int


def build(store: Store, req: Request, made_at: datetime | None = None) -> tuple[str, dict[str, int]]:
    """The page's text, and what it holds (events, sources, issues)."""
    from negotrack.report import data, page
    from negotrack.app.queries import iso_instant

    moment = (made_at or datetime.now(timezone.utc)).replace(microsecond=0)
    doc, details = data.gather(store, req, iso_instant(moment) or "")
    counts = {"events": len(doc["events"]), "sources": len(doc["sources"]), "issues": len(doc["issues"])}
    return page.render(doc, details), counts


def write_report(store: Store, req: Request, output: Path, made_at: datetime | None = None) -> Written:
    """Build the report and write it to ``output``, replacing a file there (never a link or a device).

    Written as exports are (:func:`negotrack.timeline.output.write_atomically`): a temporary file
    created exclusively in the folder, then renamed, so it is whole or not at all.
    """
    from negotrack.errors import UsageError
    from negotrack.app.inputs import display_name

    if not output.parent.is_dir():
        raise UsageError(f"-o: {display_name(output.parent)} is not a folder")
    if output.is_dir():
        raise UsageError(f"-o: {display_name(output)} is a folder")
    if req.start and req.end and req.start > req.end:
        raise UsageError(f"--from ({req.start}) is after --to ({req.end})")
    from negotrack.timeline.output import write_atomically

    text, counts = build(store, req, made_at)
    write_atomically(output, lambda out: out.write(text), force=True, shown=display_name(output))
    return Written(output, counts["events"], counts["sources"], counts["issues"], len(text.encode("utf-8")))
