"""Two negotrack programs, the same commands on the same data: CPU time and peak RSS side by side.

    python benchmarks/compare.py --base OLD/.venv/bin/negotrack            # this venv's negotrack against OLD's
    python benchmarks/compare.py --base OLD/.venv/bin/negotrack --events 20000 --runs 1   # a quick look

For a before/after of a change: install the older commit in a worktree of its
own (``git worktree add --detach OLD COMMIT``, a venv there, ``pip install -e
OLD``) and point ``--base`` at its ``negotrack``. Each figure is the median
CPU time (user+sys, from ``wait4``) of ``--runs`` fresh processes, the two
programs taking turns run by run, so that both see the same machine; the
peak RSS is the largest of those runs. CPU time, not wall time: a shared
machine steals wall time from whichever program happens to be running.

The commands are those of ``run.py``'s figures that both programs have: the
ingest of one long thread from NDJSON, JSON and YAML, the first query after
it (an older program may make its checkpoints there) and the two together,
cold ``state --json`` at the end and in the middle of the thread's dates, ``diff``
and ``timeline`` over the whole thread, a second file appended to the thread
(alone, and with the first query after it),
and ``export`` in the three timeline formats. Nothing is asserted: the table
marks figures more than 10% above the base.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import NEGOTRACK, Run, compile_package, generated, sqlite_url, thread_dates  # noqa: E402
from run import run as run_capturing  # noqa: E402


def run(cmd: list[str]) -> Run:
    """``cmd`` to the end, its output thrown away: this process must stay small.

    Linux gives a child the peak RSS of the process that started it (``exec``
    keeps the larger of the two), so a comparison that held a 100,000-event
    ``timeline`` in memory would print that size for every command after it.
    """
    return run_capturing(cmd, stdout_to=os.devnull)

SLUG = "cmp-0000"


def measure(runs: int, programs: dict[str, str], step) -> dict[str, tuple[float, float]]:
    """``step(name, program, i)`` -> Run, ``runs`` times per program, taking turns: (median CPU, max RSS) by name."""
    results: dict[str, list[Run]] = {name: [] for name in programs}
    for i in range(runs):
        for name, program in programs.items():
            results[name].append(step(name, program, i))
    return {name: (statistics.median(r.cpu for r in rs), max(r.rss_mb for r in rs)) for name, rs in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="two negotrack programs on the same commands and data")
    parser.add_argument("--base", required=True, help="the negotrack program to compare against (an older install)")
    parser.add_argument("--ours", default=NEGOTRACK, help="the negotrack program measured [default: this venv's]")
    parser.add_argument("--events", type=int, default=100_000, help="events of the long thread")
    parser.add_argument("--yaml-events", type=int, default=25_000, help="events of the YAML file")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure and program")
    parser.add_argument("--work", type=Path, default=None, help="a folder for the data and the stores")
    args = parser.parse_args()
    compile_package()
    programs = {"base": args.base, "ours": args.ours}
    work = args.work or Path(tempfile.mkdtemp(prefix="negotrack-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.events
    print(f"negotrack compare: {n:,} events; base {args.base}; ours {args.ours}; {args.runs} runs each", flush=True)

    data = work / "data"
    files = {fmt: generated(generate.write_thread, generate.generator("project", SLUG, n, seed=1), data / fmt, fmt)
             for fmt in ("ndjson", "json")}
    files["yaml"] = generated(generate.write_thread, generate.generator("project", "yml-0000", args.yaml_events, seed=2),
                              data / "yaml", "yaml")
    halves = generated(generate.write_parts, generate.generator("project", "two-0000", n, seed=3), data / "parts", n // 2)
    rows: list[tuple[str, dict[str, tuple[float, float]]]] = []

    def db(name: str, what: str, i: int | None = None) -> str:
        return str(work / f"{name}-{what}{'' if i is None else f'-{i}'}.db")

    def fresh(path: str) -> str:
        Path(path).unlink(missing_ok=True)
        return path

    def figure(label: str, step) -> None:
        rows.append((label, measure(args.runs, programs, step)))
        base, ours = rows[-1][1]["base"], rows[-1][1]["ours"]
        print(f"  {label}: base {base[0]*1000:,.0f} ms CPU, ours {ours[0]*1000:,.0f} ms CPU "
              f"({ours[0] / base[0]:.2f}x); peak RSS {base[1]:,.0f} / {ours[1]:,.0f} MB", flush=True)

    for fmt in ("ndjson", "json", "yaml"):
        figure(f"ingest {fmt.upper()}", lambda name, p, i, fmt=fmt: run(
            [p, "ingest", "--db", fresh(db(name, fmt)), str(files[fmt])]))

    # the first query after an ingest (an older program may make its checkpoints here), and both together
    dates = dict(thread_dates(sqlite_url(Path(db("ours", "ndjson"))), SLUG))
    end, mid = dates["end"], dates["mid-thread"]

    def first_query(name: str, p: str, i: int) -> Run:
        ingested = run([p, "ingest", "--db", fresh(db(name, "first")), str(files["ndjson"])])
        query = run([p, "state", SLUG, "--as-of", end, "--json", "--db", db(name, "first")])
        query.cpu += ingested.cpu
        query.rss_mb = max(query.rss_mb, ingested.rss_mb)
        return query

    figure("ingest NDJSON + first state --json (end)", first_query)
    figure("cold state --json (end)", lambda name, p, i: run([p, "state", SLUG, "--as-of", end, "--json", "--db", db(name, "ndjson")]))
    figure("cold state --json (mid-thread)", lambda name, p, i: run([p, "state", SLUG, "--as-of", mid, "--json", "--db", db(name, "ndjson")]))
    figure("cold diff (mid-thread .. end)", lambda name, p, i: run([p, "diff", SLUG, mid, end, "--db", db(name, "ndjson")]))
    figure("cold timeline (whole thread)", lambda name, p, i: run([p, "timeline", SLUG, "--db", db(name, "ndjson")]))

    def appended(name: str, p: str, i: int) -> Run:
        path = fresh(db(name, "append"))
        run([p, "ingest", "--db", path, str(halves[0])])
        return run([p, "ingest", "--db", path, str(halves[1])])

    figure(f"append {n // 2:,} events to a {n // 2:,}-event thread", appended)

    def appended_then_query(name: str, p: str, i: int) -> Run:
        path = fresh(db(name, "append-query"))
        run([p, "ingest", "--db", path, str(halves[0])])
        run([p, "state", "two-0000", "--json", "--db", path])  # the first half's checkpoints, wherever they are made
        ingested = run([p, "ingest", "--db", path, str(halves[1])])
        query = run([p, "state", "two-0000", "--json", "--db", path])
        query.cpu += ingested.cpu
        query.rss_mb = max(query.rss_mb, ingested.rss_mb)
        return query

    figure("  same + first state --json after it", appended_then_query)
    for fmt in ("ndjson", "json", "yaml"):
        figure(f"export {n:,} events, {fmt.upper()}", lambda name, p, i, fmt=fmt: run(
            [p, "export", SLUG, "--format", fmt, "-o", str(work / f"export-{name}-{i}.{fmt}"), "--db", db(name, "ndjson")]))

    print()
    head = ("figure", "base CPU", "ours CPU", "ratio", "peak RSS base / ours", "within 10%")
    table = [head]
    for label, res in rows:
        (bc, br), (oc, orss) = res["base"], res["ours"]
        table.append((label, f"{bc * 1000:,.0f} ms", f"{oc * 1000:,.0f} ms", f"{oc / bc:.2f}x",
                      f"{br:,.0f} / {orss:,.0f} MB", "yes" if oc <= 1.1 * bc else "NO"))
    widths = [max(len(r[c]) for r in table) for c in range(len(head))]
    for k, r in enumerate(table):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
