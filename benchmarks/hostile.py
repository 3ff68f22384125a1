"""The big hostile inputs of issue 16 and the largest accepted input, measured through the real command.

    python benchmarks/hostile.py              # ~2 minutes on 2 cores, ~700 MB of disk in a temporary folder

Each case prints the command's exit code, CPU time (user+sys) and peak RSS.
Not run in CI: the tests (tests/hostile/) give inputs just over each limit;
this gives the sizes the issue reported (a 200 MB breadth bomb, a 240 MB array
as a source's title) and the largest input within the limits (400,000
minimal events in four NDJSON files, and 400,000 of the benchmark generator's
richer events), which must stay within 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
NEGOTRACK = str(BIN / "negotrack") if (BIN / "negotrack").exists() else "negotrack"
HEADER = '{"negotrack": 1, "thread": {"id": "harbour"}'
MINIMAL = (
    '{"id":"e%d","type":"PositionStated","date":"2024-01-01","by":"AV","issue":"x","stance":"supports",'
    '"summary":"s","source":{"ref":"w"}}\n'
)


def run(cwd: Path, *args: str) -> tuple[int, float, float, str]:
    """Exit code, CPU seconds (user+sys), peak RSS (MB) and the last line of output of one command."""
    with open(cwd / ".out", "wb") as out:
        proc = subprocess.Popen([NEGOTRACK, *args], cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    lines = (cwd / ".out").read_text(errors="replace").strip().splitlines()
    return (
        os.waitstatus_to_exitcode(status),
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        (lines[-1] if lines else "")[:110],
    )


def minimal_parts(folder: Path, events: int, per_file: int) -> list[str]:
    head = json.dumps({
        "negotrack": 1,
        "thread": {"id": "t", "parties": {"AV": {"name": "Avalon"}}, "issues": {"x": {"title": "X", "proposition": "X holds"}}},
        "sources": {"w": {"url": "https://example.org/a", "title": "W", "published": "2024-01-01"}},
    }) + "\n"
    names = []
    for part in range((events + per_file - 1) // per_file):
        name = f"minimal{part:02d}.ndjson"
        with open(folder / name, "w") as f:
            f.write(head)
            f.writelines(MINIMAL % i for i in range(part * per_file, min(events, (part + 1) * per_file)))
        names.append(name)
    return names


def write_inputs(work: Path) -> None:
    """The input files (run in a process of its own: a child forked from a big process reports its peak RSS)."""
    with open(work / "breadth.json", "w") as f:
        f.write("[[]")
        for _ in range(67):
            f.write(",[]" * 1_000_000)
        f.write("]")
    with open(work / "title.json", "w") as f:
        f.write(HEADER + ', "sources": {"s": {"url": "https://x.org", "title": [0.5')
        for _ in range(60):
            f.write(",0.5" * 1_000_000)
        f.write(']}}, "events": []}')
    minimal_parts(work, 1_000_000, 1_000_000)
    (work / "minimal00.ndjson").rename(work / "one.ndjson")
    minimal_parts(work, 400_000, 100_000)
    sys.path.insert(0, str(HERE))
    import generate

    generate.write_parts(generate.ThreadGenerator("long-0000", 400_000, seed=4), work / "long", 100_000)


CASES = [
    ("200 MB breadth bomb [[],[],...]", ["ingest", "--db", "x.db", "breadth.json"]),
    ("240 MB array as sources.s.title", ["ingest", "--db", "x.db", "title.json"]),
    ("1,000,000 minimal events in one NDJSON file", ["ingest", "--db", "x.db", "one.ndjson"]),
    ("400,000 minimal events in 4 NDJSON files (the largest input)", ["ingest", "--db", "big.db"]
     + [f"minimal{i:02d}.ndjson" for i in range(4)]),
    ("400,000 benchmark events (generate.py) in 4 NDJSON files", ["ingest", "--db", "long.db"]
     + [f"long/long-0000.part{i:03d}.ndjson" for i in range(4)]),
]


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_inputs(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, __file__, "--write", str(work)], check=True)
        print(f"{'case':62} {'exit':>4} {'CPU s':>7} {'peak RSS':>9}  output")
        for label, args in CASES:
            code, cpu, rss, last = run(work, *args)
            print(f"{label:62} {code:>4} {cpu:>7.1f} {rss:>6.0f} MB  {last}")


if __name__ == "__main__":
    main()
