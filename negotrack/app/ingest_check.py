"""``negotrack ingest --check``: every check ingest makes, and what it would write, with nothing written.

The files are read and checked exactly as :func:`negotrack.app.ingest.ingest`
reads and checks them (the same reader, the same :class:`~negotrack.domain.rules.Checker`),
against the store when there is one, so an id already recorded with other
content, an answer to an item recorded earlier or a duplicate are judged as
ingest would judge them.  The checks run in a read transaction and nothing
is recorded; a store that does not exist is not created (the checks then
run against an empty store), and an older store is read as it is, not upgraded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotrack.errors import InputRejected

if TYPE_CHECKING:
    from negotrack.domain.rules import KnownEvent, Plan
    from negotrack.domain.thread import Thread
    from negotrack.store.store import Store

DECLARATION_KINDS = ("party", "actor", "issue", "source")


@dataclass
class ThreadCheck:
    """What an ingest would write to one thread."""

    thread: str
    new_thread: bool
    title: str | None  # a title it would set (a new thread's, or a new one)
    declarations: dict[str, int]  # kind -> count (party, actor, issue, source)
    events: dict[str, int]  # event type -> count, in the order of the vocabulary
    skipped: int  # events already in the store

    def as_dict(self) -> dict[str, Any]:
        return {
            "thread": self.thread,
            "new_thread": self.new_thread,
            "title": self.title,
            "declarations": self.declarations,
            "events": self.events,
            "already_in_store": self.skipped,
        }


@dataclass
class CheckReport:
    store_exists: bool
    threads: list[ThreadCheck] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)  # the warnings ingest would print (recorded all the same)

    @property
    def would_write(self) -> int:
        return sum(sum(t.declarations.values()) + sum(t.events.values()) for t in self.threads)


class _EmptyStore:
    """The checker's view of a store that does not exist yet: nothing is known."""

    def load_thread(self, slug: str) -> Thread | None:
        return None

    def known_events(self, slug: str, ids: Iterable[str]) -> dict[str, KnownEvent]:
        return {}

    def source_text(self, slug: str, key: str) -> str | None:
        return None

    def stored_content(self, slug: str, event_id: str) -> dict[str, Any] | None:
        return None


def check_ingest(
    store: Store, paths: list[Path], *, thread_file: Path | None = None, allowed: Any = None
) -> CheckReport:
    """Read and check ``paths`` as ingest would; raise :class:`InputRejected` as it would; write nothing."""
    from negotrack.app.inputs import problems_located, read_inputs
    from negotrack.domain.rules import Checker

    locators: list[Any] = []
    with problems_located(locators):  # a CSV's problems name its rows and columns, as ingest's do
        inputs, problems = read_inputs(paths, thread_file=thread_file, locators=locators, allowed=allowed)
        if problems and not any(i.events for i in inputs):
            raise InputRejected(problems)
        exists = store.db.exists(upgrade=False)
        now = datetime.now(timezone.utc)
        if exists:
            with store.db.transaction():  # one consistent read, never the write lock
                plan = Checker(store, now).check(inputs, problems)
        else:
            plan = Checker(_EmptyStore(), now).check(inputs, problems)
    return _report(plan, exists)


def _report(plan: Plan, exists: bool) -> CheckReport:
    from negotrack.domain.vocabulary import STATEMENT_TYPES

    report = CheckReport(store_exists=exists, warnings=list(plan.warnings))
    for slug, t in plan.threads.items():
        kinds = Counter(d.kind for d in t.declarations)
        types = Counter(st.input.statement.type for st in t.statements)
        titles = [d.decl for d in t.declarations if d.kind == "title"]
        report.threads.append(
            ThreadCheck(
                thread=slug,
                new_thread=t.thread is None,
                title=titles[-1] if titles else None,
                declarations={k: kinds[k] for k in DECLARATION_KINDS if kinds[k]},
                events={k: types[k] for k in STATEMENT_TYPES if types[k]},
                skipped=t.skipped,
            )
        )
    return report
