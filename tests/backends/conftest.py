"""A store on each backend: every test here runs on SQLite and on PostgreSQL.

``backend`` is parametrised over ``sqlite`` (a file in the test's folder) and
``postgres`` (a fresh schema on the test session's database, see
``tests/conftest.py``).  Its ``run`` drives the CLI in process; ``command``
gives the argv of the installed command for tests that need real processes.
"""

from __future__ import annotations

import importlib.util
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from negotrack.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _cli_fixtures() -> Any:
    """tests/cli/conftest.py (the harbour timeline), loaded under a name of its own."""
    spec = importlib.util.spec_from_file_location("negotrack_cli_fixtures", ROOT / "tests" / "cli" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_cli = _cli_fixtures()
SOURCE_TEXT: str = _cli.SOURCE_TEXT
TIMELINE: str = _cli.TIMELINE


class Backend:
    """One empty store on one backend, and a folder with the harbour timeline beside it."""

    def __init__(self, name: str, root: Path, make_store: Any):
        self.name = name
        self.root = root
        self._make_store = make_store
        self.db = make_store()  # what --db is given
        (root / "hw.txt").write_text(SOURCE_TEXT, encoding="utf-8")
        self.timeline = self.write("harbour.yaml", TIMELINE)
        self.runner = CliRunner()

    def new_store(self) -> str:
        """Another empty store on the same backend (e.g. to ingest an export into)."""
        return self._make_store()

    def tail(self, events: str, name: str = "more.yaml") -> Path:
        """A second file naming the thread by id, adding the given events (YAML list text)."""
        return self.write(name, "negotrack: 1\nthread: {id: harbour}\nevents:\n" + textwrap.dedent(events))

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str, db: str | None = None) -> Result:
        return self.runner.invoke(cli, [*args], env={"NEGOTRACK_DB": db or self.db}, catch_exceptions=False)

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
