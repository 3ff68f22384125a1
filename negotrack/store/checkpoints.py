"""Checkpoints of the fold by date, so "as of" on a long thread folds only the last stretch.

A checkpoint at date ``C`` is the :class:`~negotrack.domain.state.Fold` after
every event in view dated on or before ``C`` (as everything recorded so far
shows it). The state as of ``D >= C`` is that fold plus the events dated in
``(C, D]``: the order of contract §5 rule 3 (date, then recording order) puts
every one of them after everything the checkpoint holds.

They stay right because the transaction that records events deletes every
checkpoint they could change (``readmodel.invalidate_checkpoints``, called as
their rows are written): an event dated ``d``
changes the folds from ``d`` onward; a retraction changes them from its
target's date onward (the answers it takes out of view are dated on or after
their item). A query that had to fold many events saves new checkpoints on its
way (:func:`save`), in a short write transaction of its own, only if the
thread has not changed since it read it; if the store is busy it skips them.

Only queries without ``--known-at`` use them: what was known at an earlier
instant is folded from the start.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from negotrack.domain.foldrun import FoldRun
from negotrack.domain.state import Fold, IssueInfo
from negotrack.store import readmodel
from negotrack.store.db import rm_checkpoints, rm_threads

EVERY = 4_000  # events folded between two checkpoints a query saves
FORMAT = 2  # of the body; a checkpoint of another format is ignored and replaced


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
) -> Folded:
    """The fold of contract §5 as of ``as_of``: from the latest checkpoint on or before it, if any."""
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
    data = json.loads(row.body) if row is not None else None
    stale = data is not None and data.get("format") != FORMAT
    if row is not None and not stale:
        fold = Fold.load(data, declared)  # type: ignore[arg-type]
        start, count = row.date, row.events
    else:
        fold = Fold.start(declared)
        start, count = None, 0
    run = FoldRun(readmodel.records(conn, slug, as_of=as_of, since=start), declared, as_of, fold=fold)
    result = Folded(fold, version, from_checkpoint=start, folded=len(run.events), stale=stale)
    last = 0
    while (r := run.next) is not None:
        run.step()
        if run.applied - last >= EVERY and (run.next is None or run.next.date != r.date):
            # a checkpoint at r.date: every event dated on or before it is in the fold
            result.new.append(
                {
                    "thread": slug,
                    "date": r.date,
                    "version": version,
                    "events": count + run.applied,
                    "body": json.dumps({"format": FORMAT, **fold.dump()}, ensure_ascii=False, separators=(",", ":")),
                }
            )
            last = run.applied
    return result


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
            dates = [c["date"] for c in folded.new]
            same = rm_checkpoints.c.thread == slug
            conn.execute(delete(rm_checkpoints).where(same if folded.stale else and_(same, rm_checkpoints.c.date.in_(dates))))
            if folded.new:
                conn.execute(insert(rm_checkpoints), folded.new)
        return len(folded.new)
    except IntegrityError:
        raise  # two checkpoints at one date: a bug, not a busy store
    except DBAPIError:  # locked, read-only, no permission: a cache never fails a query
        return 0


def clear(conn: Connection, slug: str | None = None) -> None:
    query = delete(rm_checkpoints)
    if slug is not None:
        query = query.where(rm_checkpoints.c.thread == slug)
    conn.execute(query)


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
