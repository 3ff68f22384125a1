"""Output never depends on the hash seed: the same commands under several PYTHONHASHSEED values give the same bytes.

When one event touches several issues, its lines (in replay, in diff, in the
report's states) used to come in the order of a set, which changes with the
seed. Each run here is a fresh interpreter with its own seed, the clock frozen
so that recorded times agree, running the demo and every command that prints
a thread: replay, timeline, diff, state (text and JSON) and each export.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("0", "1", "2", "12345")

SCRIPT = r"""
import sys
from pathlib import Path

from click.testing import CliRunner
from freezegun import freeze_time

from negotrack.cli import cli

seeds = sys.argv[1]
out = []


def run(*args):
    result = CliRunner().invoke(cli, list(args), color=False)
    out.append(f"$ {' '.join(args)} -> {result.exit_code}\n{result.stdout}")


with freeze_time("2026-01-05T12:00:00Z"):
    run("demo", "--db", "demo.db", "--report", "demo.html")
    run("ingest", "--db", "t.db", seeds)
    for args in (
        ["replay", "ukraine-peace"],
        ["timeline", "ukraine-peace"],
        ["timeline", "ukraine-peace", "--json"],
        ["diff", "ukraine-peace", "2025-01-01", "2025-12-31"],
        ["diff", "ukraine-peace", "2025-01-01", "2025-12-31", "--json"],
        ["state", "ukraine-peace", "--as-of", "2025-12-15"],
        ["state", "ukraine-peace", "--as-of", "2025-12-15", "--json"],
        ["state", "ukraine-peace", "--as-of", "2025-12-15", "--format", "csv"],
    ):
        run(*args, "--db", "t.db")
    for fmt in ("yaml", "json", "ndjson", "csv", "plover", "timelinejs"):
        run("export", "ukraine-peace", "--db", "t.db", "--format", fmt)
    run("report", "ukraine-peace", "--db", "t.db", "-o", "t.html")
for name in ("demo.html", "t.html"):
    out.append(f"== {name}\n" + Path(name).read_text(encoding="utf-8"))
sys.stdout.write("\n".join(out))
"""


def _run(seed: str, folder: Path) -> bytes:
    folder.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": "100"}
    env.pop("NEGOTRACK_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "seeds" / "ukraine-peace.yaml")],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_every_output_is_the_same_under_every_hash_seed(tmp_path):
    outputs = {seed: _run(seed, tmp_path / f"seed-{seed}") for seed in SEEDS}
    first = outputs[SEEDS[0]]
    assert b"-> 0\n" in first and b"-> 1\n" not in first and b"-> 2\n" not in first
    assert b"* nato-membership: proposal us-28-point-plan tabled" in first  # one event, several issues
    for seed, output in outputs.items():
        if output != first:
            a, b = first.decode().splitlines(), output.decode().splitlines()
            line = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            raise AssertionError(
                f"PYTHONHASHSEED={seed} differs from PYTHONHASHSEED={SEEDS[0]} at line {line + 1}:\n"
                f"  {a[line] if line < len(a) else '(end)'}\n  {b[line] if line < len(b) else '(end)'}"
            )
