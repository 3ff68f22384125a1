"""What a command's input is, once its files are read and parsed: the checker's input (contract §2).

The timeline layer (:mod:`negotrack.timeline.schema`) builds these from files;
the domain's rules (:mod:`negotrack.domain.rules`) check them. They are here,
in the domain, so that the rules need nothing from the layer that reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negotrack.domain import events as ev


@dataclass
class ThreadSection:
    id: str
    title: str | None = None
    parties: dict[str, ev.PartyDecl] = field(default_factory=dict)
    actors: dict[str, ev.ActorDecl] = field(default_factory=dict)
    issues: dict[str, ev.IssueDecl] = field(default_factory=dict)


@dataclass(slots=True)  # one per event of an input: no per-instance __dict__
class InputEvent:
    statement: ev.Statement | ev.ReportRetracted
    file: str
    where: str  # "event <id>"
    line: int | None = None
    recorded_at: datetime | None = None  # scenario files only


@dataclass
class TimelineInput:
    name: str
    path: Path
    thread: ThreadSection
    sources: dict[str, ev.SourceDecl]
    events: list[InputEvent]
    broken_ids: set[str] = field(default_factory=set)  # events refused by their form
    # The text of each source declared with a `path`, read by the rule of timeline.paths,
    # or why it was refused; a source in neither was never read.
    source_texts: dict[str, str] = field(default_factory=dict)
    source_errors: dict[str, str] = field(default_factory=dict)
