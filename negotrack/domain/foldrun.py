"""The one driver of the fold of contract §5: rules 1-3 choose and order the events, the fold applies them.

Every query folds through a :class:`FoldRun`: ``state`` and ``diff`` (through
the checkpoints), ``state_by_replay``, ``verify``'s check of the checkpoints,
the scenarios (they ask ``state``) and the report's states by date.  ``replay``
steps one event at a time with :meth:`FoldRun.step`, to see the fold around each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from negotrack.domain.state import Fold, IssueInfo, Rec, select


class FoldRun:
    """The events in view as of ``as_of`` (known at ``known_at``), in order, applied to ``fold`` one by one."""

    def __init__(
        self,
        records: Iterable[Rec],
        declared: Mapping[str, IssueInfo],
        as_of: str,
        known_at: str | None = None,
        *,
        fold: Fold | None = None,
    ):
        self.fold = fold if fold is not None else Fold.start(declared)
        self.events = select(records, as_of, known_at)  # rules 1-3
        self.applied = 0  # how many of them are in the fold

    @property
    def next(self) -> Rec | None:
        """The next event to apply (None: all are applied)."""
        return self.events[self.applied] if self.applied < len(self.events) else None

    def step(self) -> set[str]:
        """Apply the next event (rules 4-7); the issues whose view it changed."""
        r = self.events[self.applied]
        self.applied += 1
        return self.fold.apply(r)

    def to_end(self) -> Fold:
        """Apply every event left; the fold."""
        apply, events = self.fold.apply, self.events
        for i in range(self.applied, len(events)):
            apply(events[i])
        self.applied = len(events)
        return self.fold

    def until(self, day: str) -> Fold:
        """Apply every event left dated on or before ``day``; the fold."""
        events = self.events
        while self.applied < len(events) and events[self.applied].date <= day:  # type: ignore[operator]
            self.fold.apply(events[self.applied])
            self.applied += 1
        return self.fold

    def by_date(self) -> Iterator[tuple[str, set[str], set[str]]]:
        """Apply the events left date by date: after each date, (the date, issues changed, ids named)."""
        day: str | None = None
        changed: set[str] = set()
        named: set[str] = set()
        while (r := self.next) is not None:
            if day is not None and r.date != day:
                yield day, changed, named
                changed, named = set(), set()
            day = r.date
            changed |= self.step()
            named.update(x for x in (r.id, r.body.get("ref"), r.body.get("revises")) if x)
        if day is not None:
            yield day, changed, named
