"""The database: tables, engines, and transactions that writers can't interleave.

One code path serves SQLite and PostgreSQL through SQLAlchemy Core.  A write
transaction takes the write lock first (``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock per thread on PostgreSQL), so that it reads
the thread's version and writes the next events without another writer in
between; the unique (aggregate, version) key catches anything that slips by.
"""

from __future__ import annotations

import os
from pathlib import Path
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from negotrack.errors import StoreError, UsageError
from negotrack.store.config import display, sqlite_path
from negotrack.store.tables import (  # noqa: F401 - the tables, named from here too
    metadata,
    stored_events,
    snapshots,
    rm_threads,
    rm_declarations,
    rm_events,
    EVENT_COLUMNS,
    rm_checkpoints,
    rm_search,
    meta,
    select_schema,
    insert_rows,
)

SCHEMA_VERSION = "3"  # 2: rm_checkpoints; 3: rm_search (both added to an older store when it is opened)
OLDER_SCHEMAS = ("1", "2")
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

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _sqlite_setup(engine: Engine, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        if not read_only:  # a store is made WAL when it is first written; a read-only one is read as it is
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("negotrack_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def sqlite_read_only_url(url: str) -> str | None:
    """The URL to open an SQLite store read-only with, when this user can't write it; None when it can.

    A store in a folder (or a file) this user may only read is opened with
    ``mode=ro``, so that queries work; any write is refused with a message
    (``Database.transaction``).  SQLite reads a WAL database through its
    ``-shm`` file: when that is absent and can't be made (the folder is
    read-only), nobody is writing the store, and it is opened ``immutable``.
    """
    from urllib.parse import quote

    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    folder = path.parent if str(path.parent) else Path(".")
    folder_writable = os.access(folder, os.W_OK)
    if folder_writable and os.access(path, os.W_OK):
        return None
    params = "mode=ro"
    if not folder_writable and not Path(f"{path}-shm").exists():
        params += "&immutable=1"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{params}&uri=true"


def _quiet_psycopg() -> None:
    """psycopg logs what it can't report otherwise (``error ignored terminating <psycopg.Pipeline [BAD]>``
    when a connection is killed mid-batch); with no handler anywhere, Python's last-resort handler printed it
    on stderr beside negotrack's own ``Error:``, which says what happened.  A program that configures logging
    still gets the record."""
    import logging

    logger = logging.getLogger("psycopg")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _pg_options(url: str) -> str:
    """libpq's ``options`` for a PostgreSQL session: negotrack's (:data:`speedups.POSTGRES_OPTIONS`), then the URL's own."""
    from sqlalchemy.engine import make_url

    from negotrack.speedups import POSTGRES_OPTIONS

    own = make_url(url).query.get("options", "")
    return " ".join([POSTGRES_OPTIONS, *([own] if isinstance(own, str) else own)]).strip()


def get_engine(url: str) -> Engine:
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                read_only = sqlite_read_only_url(url)
                engine = create_engine(read_only or url, connect_args={"timeout": 60})
                _sqlite_setup(engine, read_only is not None)
            else:
                _quiet_psycopg()
                engine = create_engine(url, pool_pre_ping=True, connect_args={"options": _pg_options(url)})
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
        self.read_only = self.is_sqlite and self.engine.url.query.get("mode") == "ro"
        self._local = threading.local()

    # -- schema ---------------------------------------------------------------

    def exists(self, *, upgrade: bool = True) -> bool:
        """Does the store exist with negotrack's tables (without creating anything)?

        An older schema is upgraded, unless ``upgrade`` is false (a command that
        must write nothing, ``ingest --check``, reads it as it is).
        """
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
        if row[0] in OLDER_SCHEMAS:
            if upgrade:
                self._upgrade()
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(f"the store {display(self.url)} has schema {row[0]}; this negotrack reads {SCHEMA_VERSION}")
        return True

    def _upgrade(self) -> None:
        """Bring an older store to this schema: add what it lacks (nothing else changes).

        Version 1 lacked the checkpoint table, versions 1 and 2 the search index,
        which is filled from the read model's events here, in the same transaction.
        """
        from negotrack.store import search

        try:
            with self.engine.connect().execution_options(negotrack_write=True) as conn:
                with conn.begin():
                    if not self.is_sqlite:
                        conn.execute(text("SELECT pg_advisory_xact_lock(7261001)"))
                    version = conn.execute(select_schema).scalar()
                    if version not in OLDER_SCHEMAS:
                        return  # another process upgraded it meanwhile
                    metadata.create_all(conn, tables=[rm_checkpoints, rm_search], checkfirst=True)
                    search.install(conn)
                    search.backfill(conn)
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
                    self._refuse_foreign_tables(conn)
                    metadata.create_all(conn, checkfirst=True)
                    from negotrack.store import search

                    search.install(conn)
                    if conn.execute(meta.select().where(meta.c.key == "schema")).first() is None:
                        conn.execute(meta.insert().values(key="schema", value=SCHEMA_VERSION))
        except DBAPIError as e:
            raise StoreError(f"cannot create the store {display(self.url)}: {_reason(e)}") from None
        return True

    def _refuse_foreign_tables(self, conn: Connection) -> None:
        """Never add negotrack's tables to a database that holds other tables (another program's file)."""
        from sqlalchemy import inspect

        from negotrack.store.search import index_tables

        names = set(inspect(conn).get_table_names())
        foreign = sorted(names - set(metadata.tables) - index_tables(names))
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            n = len(foreign)
            raise StoreError(
                f"{display(self.url)} is not a negotrack store: it holds {n} other table{'s' if n != 1 else ''} ({shown});"
                " nothing was written. Give --db a new file (or an empty database) for negotrack's store"
            )

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
        if write and self.read_only:
            raise StoreError(
                f"the store {display(self.url)} is read-only for this user (its file or its folder is not writable):"
                " it can be queried, not written"
            )
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
        if self.current is not None or self.read_only:
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
