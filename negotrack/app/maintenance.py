"""Keeping a store sound: ``verify`` checks it against its own event log, ``rebuild`` writes its read model again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negotrack.store.store import Store


def verify(store: Store) -> dict[str, Any]:
    """Check the store against its own event log: what is wrong (nothing, if ``problems`` is empty) and counts."""
    from negotrack.store import maintenance

    with store.db.transaction(snapshot=True) as conn:
        report = maintenance.verify(conn, store.app.mapper)
    return {
        "threads": report.threads,
        "events": report.events,
        "statements": report.statements,
        "snapshots": report.snapshots,
        "problems": report.problems,
        "unlisted": report.unlisted,
    }


def rebuild(store: Store) -> dict[str, int]:
    """Write the read model again from the events, in one write transaction: all of it or none."""
    from negotrack.errors import StoreError
    from negotrack.store import maintenance

    with store.db.transaction() as conn:
        slugs = tuple(maintenance.thread_slugs(conn, store.app.mapper))
    try:
        with store.db.transaction(write=True, lock_keys=slugs) as conn:
            return maintenance.rebuild(conn, store.app.mapper)
    except maintenance.RebuildError as e:
        raise StoreError(f"cannot rebuild the read model, nothing was changed: {e}") from None
