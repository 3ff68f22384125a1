"""A store on each backend: every test here runs on SQLite and on PostgreSQL.

``backend`` is parametrised over ``sqlite`` (a file in the test's folder) and
``postgres`` (a fresh schema on the test session's database, see
``tests/conftest.py``).  Its ``run`` drives the CLI in process; ``command``
gives the argv of the installed command for tests that need real processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.harbour import Folder


class Backend(Folder):
    """One empty store on one backend, and a folder with the harbour timeline beside it."""

    def __init__(self, name: str, root: Path, make_store: Any):
        self.name = name
        self._make_store = make_store
        super().__init__(root, make_store())

    def new_store(self) -> str:
        """Another empty store on the same backend (e.g. to ingest an export into)."""
        return self._make_store()

    def url(self, db: str | None = None) -> str:
        from negotrack.store.config import resolve_db

        return resolve_db(db or self.db)

    def display(self, db: str | None = None) -> str:
        from negotrack.store.config import display

        return display(self.url(db))

    def sql(self, statement: str, db: str | None = None, **params: Any) -> list[tuple[Any, ...]]:
        """Run SQL on the store directly (to look at it, or to damage it on purpose)."""
        from sqlalchemy import text

        from negotrack.store.recorder import database_for

        with database_for(self.url(db)).engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(r) for r in result] if result.returns_rows else []

    def state(self, *args: str, db: str | None = None) -> dict[str, Any]:
        result = self.run("state", *args, "--json", db=db)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGOTRACK_DB", raising=False)
    made: list[str] = []
    if request.param == "sqlite":

        def make_store() -> str:
            made.append(f"store{len(made) or ''}.db")
            return made[-1]

        yield Backend("sqlite", tmp_path, make_store)
        from negotrack.store.config import resolve_db
        from negotrack.store.recorder import forget

        for db in made:
            forget(resolve_db(str(tmp_path / db)))
    else:
        yield Backend("postgres", tmp_path, request.getfixturevalue("pg_schemas"))
