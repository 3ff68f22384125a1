"""Shared pieces of the hostile-input tests: the real command in a capped child, a small valid timeline, a dump of a store."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support.stores import dump_store  # noqa: F401 - the tests here import it from this module

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


CPU_SECONDS = 5
MAX_RSS_MB = 300
ADDRESS_SPACE = 2 * 1024**3
HANG_GUARD_SECONDS = 30


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    max_rss_mb: float
    killed: bool


def _limits(cpu: int, address_space: int) -> Callable[[], None]:
    def limit_child() -> None:  # runs in the child, before exec
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    return limit_child


def run_negotrack(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    cpu: int = CPU_SECONDS,
    address_space: int = ADDRESS_SPACE,
    guard_seconds: float = HANG_GUARD_SECONDS,
) -> Run:
    """Run ``negotrack ARGS`` in a child process under RLIMIT_CPU and RLIMIT_AS; its exit code, output, peak RSS.

    ``env`` is added to this process's environment, from which ``NEGOTRACK_DB``
    and ``NEGOTRACK_SOURCES_ROOT`` are removed first.
    """
    out, err = cwd / ".stdout", cwd / ".stderr"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("NEGOTRACK_DB", "NEGOTRACK_SOURCES_ROOT")},
        **(env or {}),
    }
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(
            [sys.executable, "-m", "negotrack", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=fo,
            stderr=fe,
            env=env,
            preexec_fn=_limits(cpu, address_space),
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        guard = threading.Timer(guard_seconds, kill)
        guard.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child alone
        finally:
            guard.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        code=proc.returncode,
        stdout=out.read_text(errors="replace"),
        stderr=err.read_text(errors="replace"),
        max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        killed=killed.is_set(),
    )


def write_project(root: Path) -> Path:
    """A folder with the source text and the timeline; returns the timeline's path."""
    (root / "hw.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    path = root / "harbour.yaml"
    path.write_text(TIMELINE, encoding="utf-8")
    return path
