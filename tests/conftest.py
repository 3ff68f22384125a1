"""Fixtures shared by every test folder: a PostgreSQL server for the tests that need one.

The server is the SQLAlchemy URL in ``NEGOTRACK_TEST_PG``, or 127.0.0.1:5432
(user ``postgres``) when it answers.  The session works in a database of its
own, created at the start and dropped at the end, and each test in a schema
of its own, so a second run finds nothing left over.  Without a server the
PostgreSQL tests are skipped, saying why; in CI (``CI=true``) they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import pytest

# Tests freeze the clock around writes; the modules that define pydantic models must be
# loaded first (under freezegun, `datetime` is its fake class when a model is built).
import negotrack.domain.rules  # noqa: F401, E402
import negotrack.store.application  # noqa: F401, E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _no_server(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"CI is set but PostgreSQL is unusable: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason} (set NEGOTRACK_TEST_PG to an SQLAlchemy URL)")


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a database created for this test session (dropped at its end)."""
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get("NEGOTRACK_TEST_PG") or DEFAULT_PG
    name = f"negotrack_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001 - any failure to reach the server
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        _no_server(f"cannot use {admin_url.split('@')[-1]}: {reason}")
    try:
        yield _with_database(admin_url, name)
    finally:
        from negotrack.store.db import dispose_engines

        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_schemas(pg_server: str) -> Iterator[Callable[[], str]]:
    """A maker of fresh, empty schemas on the session's database, each as the search path of a URL.

    Every schema made is dropped when the test ends.
    """
    from sqlalchemy import create_engine, text

    from negotrack.store.recorder import forget

    engine = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    made: list[tuple[str, str]] = []

    def make() -> str:
        schema = f"t_{secrets.token_hex(6)}"
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{pg_server}?options=-csearch_path%3D{schema}"
        made.append((schema, url))
        return url

    try:
        yield make
    finally:
        for schema, url in made:
            forget(url)
            with engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def pg_url(pg_schemas: Callable[[], str]) -> str:
    """A fresh, empty PostgreSQL store."""
    return pg_schemas()


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact-output tests see the output of a pipe: no wrapping to a width, colour left to each test."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
