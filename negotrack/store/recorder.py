"""eventsourcing recorders on SQLAlchemy Core, for SQLite and PostgreSQL alike.

The library's own recorders each open their own transactions; these run
inside :meth:`Database.transaction`, so the events, the snapshot and the read
model of one command commit together or not at all.  ``insert_events`` takes
a ``readmodel`` keyword: a callable given the connection, run after the
events are inserted in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    IntegrityError,
    Notification,
    ProcessRecorder,
    StoredEvent,
    Subscription,
    TrackingRecorder,
)
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from negotrack.store import db as tables
from negotrack.store.db import Database, database_for, forget, insert_rows  # noqa: F401 - database_for, forget: re-exported

_COLUMNS = ("originator_id", "originator_version", "topic", "state")



class SqlAggregateRecorder(AggregateRecorder):
    def __init__(self, database: Database, table: Table):
        self.database = database
        self.table = table

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids: dict[Any, str] = {}  # the events of a save share their aggregate: its id as text, once
        rows = []
        for e in stored_events:
            originator_id = ids.get(e.originator_id)
            if originator_id is None:
                originator_id = ids[e.originator_id] = str(e.originator_id)
            rows.append((originator_id, e.originator_version, e.topic, e.state))
        self.insert_rows(rows, readmodel=kwargs.get("readmodel"))
        return None

    def insert_rows(
        self, rows: Sequence[tuple[str, int, str, bytes]], *, readmodel: Callable[[Any], None] | None = None
    ) -> None:
        """:meth:`insert_events` of events given as rows ``(originator id as text, version, topic, state)``.

        Ingest writes its statements this way: no ``StoredEvent`` is built for each
        (a frozen dataclass: 0.1 s of CPU for 100,000 events) only to be taken apart here.
        """
        with self.database.transaction(write=True) as conn:
            try:
                insert_rows(conn, self.table, _COLUMNS, rows)
            except SAIntegrityError as e:
                raise IntegrityError(str(e.orig or e)) from e
            if readmodel is not None:
                readmodel(conn)

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        t = self.table
        query = select(t.c.originator_id, t.c.originator_version, t.c.topic, t.c.state).where(
            t.c.originator_id == str(originator_id)
        )
        if gt is not None:
            query = query.where(t.c.originator_version > gt)
        if lte is not None:
            query = query.where(t.c.originator_version <= lte)
        query = query.order_by(t.c.originator_version.desc() if desc else t.c.originator_version)
        if limit is not None:
            query = query.limit(limit)
        with self.database.transaction() as conn:
            return [
                StoredEvent(originator_id=UUID(r[0]), originator_version=r[1], topic=r[2], state=bytes(r[3]))
                for r in conn.execute(query)
            ]


class SqlApplicationRecorder(SqlAggregateRecorder, ApplicationRecorder):
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        t = self.table
        query = select(t.c.notification_id, t.c.originator_id, t.c.originator_version, t.c.topic, t.c.state)
        if start is not None:
            query = query.where(t.c.notification_id >= start if inclusive_of_start else t.c.notification_id > start)
        if stop is not None:
            query = query.where(t.c.notification_id <= stop)
        if topics:
            query = query.where(t.c.topic.in_(list(topics)))
        query = query.order_by(t.c.notification_id).limit(limit)
        with self.database.transaction() as conn:
            return [
                Notification(id=r[0], originator_id=UUID(r[1]), originator_version=r[2], topic=r[3], state=bytes(r[4]))
                for r in conn.execute(query)
            ]

    def max_notification_id(self) -> int | None:
        from sqlalchemy import func

        with self.database.transaction() as conn:
            return conn.execute(select(func.max(self.table.c.notification_id))).scalar()

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Subscription[ApplicationRecorder]:
        raise NotImplementedError("negotrack does not subscribe to its store")


class Factory(InfrastructureFactory):
    """Builds the recorders of one store; the store's URL is in NEGOTRACK_DB_URL."""

    def _database(self) -> Database:
        return database_for(self.env.get("NEGOTRACK_DB_URL"))

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        table = tables.snapshots if purpose == "snapshots" else tables.stored_events
        return SqlAggregateRecorder(self._database(), table)

    def application_recorder(self) -> ApplicationRecorder:
        return SqlApplicationRecorder(self._database(), tables.stored_events)

    def tracking_recorder(self, tracking_recorder_class: type[TrackingRecorder] | None = None) -> TrackingRecorder:
        raise NotImplementedError("negotrack has no downstream processes")

    def process_recorder(self) -> ProcessRecorder:
        raise NotImplementedError("negotrack has no downstream processes")
