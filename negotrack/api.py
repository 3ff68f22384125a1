"""negotrack from Python (a notebook, a script): a store, and its use cases returning plain dicts.

    import negotrack

    store = negotrack.open("negotrack.db")          # an SQLite file or an SQLAlchemy URL
    store.ingest(["seeds/ukraine-peace.yaml"])
    doc = store.state("ukraine-peace", as_of="2025-11-30", issue="nato-membership")
    doc["issues"]["nato-membership"]["status"]   # 'contested'

Every answer is what the command line prints with ``--json`` (contract §5
for ``state``): dicts, lists, strings and numbers only.  Dates are ISO
strings or :class:`datetime.date`; ``known_at`` is also an ISO 8601 instant or
a :class:`datetime.datetime`.  Errors are the command line's
(:mod:`negotrack.errors`): ``InputRejected`` lists every problem of a refused
input, ``NotFound`` a thread or store that is not there, ``UsageError`` an
argument that makes no sense.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from negotrack.errors import UsageError

Day = str | date
Moment = str | date | datetime


def open(db: str | Path | None = None) -> Negotrack:  # noqa: A001 - negotrack.open, as in the README
    """The store ``db`` (a path or an SQLAlchemy URL; default ``$NEGOTRACK_DB`` or ``./negotrack.db``).

    Nothing is created until something is ingested.
    """
    from negotrack.store.config import resolve_db
    from negotrack.store.store import Store

    return Negotrack(Store(resolve_db(None if db is None else str(db))))


class Negotrack:
    """A store and what can be asked of it; made by :func:`open`."""

    def __init__(self, store: Any):
        self._store = store
        self._checked = False

    @property
    def url(self) -> str:
        return str(self._store.url)

    def __repr__(self) -> str:
        from negotrack.store.config import display

        return f"<negotrack store {display(self.url)}>"

    def _opened(self) -> Any:
        if not self._checked:
            from negotrack.store.store import Store

            Store.open(self.url)  # NotFound if there is no store there
            self._checked = True
        return self._store

    # -- writing ---------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], *, sources_root: Iterable[str | Path] = ()) -> dict[str, Any]:
        """Check timeline files (or CSV files of events) and record their events, all or nothing.

        Returns ``{"threads": {slug: {"events", "declarations", "skipped"}}, "written": n}``.
        """
        from negotrack.app.ingest import ingest
        from negotrack.timeline.paths import Allowed

        allowed = Allowed.named(tuple(str(p) for p in sources_root))
        report = ingest(self._store, [Path(p) for p in paths], allowed=allowed)
        self._checked = True
        return {"threads": report.threads, "written": report.written}

    # -- queries ---------------------------------------------------------------

    def state(
        self, thread: str, as_of: Day | None = None, *, known_at: Moment | None = None, issue: str | None = None
    ) -> dict[str, Any]:
        """The state of the thread's issues as of a date (default today): ``negotrack state --json``."""
        from negotrack.app import queries

        return queries.state(self._opened(), self._query(thread, as_of, known_at, issue))

    def diff(
        self, thread: str, start: Day, end: Day, *, known_at: Moment | None = None, issue: str | None = None
    ) -> dict[str, Any]:
        """What changed between the dates ``start`` and ``end``: ``negotrack diff --json``."""
        from negotrack.app import queries

        return queries.diff(self._opened(), self._query(thread, end, known_at, issue), _day(start, "start"))

    def timeline(
        self,
        thread: str,
        *,
        issue: str | None = None,
        party: str | None = None,
        start: Day | None = None,
        end: Day | None = None,
        known_at: Moment | None = None,
    ) -> list[dict[str, Any]]:
        """The thread's events in date order, with their sources: the ``events`` of ``negotrack timeline --json``."""
        from negotrack.app import queries

        rows = queries.timeline(
            self._opened(),
            thread,
            issue=issue,
            party=party,
            start=None if start is None else _day(start, "start"),
            end=None if end is None else _day(end, "end"),
            known_at=_moment(known_at),
        )
        for row in rows:
            row.pop("body")
        return rows

    def threads(self) -> list[dict[str, Any]]:
        """Each thread with its parties, issues, event count and date span: ``negotrack threads --json``."""
        from negotrack.app import queries

        return queries.threads(self._opened())

    def sources(self, thread: str | None = None) -> list[dict[str, Any]]:
        """Every archived source (of ``thread``, if given): ``negotrack sources list --json``."""
        from negotrack.app import queries

        return queries.sources(self._opened(), thread)

    def _query(self, thread: str, as_of: Day | None, known_at: Moment | None, issue: str | None) -> Any:
        from negotrack.app.queries import Query

        day = date.today().isoformat() if as_of is None else _day(as_of, "as_of")
        return Query(thread, day, _moment(known_at), issue)


def _day(value: Day, name: str) -> str:
    from negotrack.domain.instants import InstantError, parse_day

    if isinstance(value, datetime):
        raise UsageError(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
    if isinstance(value, date):
        return value.isoformat()
    try:
        return parse_day(str(value))
    except InstantError as e:
        raise UsageError(f"{name}: {e}") from None


def _moment(value: Moment | None) -> datetime | None:
    from negotrack.domain.instants import InstantError, end_of_day, parse_instant, parse_known_at

    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            return parse_instant(value)
        if isinstance(value, date):
            return end_of_day(value)
        return parse_known_at(str(value))
    except InstantError as e:
        raise UsageError(f"known_at: {e}") from None
