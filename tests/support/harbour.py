"""The harbour timeline (two parties, two issues, three events) and its source text, in a folder with a store.

:class:`Folder` writes them into a test's folder and drives the CLI in process
on a store; the CLI harness (``tests/cli``: :class:`Project`, an SQLite file in
the folder) and the backend harness (``tests/backends``: a store on SQLite and
on PostgreSQL) are both made of it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from negotrack.cli import cli

SOURCE_TEXT = """Harbour Wire, 2024. The Avalon minister, Alice Example, said the harbour must stay closed to foreign fleets.
Borealis proposed a joint fishing zone for ten years and open port access.
Avalon welcomed the zone plan in principle. Borealis rejected the plan outright.
"""

TIMELINE = """\
negotrack: 1
thread:
  id: harbour
  title: Avalon–Borealis harbour talks
  parties:
    AV: {name: Avalon}
    BO: {name: Borealis}
  actors:
    alice: {name: Alice Example, party: AV, role: Minister}
  issues:
    fishing: {title: Fishing zone, proposition: A joint fishing zone is created}
    port: {title: Port access, proposition: Borealis ships may use Avalon's port}
sources:
  hw: {path: hw.txt, title: Harbour Wire, published: 2024-03-01, reliability: B}
events:
  - id: av-closed
    type: DemandIssued
    date: 2024-01-10
    by: alice
    of: BO
    issue: fishing
    demand: harbour stays closed
    stance: opposes
    summary: Avalon demands the harbour stay closed
    source: {ref: hw, quote: the harbour must stay closed to foreign fleets}
  - id: bo-zone
    type: ProposalTabled
    date: 2024-01-20
    by: BO
    title: Joint zone
    stance: supports
    provisions:
      - {issue: fishing, text: joint zone for ten years}
      - {issue: port, text: open port access}
    summary: Borealis proposes a joint zone and port access
    source: {ref: hw, quote: Borealis proposed a joint fishing zone for ten years and open port access.}
  - id: av-welcomes
    type: Accepted
    date: 2024-01-25
    by: alice
    ref: bo-zone
    qualifier: in_principle
    stance: conditional
    summary: Avalon welcomes the plan in principle
    source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}
"""


class Folder:
    """A folder with the harbour timeline and its source text, and the store ``db`` (what --db is given)."""

    def __init__(self, root: Path, db: str):
        self.root = root
        self.db = db
        (root / "hw.txt").write_text(SOURCE_TEXT, encoding="utf-8")
        self.timeline = self.write("harbour.yaml", TIMELINE)
        self.runner = CliRunner()

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def tail(self, events: str, name: str = "more.yaml") -> Path:
        """A second file naming the thread by id, adding the given events (YAML list text)."""
        return self.write(name, "negotrack: 1\nthread: {id: harbour}\nevents:\n" + textwrap.dedent(events))

    def run(self, *args: str, db: str | None = None) -> Result:
        return self.runner.invoke(cli, [*args], env={"NEGOTRACK_DB": db or self.db}, catch_exceptions=False)


class Project(Folder):
    """The harbour folder with its store, ``store.db``, in it."""

    def __init__(self, root: Path):
        super().__init__(root, str(root / "store.db"))
