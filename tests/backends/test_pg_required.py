"""Without a PostgreSQL server its tests skip, saying why; in CI (CI=true) they fail instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_SERVER = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"  # port 1: nothing answers


def pytest_run(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NEGOTRACK_TEST_PG", "NEGOTRACK_DB")}
    env["NEGOTRACK_TEST_PG"] = NO_SERVER
    if ci is not None:
        env["CI"] = ci
    test = "tests/backends/test_store.py::test_verify_of_a_missing_store_is_refused[postgres]"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", test],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_outside_ci_a_missing_server_skips_the_postgres_tests_with_the_reason():
    result = pytest_run(None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "no PostgreSQL server: cannot use 127.0.0.1:1/nothing" in result.stdout


def test_in_ci_a_missing_server_fails_the_postgres_tests():
    result = pytest_run("true")
    assert result.returncode == 1, result.stdout
    assert "CI is set but PostgreSQL is unusable: cannot use 127.0.0.1:1/nothing" in result.stdout
    assert "skipped" not in result.stdout
