"""Real negotrack processes for the concurrency and crash tests, and timelines big enough to need them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Runs `negotrack ARGS…` as `python -m negotrack` would, once the file BARRIER exists;
# the heavy modules are imported first and READY is written, so the processes start their
# ingest together when the test creates BARRIER.
BARRIER_RUNNER = r"""
import os, sys, time
ready, barrier, *args = sys.argv[1:]
import negotrack.cli, negotrack.app.ingest, negotrack.store.store, negotrack.store.recorder  # noqa: E401
open(ready, "w").close()
while not os.path.exists(barrier):
    time.sleep(0.002)
sys.argv = ["negotrack", *args]
negotrack.cli.main()
"""


def header(slug: str = "load") -> dict:
    return {
        "negotrack": 1,
        "thread": {
            "id": slug,
            "title": "Load test",
            "parties": {"AV": {"name": "Avalon"}, "BO": {"name": "Borealis"}},
            "issues": {"fishing": {"title": "Fishing zone", "proposition": "A joint fishing zone is created"}},
        },
        "sources": {"wire": {"url": "https://example.invalid/wire", "title": "Wire", "reliability": "C"}},
    }


def write_ndjson(path: Path, prefix: str, count: int, *, declare: bool = True) -> list[str]:
    """An NDJSON timeline of ``count`` PositionStated events with ids ``{prefix}-{i}``; returns the ids."""
    ids = [f"{prefix}-{i:06d}" for i in range(count)]
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header() if declare else {"negotrack": 1, "thread": {"id": "load"}}) + "\n")
        for i, event_id in enumerate(ids):
            event = {
                "id": event_id,
                "type": "PositionStated",
                "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "by": "AV" if i % 2 else "BO",
                "issue": "fishing",
                "stance": ("supports", "opposes", "conditional")[i % 3],
                "summary": f"statement {event_id}",
                "source": {"ref": "wire"},
            }
            out.write(json.dumps(event) + "\n")
    return ids


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.pop("NEGOTRACK_DB", None)
    return e


def negotrack(*args: str) -> list[str]:
    return [sys.executable, "-m", "negotrack", *args]


def run(*args: str, cwd: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        negotrack(*args), cwd=cwd, env={**env(), **(extra_env or {})}, capture_output=True, text=True, check=False
    )
