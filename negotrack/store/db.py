"""The database: tables, engines, and transactions that writers can't interleave.

One code path serves SQLite and PostgreSQL through SQLAlchemy Core.  A write
transaction takes the write lock first (``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock per thread on PostgreSQL), so that it reads
the thread's version and writes the next events without another writer in
between; the unique (aggregate, version) key catches anything that slips by.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from negotrack.errors import StoreError, UsageError
from negotrack.store.config import display, sqlite_path

SCHEMA_VERSION = "2"
LOCK_TIMEOUT_ENV = "NEGOTRACK_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a writer waits for another writer's lock
SQLITE_BUSY_MS = 60_000  # SQLite's wait for its lock outside write transactions (checkpoints, schema)


class LockTimeout(StoreError):
    """Another writer held the lock longer than the lock timeout; nothing was written."""


def lock_timeout() -> float:
    """Seconds a writer waits for the lock: ``NEGOTRACK_LOCK_TIMEOUT``, else 60."""
    value = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise UsageError(f"{LOCK_TIMEOUT_ENV}: {value!r} is not a number of seconds (0 to 86400)")
    return seconds


def wait_notice(message: str) -> None:
    """Say on stderr what a command waits for (a user must not think it hangs)."""
    print(f"negotrack: {message}...", file=sys.stderr, flush=True)  # 2: rm_checkpoints (added to a version-1 store when it is opened)

metadata = MetaData()

# The event store (written through eventsourcing's recorder interface).
stored_events = Table(
    "stored_events",
    metadata,
    Column("notification_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("originator_id", String(36), nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("topic", Text, nullable=False),
    Column("state", LargeBinary, nullable=False),
    UniqueConstraint("originator_id", "originator_version", name="stored_events_aggregate_version"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("originator_id", String(36), nullable=False),
    Column("originator_version", Integer, nullable=False),
    Column("topic", Text, nullable=False),
    Column("state", LargeBinary, nullable=False),
    PrimaryKeyConstraint("originator_id", "originator_version", name="snapshots_pk"),
)

# The read model, written in the same transaction as the events.
rm_threads = Table(
    "rm_threads",
    metadata,
    Column("thread", String(200), primary_key=True),
    Column("aggregate_id", String(36), nullable=False),
    Column("title", Text),
    Column("version", Integer, nullable=False),
    Column("events", Integer, nullable=False),
)

rm_declarations = Table(
    "rm_declarations",
    metadata,
    Column("thread", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # party | actor | issue | source
    Column("key", String(200), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("body", Text, nullable=False),  # JSON
    Column("text", Text),  # a source's archived text
    PrimaryKeyConstraint("thread", "kind", "key", name="rm_declarations_pk"),
)

rm_events = Table(
    "rm_events",
    metadata,
    Column("thread", String(200), nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(32), nullable=False),
    Column("date", String(10)),  # ISO; NULL for a retraction
    Column("recorded_at", String(32), nullable=False),  # ISO UTC, fixed width
    Column("party", String(200)),
    Column("ref", String(200)),
    Column("issues", Text, nullable=False),  # "|a|b|": the issues it touches
    Column("digest", String(64), nullable=False),
    Column("body", Text, nullable=False),  # JSON of the statement
    PrimaryKeyConstraint("thread", "event_id", name="rm_events_pk"),
    Index("rm_events_by_date", "thread", "date", "seq"),
    Index("rm_events_by_seq", "thread", "seq"),
    Index("rm_events_by_ref", "thread", "ref"),
)
# rm_events columns, in the order of the rows readmodel.Projector builds (and checkpoints.invalidate reads)
EVENT_COLUMNS = ("thread", "event_id", "seq", "type", "date", "recorded_at", "party", "ref", "issues", "digest", "body")

# Checkpoints of the fold (contract §5) by date: the state of every issue after all the
# events in view dated on or before ``date``, as everything recorded up to ``version``
# shows it.  A cache: derived from rm_events, deleted from a late event's date onward
# in the transaction that records it, and rebuilt lazily by queries.
rm_checkpoints = Table(
    "rm_checkpoints",
    metadata,
    Column("thread", String(200), nullable=False),
    Column("date", String(10), nullable=False),
    Column("version", Integer, nullable=False),  # the thread's version it was computed at
    Column("events", Integer, nullable=False),  # events folded into it
    Column("body", Text, nullable=False),  # JSON of the fold (domain.state.Fold.dump)
    PrimaryKeyConstraint("thread", "date", name="rm_checkpoints_pk"),
)

meta = Table(
    "negotrack_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert many rows given as tuples in ``columns`` order.

    Bulk writes (an ingest's events and read-model rows) go straight to the
    driver's ``executemany``: ``conn.execute(insert(table), dicts)`` builds a
    parameter dict per row and processes each one, which costs more than the
    insert itself.  The values must be what the driver takes as they are
    (str, int, bytes, None): no SQLAlchemy type processing happens here.
    """
    if not rows:
        return
    style = conn.dialect.paramstyle
    if style not in ("qmark", "format", "pyformat"):  # pragma: no cover - SQLite and psycopg only
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
        return
    mark = "?" if style == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {conn.dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
    )
    conn.exec_driver_sql(sql, rows if isinstance(rows, list) else list(rows))


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("negotrack_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def get_engine(url: str) -> Engine:
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"timeout": 60})
                _sqlite_setup(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


class Database:
    """A store's database: its engine, its schema and its transactions."""

    def __init__(self, url: str):
        self.url = url
        self.engine = get_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        self._local = threading.local()

    # -- schema ---------------------------------------------------------------

    def exists(self) -> bool:
        """Does the store exist with negotrack's tables (without creating anything)?"""
        path = sqlite_path(self.url)
        if path is not None and not path.exists():
            return False
        try:
            conn = self.engine.connect()
        except DBAPIError as e:
            raise StoreError(f"cannot open the store {display(self.url)}: {_reason(e)}") from None
        try:
            with conn:
                row = conn.execute(text("SELECT value FROM negotrack_meta WHERE key = 'schema'")).first()
        except (OperationalError, ProgrammingError) as e:
            if "no such table" in str(e) or "does not exist" in str(e) or "UndefinedTable" in type(e.orig).__name__:
                return False
            raise StoreError(f"cannot open the store {display(self.url)}: {_reason(e)}") from None
        except DBAPIError as e:
            raise StoreError(f"cannot open the store {display(self.url)}: {_reason(e)}") from None
        if row is None:
            return False
        if row[0] == "1":
            self._migrate_from_1()
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(f"the store {display(self.url)} has schema {row[0]}; this negotrack reads {SCHEMA_VERSION}")
        return True

    def _migrate_from_1(self) -> None:
        """Version 1 lacked the checkpoint table: add it (nothing else changes)."""
        try:
            with self.engine.connect().execution_options(negotrack_write=True) as conn:
                with conn.begin():
                    if not self.is_sqlite:
                        conn.execute(text("SELECT pg_advisory_xact_lock(7261001)"))
                    metadata.create_all(conn, tables=[rm_checkpoints], checkfirst=True)
                    conn.execute(meta.update().where(meta.c.key == "schema").values(value=SCHEMA_VERSION))
        except DBAPIError as e:
            raise StoreError(f"cannot upgrade the store {display(self.url)}: {_reason(e)}") from None

    def create(self) -> bool:
        """Create the tables if they are missing; True if anything was created."""
        if self.exists():
            return False
        try:
            with self.engine.connect().execution_options(negotrack_write=True) as conn:
                with conn.begin():
                    if not self.is_sqlite:
                        conn.execute(text("SELECT pg_advisory_xact_lock(7261001)"))
                    metadata.create_all(conn, checkfirst=True)
                    if conn.execute(meta.select().where(meta.c.key == "schema")).first() is None:
                        conn.execute(meta.insert().values(key="schema", value=SCHEMA_VERSION))
        except DBAPIError as e:
            raise StoreError(f"cannot create the store {display(self.url)}: {_reason(e)}") from None
        return True

    # -- transactions -----------------------------------------------------------

    @property
    def current(self) -> Connection | None:
        return getattr(self._local, "conn", None)

    @contextmanager
    def transaction(
        self, *, write: bool = False, lock_keys: tuple[str, ...] = (), snapshot: bool = False
    ) -> Iterator[Connection]:
        """One transaction; nested calls share it.  ``write`` takes the write lock first.

        ``snapshot`` asks for one consistent view across many statements (a
        read in pages: ``verify``, ``export``): REPEATABLE READ on PostgreSQL;
        an SQLite read transaction in WAL mode is one already.
        """
        if self.current is not None:
            yield self.current
            return
        conn = self.engine.connect()
        if write:
            conn = conn.execution_options(negotrack_write=True)
        elif snapshot and not self.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            with self._begin(conn, write, lock_keys):
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None
        finally:
            conn.close()

    def _begin(self, conn: Connection, write: bool, lock_keys: tuple[str, ...]) -> Any:
        """Begin the transaction; a write first takes its locks, waiting at most :func:`lock_timeout`.

        Before waiting it says on stderr what it waits for; past the timeout it
        raises :class:`LockTimeout` (the transaction is rolled back: nothing written).
        """
        if not write:
            return conn.begin()
        timeout = lock_timeout()
        if self.is_sqlite:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA busy_timeout = 0")
            try:
                try:
                    return conn.begin()
                except OperationalError as e:
                    if "locked" not in str(e) and "busy" not in str(e):
                        raise
                wait_notice(f"waiting for another writer of {display(self.url)} to finish (up to {timeout:g} s)")
                raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                try:
                    return conn.begin()
                except OperationalError as e:
                    if "locked" not in str(e) and "busy" not in str(e):
                        raise
                    raise LockTimeout(self._timeout_message(timeout, display(self.url))) from None
            finally:
                raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        trans = conn.begin()
        try:
            for key in sorted(set(lock_keys)):
                self._advisory_lock(conn, key, timeout)
        except BaseException:
            trans.rollback()
            raise
        return trans

    def _advisory_lock(self, conn: Connection, key: str, timeout: float) -> None:
        """PostgreSQL: the thread's transaction-scoped advisory lock, within ``timeout`` seconds."""
        params = {"k": _lock_id(key)}
        if conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), params).scalar():
            return
        wait_notice(f"waiting for another writer of thread {key!r} to finish (up to {timeout:g} s)")
        deadline = time.monotonic() + timeout
        pause = 0.02
        while time.monotonic() < deadline:
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            if conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), params).scalar():
                return
            pause = min(pause * 2, 0.5)
        raise LockTimeout(self._timeout_message(timeout, f"thread {key!r} of {display(self.url)}"))

    def _timeout_message(self, timeout: float, what: str) -> str:
        return (
            f"another writer held {what} for more than {timeout:g} s; nothing was written "
            f"(try again, or wait longer: {LOCK_TIMEOUT_ENV}=SECONDS)"
        )

    @contextmanager
    def try_write(self, key: str) -> Iterator[Connection | None]:
        """A write transaction if ``key``'s write lock can be had at once, else None (and nothing done).

        For caches a reader keeps up to date (checkpoints): they wait for no writer.
        """
        if self.current is not None:
            yield None
            return
        conn = self.engine.connect().execution_options(negotrack_write=True)
        raw = conn.connection.driver_connection if self.is_sqlite else None
        try:
            if raw is not None:
                raw.execute("PRAGMA busy_timeout = 200")
            try:
                trans = conn.begin()
            except OperationalError:  # SQLite: a writer holds the lock
                yield None
                return
            if not self.is_sqlite:
                got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _lock_id(key)}).scalar()
                if not got:
                    trans.rollback()
                    yield None
                    return
            try:
                yield conn
            except BaseException:
                trans.rollback()
                raise
            trans.commit()
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
            conn.close()


def _lock_id(key: str) -> int:
    return zlib.crc32(f"negotrack-thread:{key}".encode()) - 2**31


def _reason(e: DBAPIError) -> str:
    orig = getattr(e, "orig", None)
    return str(orig or e).strip().splitlines()[0]


_databases: dict[str, Database] = {}


def database_for(url: str) -> Database:
    """The one :class:`Database` of a store in this process."""
    database = _databases.get(url)
    if database is None:
        database = _databases[url] = Database(url)
    return database


def forget(url: str) -> None:
    """Close a store's connections (a temporary store about to be deleted)."""
    _databases.pop(url, None)
    with _engines_lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()
