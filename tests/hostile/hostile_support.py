"""Shared pieces of the hostile-input tests: a small valid timeline, and a dump of a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SOURCE_TEXT = (
    "Harbour Wire, 2024. The Avalon minister said the harbour must stay closed to foreign fleets. "
    "Borealis proposed a joint fishing zone. Avalon welcomed the plan in principle.\n"
)

TIMELINE = """\
negotrack: 1
thread:
  id: harbour
  title: Harbour talks
  parties:
    AV: {name: Avalon}
    BO: {name: Borealis}
  actors:
    alice: {name: Alice Example, party: AV}
  issues:
    fishing: {title: Fishing zone, proposition: A joint fishing zone is created}
sources:
  hw: {path: hw.txt, title: Harbour Wire, published: 2024-03-01, reliability: B}
events:
  - {id: av-closed, type: DemandIssued, date: 2024-01-10, by: alice, issue: fishing, demand: harbour stays closed,
     stance: opposes, summary: Avalon demands the harbour stay closed,
     source: {ref: hw, quote: the harbour must stay closed to foreign fleets}}
  - {id: bo-zone, type: ProposalTabled, date: 2024-01-20, by: BO, title: Joint zone, stance: supports,
     provisions: [{issue: fishing, text: joint zone}], summary: Borealis proposes a joint zone,
     source: {ref: hw, quote: Borealis proposed a joint fishing zone.}}
"""


def write_project(root: Path) -> Path:
    """A folder with the source text and the timeline; returns the timeline's path."""
    (root / "hw.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    path = root / "harbour.yaml"
    path.write_text(TIMELINE, encoding="utf-8")
    return path


def dump_store(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of an SQLite store, in a stable order (absent file: empty)."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()
