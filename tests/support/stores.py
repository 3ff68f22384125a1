"""Looking at a store from outside negotrack."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def dump_store(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an SQLite store, in a stable order (absent file: empty)."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()
