"""Checkpoints of the fold by date, so "as of" on a long thread folds only the last stretch.

A checkpoint at date ``C`` is the :class:`~negotrack.domain.state.Fold` after
every event in view dated on or before ``C`` (as everything recorded so far
shows it). The state as of ``D >= C`` is that fold plus the events dated in
``(C, D]``: the order of contract §5 rule 3 (date first; then, within a day,
v1.1's ``order`` and ``time`` and the recording order) puts every one of them
after everything the checkpoint holds, since a checkpoint holds whole days.

They stay right because the transaction that records events deletes every
checkpoint they could change (``readmodel.invalidate_checkpoints``, called as
their rows are written): an event dated ``d``
changes the folds from ``d`` onward; a retraction changes them from its
target's date onward (the answers it takes out of view are dated on or after
their item).

The same transaction makes them again (:func:`refresh`): it folds the thread
from the latest checkpoint left to its last date, making checkpoints on its
way and one at that date, so the first query after an ingest finds them
made, unless that would fold far more events than the ingest wrote
(:func:`bound`: a late report dated before most of a long thread, or many
events added to a day that holds many already); then the first query makes
them.  A query that still had to fold many events (a store an older
negotrack wrote) saves new checkpoints on its way (:func:`save`), in a short
write transaction of its own, only if the thread has not changed since it
read it; if the store is busy it skips them.

Only queries without ``--known-at`` use them: what was known at an earlier
instant is folded from the start.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from negotrack.domain.state import FoldRun, Fold, InView, IssueInfo, Rec
from negotrack.domain.state import apply_order, in_apply_order, not_retracted, retracted_by
from negotrack.speedups import dumps_compact, loads
from negotrack.store import readmodel
from negotrack.store.db import rm_checkpoints, rm_events, rm_threads

EVERY = 4_000  # events folded between two checkpoints, at least (see spacing)
SPREAD = 8  # and at least an eighth of the events before them


def spacing(events: int) -> int:
    """How many events a checkpoint after ``events`` of them lies past the one before, at least.

    A checkpoint holds the whole state (8.5 MB at the end of the project's 100,000-event thread,
    14 MB at the end of the uniform one): one every ``EVERY`` events would write the state again
    and again, in all a size growing with the square of the thread (10 GB for a thread of a
    million).  Spaced by an eighth of the events before them, they add up to about nine times
    the last one, and a query folds at most an eighth of the thread past the nearest.
    """
    return max(EVERY, events // SPREAD)

FORMAT = 3  # of the body; a checkpoint of another format is ignored and replaced (3: stances hold `held_since`)


@dataclass
class Folded:
    """A fold as of a date, and the checkpoints made on the way (to save)."""

    fold: Fold
    version: int | None  # the thread's version it was read at
    from_checkpoint: str | None = None  # the date of the checkpoint it started from
    folded: int = 0  # events applied after the checkpoint
    new: list[dict[str, Any]] = field(default_factory=list)
    stale: bool = False  # checkpoints of an older format were found: replace them all


def fold_as_of(
    conn: Connection,
    slug: str,
    declared: Mapping[str, IssueInfo],
    as_of: str,
    known_at: str | None = None,
    *,
    to_the_end: bool = False,
    sink: Callable[[dict[str, Any]], None] | None = None,
    recent: Sequence[Rec] | None = None,
) -> Folded:
    """The fold of contract §5 as of ``as_of``: from the latest checkpoint on or before it, if any.

    It makes checkpoints on its way (see :func:`spacing`); ``to_the_end``: one at the last event
    folded too (see :func:`refresh`).  ``sink``: given each checkpoint as it is made, instead
    of keeping them in ``Folded.new`` (each is the whole state: a long fold holds one at a time).
    ``recent``: records the caller wrote in this transaction and still holds (ingest); where they are
    every dated event the fold needs, they are folded as they are, not read back and decoded again.
    """
    if known_at is not None:
        run = FoldRun(readmodel.records(conn, slug, as_of=as_of, known_at=known_at), declared, as_of, known_at)
        return Folded(run.to_end(), None, folded=run.applied)
    version = conn.execute(select(rm_threads.c.version).where(rm_threads.c.thread == slug)).scalar()
    row = conn.execute(
        select(rm_checkpoints.c.date, rm_checkpoints.c.events, rm_checkpoints.c.body)
        .where(and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date <= as_of))
        .order_by(rm_checkpoints.c.date.desc())
        .limit(1)
    ).first()
    data = _checkpoint_body(row.body) if row is not None else None
    stale = data is not None and data.get("format") != FORMAT  # a damaged one too: a cache, folded again
    if row is not None and not stale:
        fold = Fold.load(data, declared)  # type: ignore[arg-type]
        start, count = row.date, row.events
    else:
        fold = Fold.start(declared)
        start, count = None, 0
    retracted = retracted_by(readmodel.retractions(conn, slug))
    view = InView(as_of=as_of, since=start)
    held = _held(conn, slug, recent, view) if recent is not None else None
    dated = held if held is not None else in_apply_order(readmodel.dated_records(conn, slug, as_of=as_of, since=start))
    run = FoldRun(None, declared, as_of, fold=fold, selected=not_retracted(dated, retracted))
    result = Folded(fold, version, from_checkpoint=start, stale=stale)
    # One event at a time, in order: a checkpoint goes at a date once every event of that date is in
    # the fold, so it is made when the next event's date differs (or the events end).
    since_last, previous = 0, None
    keep = result.new.append if sink is None else sink
    while (r := run.next) is not None:
        if since_last >= spacing(count + result.folded) and r.date != previous.date:  # type: ignore[union-attr]
            keep(_checkpoint(slug, previous.date, version, count + result.folded, fold))  # type: ignore[union-attr]
            since_last = 0
        run.step()
        result.folded += 1
        since_last += 1
        previous = r
    if previous is not None and (to_the_end or since_last >= spacing(count + result.folded)):
        keep(_checkpoint(slug, previous.date, version, count + result.folded, fold))  # type: ignore[arg-type]
    return result


def _held(conn: Connection, slug: str, recent: Sequence[Rec], view: InView) -> list[Rec] | None:
    """The dated events ``view`` admits, in the order rule 3 applies them (what ``in_apply_order`` makes of
    ``readmodel.dated_records``), from ``recent`` alone if it holds all of them (it holds rows written in this
    transaction, so the same count is the same rows); else None.

    One sort by ``apply_order``, whose first key is the date, gives that order.
    """
    held = [r for r in view.admit(recent) if r.date is not None]
    if readmodel.dated_count(conn, slug, view) != len(held):
        return None
    held.sort(key=apply_order)
    return held


def _checkpoint(slug: str, date: str, version: int | None, events: int, fold: Fold) -> dict[str, Any]:
    """A checkpoint at ``date``: every event in view dated on or before it is in the fold (``events`` of them)."""
    return {
        "thread": slug,
        "date": date,
        "version": version,
        "events": events,
        "body": dumps_compact({"format": FORMAT, **fold.dump()}),
    }


def save(database: Any, slug: str, folded: Folded) -> int:
    """Save the checkpoints a query made, if the thread is unchanged since; how many were saved.

    Best effort: a store busy with a writer, or one that can't be written,
    costs the next query some folding, never an error.
    """
    if (not folded.new and not folded.stale) or folded.version is None:
        return 0
    try:
        with database.try_write(slug) as conn:
            if conn is None:
                return 0
            version = conn.execute(select(rm_threads.c.version).where(rm_threads.c.thread == slug)).scalar()
            if version != folded.version:
                return 0
            _write(conn, slug, folded)
        return len(folded.new)
    except IntegrityError:
        raise  # two checkpoints at one date: a bug, not a busy store
    except DBAPIError:  # locked, read-only, no permission: a cache never fails a query
        return 0


def refresh(conn: Connection, slug: str, recent: Sequence[Rec] | None = None, *, new: int | None = None) -> int:
    """Make the thread's checkpoints again up to its last date, in the transaction that wrote it.

    Called once the transaction has written a thread's new events (and
    :func:`negotrack.store.readmodel.invalidate_checkpoints` has deleted the checkpoints they change): the fold
    starts from the latest checkpoint left, so an ingest that appends later
    events folds only those, and a late report folds from the checkpoint
    before its date.  It makes them on its way (see :func:`spacing`) and one
    at the last date; then :func:`thin` keeps them spaced.  How many were made.
    ``recent``: the records this transaction wrote, if the caller holds them (see :func:`fold_as_of`).
    ``new``: how many events it wrote; given, the step is bounded by it (:func:`bound`): a write
    whose events make more to fold again leaves the checkpoints to the first query.
    """
    last = conn.execute(
        select(rm_events.c.date).where(and_(rm_events.c.thread == slug, rm_events.c.date.is_not(None)))
        .order_by(rm_events.c.date.desc()).limit(1)
    ).scalar()
    if last is None:
        return 0
    if new is not None and _refold(conn, slug, last) > bound(new):
        return 0  # left to the first query, which folds and saves them (see :func:`bound`)
    made: list[str] = []

    def write(checkpoint: dict[str, Any]) -> None:
        same = and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date == checkpoint["date"])
        conn.execute(delete(rm_checkpoints).where(same))
        conn.execute(insert(rm_checkpoints), [checkpoint])
        made.append(checkpoint["date"])

    declared = readmodel.declared_issues(conn, slug)
    folded = fold_as_of(conn, slug, declared, last, to_the_end=True, sink=write, recent=recent)
    if folded.stale:  # checkpoints of another format: only the ones just made stay
        conn.execute(delete(rm_checkpoints).where(and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date.not_in(made))))
    thin(conn, slug)
    return len(made)


def bound(new: int) -> int:
    """The most events an ingest of ``new`` events folds again for its checkpoints.

    Appending later events folds just those; but an event dated before many
    recorded ones (a late report), or many events added to a day that holds
    many already (a checkpoint holds whole days), would make an ingest fold
    the rest of the thread, a cost growing with the thread rather than with
    what was written.  Past this bound the checkpoints the write changed stay
    deleted and the first query makes them (a longer first query, never a
    wrong one).
    """
    return 2 * new + EVERY


def _refold(conn: Connection, slug: str, last: str) -> int:
    """How many dated events a refresh up to ``last`` would fold: those after the latest checkpoint left."""
    start = conn.execute(
        select(func.max(rm_checkpoints.c.date)).where(
            and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date <= last)
        )
    ).scalar()
    return readmodel.dated_count(conn, slug, InView(as_of=last, since=start))


def thin(conn: Connection, slug: str) -> None:
    """Delete the checkpoints closer to the one kept before them than :func:`spacing` says, but the last.

    Each ingest leaves one at the thread's last date; without this, a thread
    grown by many small ingests would keep one per ingest.
    """
    rows = stored(conn, slug)
    kept, drop = 0, []
    for i, (date, _version, events) in enumerate(rows):
        if i + 1 < len(rows) and events - kept < spacing(events):
            drop.append(date)
        else:
            kept = events
    for start in range(0, len(drop), 500):
        chunk = drop[start : start + 500]
        conn.execute(delete(rm_checkpoints).where(and_(rm_checkpoints.c.thread == slug, rm_checkpoints.c.date.in_(chunk))))


def _write(conn: Connection, slug: str, folded: Folded) -> None:
    same = rm_checkpoints.c.thread == slug
    dates = [c["date"] for c in folded.new]
    conn.execute(delete(rm_checkpoints).where(same if folded.stale else and_(same, rm_checkpoints.c.date.in_(dates))))
    if folded.new:
        conn.execute(insert(rm_checkpoints), folded.new)


def stored(conn: Connection, slug: str) -> list[tuple[str, int, int]]:
    """The thread's checkpoints: (date, version, events), by date."""
    query = (
        select(rm_checkpoints.c.date, rm_checkpoints.c.version, rm_checkpoints.c.events)
        .where(rm_checkpoints.c.thread == slug)
        .order_by(rm_checkpoints.c.date)
    )
    return [tuple(r) for r in conn.execute(query)]


def check(conn: Connection, slug: str, declared: Mapping[str, IssueInfo]) -> list[str]:
    """What is wrong with the thread's checkpoints: each must equal the fold from the start at its date.

    One pass over the thread's events in order, comparing at each checkpoint's date.
    """
    stored_rows = conn.execute(
        select(rm_checkpoints.c.date, rm_checkpoints.c.events, rm_checkpoints.c.body)
        .where(rm_checkpoints.c.thread == slug)
        .order_by(rm_checkpoints.c.date)
    ).all()
    if not stored_rows:
        return []
    problems: list[str] = []
    run = FoldRun(readmodel.records(conn, slug), declared, "9999-12-31")
    for row in stored_rows:
        fold = run.until(row.date)
        expected = json.loads(json.dumps({"format": FORMAT, **fold.dump()}))
        if json.loads(row.body) != expected or row.events != run.applied:
            problems.append(f"thread {slug}: the checkpoint at {row.date} is not the fold of the events up to that date")
    return problems


def _checkpoint_body(text: Any) -> dict[str, Any]:
    """A checkpoint row's body; one that is not what negotrack writes counts as stale (it is only a cache)."""
    try:
        data = loads(text)  # orjson's: half of json's time on a checkpoint of 8.5 MB
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}
