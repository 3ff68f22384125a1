"""A small thread for the use-case tests: written to a folder, ingested into a scratch store."""

from __future__ import annotations

from pathlib import Path

TIMELINE = """\
negotrack: 1
thread:
  id: lake
  title: Lake talks
  parties:
    NO: {name: Northland}
    SO: {name: Southland}
  issues:
    water: {title: Water share}
    boats: {title: Boat traffic}
sources:
  wire: {url: "https://example.invalid/wire", title: Lake Wire, reliability: C}
events:
  - {id: no-demand, type: DemandIssued, date: 2024-02-01, by: NO, of: SO, issue: water, demand: half the water,
     stance: supports, summary: Northland demands half the water, source: {ref: wire}}
  - {id: so-opposes, type: PositionStated, date: 2024-02-03, by: SO, issue: water, stance: opposes,
     summary: Southland opposes, source: {ref: wire}}
  - {id: so-rejects, type: Rejected, date: 2024-02-05, by: SO, ref: no-demand, summary: Southland rejects the demand,
     source: {ref: wire}}
  - {id: no-boats, type: PositionStated, date: 2024-02-10, by: NO, issue: boats, stance: supports,
     summary: Northland wants more boats, source: {ref: wire}}
"""

RETRACTION = """\
negotrack: 1
thread: {id: lake}
events:
  - {id: oops, type: ReportRetracted, ref: so-rejects, reason: misreported, summary: the rejection was misreported}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
