"""Where the store is: an option, the NEGOTRACK_DB environment variable, or ./negotrack.db.

A value with ``://`` is an SQLAlchemy URL (``postgresql+psycopg://…``,
``sqlite:///…``); anything else is the path of an SQLite file.  This module
stays free of SQLAlchemy so that ``negotrack --help`` starts fast.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "negotrack.db"
ENV_VAR = "NEGOTRACK_DB"


def resolve_db(value: str | None) -> str:
    """The SQLAlchemy URL of the store the user named (or the default)."""
    value = value or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other backends or in-memory)."""
    if not url.startswith("sqlite"):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    if not rest or rest == ":memory:":
        return None
    return Path(rest.split("?", 1)[0])


def display(url: str) -> str:
    """The store as a user should see it: the file path, or the URL without a password."""
    path = sqlite_path(url)
    if path is not None:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"
    return url
