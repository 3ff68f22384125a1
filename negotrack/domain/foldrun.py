"""The one driver of the fold of contract §5: rules 1-3 choose and order the events, the fold applies them.

Every query folds through a :class:`FoldRun`: ``state`` and ``diff`` (through
the checkpoints), ``state_by_replay``, ``verify``'s check of the checkpoints,
the scenarios (they ask ``state``) and the report's states by date.  ``replay``
steps one event at a time with :meth:`FoldRun.step`, to see the fold around each.

The events are taken one at a time (a lookahead of one), so a long thread can
be streamed from the store (``selected``: events already chosen and ordered by
rules 1-3, as :func:`negotrack.domain.state.select_ordered` yields them).
What it returns comes in a fixed order (lists and dicts, never sets): output
built from it must not depend on the hash seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from negotrack.domain.state import Fold, IssueInfo, Rec, select


class FoldRun:
    """The events in view as of ``as_of`` (known at ``known_at``), in order, applied to ``fold`` one by one."""

    def __init__(
        self,
        records: Iterable[Rec] | None,
        declared: Mapping[str, IssueInfo],
        as_of: str,
        known_at: str | None = None,
        *,
        fold: Fold | None = None,
        selected: Iterable[Rec] | None = None,
    ):
        self.fold = fold if fold is not None else Fold.start(declared)
        events = selected if selected is not None else select(records or (), as_of, known_at)  # rules 1-3
        self._events = iter(events)
        self._next: Rec | None = next(self._events, None)
        self.applied = 0  # how many of them are in the fold

    @property
    def next(self) -> Rec | None:
        """The next event to apply (None: all are applied)."""
        return self._next

    def step(self) -> list[str]:
        """Apply the next event (rules 4-7); the issues whose view it changed, in a fixed order."""
        r = self._next
        assert r is not None, "no event left to apply"
        self._next = next(self._events, None)
        self.applied += 1
        return self.fold.apply(r)

    def to_end(self) -> Fold:
        """Apply every event left; the fold."""
        while self._next is not None:
            self.step()
        return self.fold

    def until(self, day: str) -> Fold:
        """Apply every event left dated on or before ``day``; the fold."""
        while self._next is not None and self._next.date <= day:  # type: ignore[operator]
            self.step()
        return self.fold

    def by_date(self) -> Iterator[tuple[str, dict[str, None], dict[str, None]]]:
        """Apply the events left date by date: after each date, (the date, issues changed, ids named)."""
        day: str | None = None
        changed: dict[str, None] = {}
        named: dict[str, None] = {}
        while (r := self._next) is not None:
            if day is not None and r.date != day:
                yield day, changed, named
                changed, named = {}, {}
            day = r.date
            changed.update(dict.fromkeys(self.step()))
            named.update(dict.fromkeys(x for x in (r.id, r.body.get("ref"), r.body.get("revises")) if x))
        if day is not None:
            yield day, changed, named
