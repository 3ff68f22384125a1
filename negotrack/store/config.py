"""Where the store is: an option, the NEGOTRACK_DB environment variable, or ./negotrack.db.

A value with ``://`` is an SQLAlchemy URL (``postgresql+psycopg://…``,
``sqlite:///…``); anything else is the path of an SQLite file.  This module
stays free of SQLAlchemy so that ``negotrack --help`` starts fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

from negotrack.errors import UsageError

DEFAULT_DB = "negotrack.db"
ENV_VAR = "NEGOTRACK_DB"
MASK = "***"

# Every store URL this process was given, so that any message can be scrubbed of its secrets.
_seen: set[str] = set()


def resolve_db(value: str | None) -> str:
    """The SQLAlchemy URL of the store the user named (or the default).

    ``--db ''`` (or an empty ``NEGOTRACK_DB`` given as the option) is refused
    rather than taken as the default.  In a server URL the credentials are
    everything between ``://`` and the *last* ``@`` (a raw ``@`` in a password
    is taken as part of it, and percent-encoded for the driver); the port must
    be a number.
    """
    if value is not None and not value.strip():
        raise UsageError("--db: an empty value names no store (give a file or an SQLAlchemy URL)")
    value = value or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        _seen.add(value)
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        if not value.startswith("sqlite"):
            value = _server_url(value)
        _seen.add(value)
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def _split(url: str) -> tuple[str, str | None, str]:
    """``scheme``, the credentials (between ``://`` and the last ``@`` before any ``?``), the rest."""
    scheme, rest = url.split("://", 1)
    head, sep, query = rest.partition("?")
    at = head.rfind("@")
    if at < 0:
        return scheme, None, rest
    return scheme, head[:at], head[at + 1 :] + sep + query


def _server_url(url: str) -> str:
    scheme, creds, rest = _split(url)
    hostport = rest.split("/", 1)[0].split("?", 1)[0]
    port = hostport.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in hostport.rsplit("]", 1)[-1] else ""
    if port and not port.isdigit():
        raise UsageError("--db: the port in the store URL (after the host and ':') is not a number: postgresql://user@host:5432/database")
    if creds is None:
        return url
    user, colon, password = creds.partition(":")
    encoded = quote(unquote(user), safe="") + (colon + quote(unquote(password), safe="") if colon else "")
    return f"{scheme}://{encoded}@{rest}"


def secrets_of(url: str) -> list[str]:
    """The strings of a URL no message may show: its credentials, their parts, a password in the query."""
    if "://" not in url:
        return []
    _scheme, creds, rest = _split(url)
    found: list[str] = []
    if creds and (":" in creds or "@" in creds):  # a bare user name is no secret
        found += [creds, unquote(creds)]
        user, colon, password = creds.partition(":")
        if colon and password:
            found += [password, unquote(password)]
            found += [p for p in re.split("[@:]", unquote(password)) if len(p) >= 3]
        if "@" in user:  # "user@password@host": a forgotten colon
            found += [user, unquote(user)] + [p for p in user.split("@")[1:] if len(p) >= 3]
    for m in re.finditer(r"(?:^|[?&])(?:password|passwd)=([^&]*)", rest.partition("?")[2]):
        if m.group(1):
            found += [m.group(1), unquote(m.group(1))]
    return sorted({s for s in found if s}, key=len, reverse=True)


def scrub(text: str, urls: list[str] | None = None) -> str:
    """``text`` with every secret of the store URLs seen (or given) replaced by ``***``."""
    for url in urls if urls is not None else sorted(_seen):
        for secret in secrets_of(url):
            text = text.replace(secret, MASK)
    return text


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
    if "://" in url:
        scheme, creds, rest = _split(url)
        rest = re.sub(r"((?:^|[?&])(?:password|passwd)=)[^&]*", rf"\1{MASK}", rest)
        return f"{scheme}://{MASK}@{rest}" if creds is not None else f"{scheme}://{rest}"
    return url
