"""Ingest: read timeline files, check them against the store, record their events, all or nothing."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotrack.app.inputs import problems_located, read_inputs
from negotrack.errors import ConcurrencyConflict, InputRejected, Problem

if TYPE_CHECKING:  # the pydantic models are imported by the commands that read input, not by queries
    from negotrack.domain.rules import Plan
    from negotrack.store.store import Store
    from negotrack.timeline.schema import TimelineInput

MAX_ATTEMPTS = 8


@dataclass
class IngestReport:
    threads: dict[str, dict[str, int]] = field(default_factory=dict)  # slug -> {"events", "declarations", "skipped"}
    attempts: int = 1
    warnings: list[Problem] = field(default_factory=list)  # recorded all the same

    @property
    def written(self) -> int:
        return sum(t["events"] + t["declarations"] for t in self.threads.values())


def ingest_inputs(store: Store, inputs: list[TimelineInput], problems: list[Problem] | None = None) -> IngestReport:
    """Check the inputs against the store and write them in one transaction.

    A conflict with a concurrent writer (or a store busy past its timeout) is
    retried from the start, re-reading and re-checking, a bounded number of
    times; then it is reported.
    """
    from eventsourcing.domain import datetime_now_with_tzinfo

    from negotrack.domain.rules import Checker

    slugs = tuple(sorted({i.thread.id for i in inputs}))
    last_error: Exception | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with store.db.transaction(write=True, lock_keys=slugs):
                now = datetime_now_with_tzinfo()
                plan = Checker(store, now).check(inputs, problems or [])
                store.record(plan, now)
            return _report(plan, attempt)
        except Exception as e:
            if not store.is_conflict(e):
                raise
            last_error = e
        time.sleep(min(2.0, 0.05 * 2**attempt) * random.random())
    raise ConcurrencyConflict(
        f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the store ({last_error.__class__.__name__})"
    )


def _report(plan: Plan, attempts: int) -> IngestReport:
    report = IngestReport(attempts=attempts, warnings=plan.warnings)
    for slug, t in plan.threads.items():
        report.threads[slug] = {
            "events": len(t.statements),
            "declarations": len([d for d in t.declarations if d.kind != "title"]),
            "skipped": t.skipped,
        }
    return report


def ingest(
    store: Store,
    paths: list[Path],
    *,
    thread_file: Path | None = None,
    allowed: Any = None,
) -> IngestReport:
    """Read, check and record timeline files (see :func:`ingest_inputs`) in ``store`` (created if need be)."""
    locators: list[Any] = []
    with problems_located(locators):
        inputs, problems = read_inputs(paths, thread_file=thread_file, locators=locators, allowed=allowed)
        if problems and not any(i.events for i in inputs):
            raise InputRejected(problems)
        # The rules across events are checked too, so every problem is listed in one go.
        store.create()
        return ingest_inputs(store, inputs, problems)
