"""A store URL's password never reaches a message, however the URL is mistyped (issue 16, defect 7).

Everything between ``://`` and the last ``@`` is the credentials: no message
shows any of it.  Each URL is given to the real command, in a child process;
port 1 of 127.0.0.1 answers nothing, so each command fails to connect, and
that failure is the message checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_support import run_negotrack
from sqlalchemy.engine import make_url

SECRETS = ("hunter22", "ssw0rd", "w0rd", "hun:ter", "ter22")

# The shapes users mistype, each with a password in it.
UNREACHABLE = {
    "a raw @ in the password": "postgresql://postgres:p@ssw0rd@127.0.0.1:1/db",
    "two raw @ in the password": "postgresql://postgres:p@ss@w0rd@127.0.0.1:1/db",
    "the colon forgotten": "postgresql://postgres@hunter22@127.0.0.1:1/db",
    "a doubled @": "postgresql://postgres:hunter22@@127.0.0.1:1/db",
    "a colon in the password": "postgresql://postgres:hun:ter22@127.0.0.1:1/db",
    "an encoded @": "postgresql+psycopg://postgres:p%40ssw0rd@127.0.0.1:1/db",
    "no user": "postgresql://:hunter22@127.0.0.1:1/db",
    "the password in the query": "postgresql://postgres@127.0.0.1:1/db?password=hunter22",
    "the postgres:// scheme": "postgres://postgres:hunter22@127.0.0.1:1/db",
}


def _no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shown in: {text}"


@pytest.mark.parametrize("shape", UNREACHABLE)
@pytest.mark.parametrize("command", [("threads",), ("ingest", "t.yaml"), ("verify",)])
def test_no_message_shows_the_password(tmp_path: Path, shape: str, command: tuple[str, ...]):
    (tmp_path / "t.yaml").write_text("negotrack: 1\nthread: {id: t, title: T}\nevents: []\n")
    result = run_negotrack(tmp_path, *command, "--db", UNREACHABLE[shape])
    assert "Traceback" not in result.stderr
    assert result.code == 1, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "127.0.0.1" in result.stderr  # the host it tried: the right one, whatever the password holds
    _no_secret(result.stdout + result.stderr)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:hunter22@127.0.0.1:abc/db",  # a port that is not a number
        "postgresql://postgres:hunter22/db",  # the @ forgotten: the password reads as a port
    ],
)
def test_a_port_that_is_not_a_number_is_a_usage_error(tmp_path: Path, url: str):
    result = run_negotrack(tmp_path, "threads", "--db", url)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: --db: the port in the store URL (after the host and ':') is not a number: "
        "postgresql://user@host:5432/database\n"
    )
    _no_secret(result.stderr)


def test_an_empty_db_is_refused_rather_than_taken_as_the_default(tmp_path: Path):
    result = run_negotrack(tmp_path, "init", "--db", "")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "Error: --db: an empty value names no store (give a file or an SQLAlchemy URL)\n"
    assert not (tmp_path / "negotrack.db").exists()


@pytest.mark.postgres
def test_a_raw_at_in_a_password_reaches_the_server_and_is_masked(tmp_path: Path, pg_url: str):
    """The server trusts local connections, so the password is not checked: the URL parses to the right host."""
    url = make_url(pg_url)
    hostile = (
        f"postgresql://{url.username}:p@ssw0rd@{url.host}:{url.port}/{url.database}?{pg_url.split('?', 1)[1]}"
    )
    result = run_negotrack(tmp_path, "init", "--db", hostile)
    assert result.code == 0, result.stderr
    assert result.stdout == f"Created postgresql+psycopg://***@{url.host}:{url.port}/{url.database}?{pg_url.split('?', 1)[1]}\n"
    _no_secret(result.stdout + result.stderr)
