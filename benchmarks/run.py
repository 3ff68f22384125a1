"""The benchmark suite: every figure of the performance targets beside a baseline measured in the same run.

    python benchmarks/run.py                 # full size (about 20 minutes on 2 cores)
    python benchmarks/run.py --size small    # a smoke test at a small size (CI runs it)
    python benchmarks/run.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres   # also PostgreSQL
    python benchmarks/run.py --only ingest   # the NDJSON ingest figures alone (both generators, SQLite)
    python benchmarks/run.py --pg URL --only pg   # only the PostgreSQL figures

Data comes from ``benchmarks/generate.py`` (deterministic). Each measurement
that has a peak RSS runs in a process of its own: the installed ``negotrack``
command for the cold figures and for ingest, ``benchmarks/probe.py`` for the
in-process (warm) figures and for the baselines. Nothing here asserts a
figure: it prints them, and marks whether each target holds at full size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

BIN = Path(sys.executable).parent
NEGOTRACK = str(BIN / "negotrack") if (BIN / "negotrack").exists() else shutil.which("negotrack") or "negotrack"

SIZES: dict[str, dict[str, int]] = {
    # ingest: events in one file; yaml: events of the YAML file (YAML files are limited to 16 MiB);
    # big: events of the long thread in the big store; small_thread: the short thread queried in it;
    # part: events per file of the long thread (a JSON/NDJSON file is limited to 64 MiB and 2,500,000 values)
    "full": {"ingest": 100_000, "yaml": 25_000, "big": 999_000, "small_thread": 1_000, "part": 100_000, "report": 10_000},
    "small": {"ingest": 3_000, "yaml": 1_000, "big": 9_500, "small_thread": 500, "part": 5_000, "report": 2_000},
}
COLD_RUNS = 5


def compile_package() -> None:
    """Byte-compile negotrack's own modules before any figure is taken.

    An installed program has its bytecode: pip compiles what it installs, and an
    editable install writes ``__pycache__`` on its first run.  A machine that sets
    ``PYTHONDONTWRITEBYTECODE`` (this project's does) would otherwise compile the
    package again in every cold process (about 70 ms of CPU for ``state --json``),
    which no user's installed copy pays.  The bytecode goes where Python looks for
    it (``__pycache__``, ignored by git).
    """
    import compileall

    import negotrack

    compileall.compile_dir(str(Path(negotrack.__file__).parent), quiet=1)


@dataclass
class Run:
    seconds: float
    rss_mb: float
    stdout: str
    stderr: str
    code: int
    cpu: float = 0.0  # user+sys seconds of the process (the machine is shared: wall time counts others' turns)


STDERR_KEPT = 64 * 1024  # bytes of a command's stderr kept: an ingest of a long thread warns for megabytes, and
# whatever this process reads raises the peak RSS that Linux hands every later child at exec


def run(cmd: list[str], stdout_to: str | None = None, **kw: Any) -> Run:
    """Run a command to the end; its wall time and its own peak RSS (from wait4); ``stdout_to``: a file for its output."""
    with tempfile.TemporaryFile() as err, open(stdout_to or os.devnull, "wb") as sink:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink if stdout_to else subprocess.PIPE, stderr=err, **kw)
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.stdout:
            proc.stdout.close()
        err.seek(max(0, err.seek(0, os.SEEK_END) - STDERR_KEPT))  # its last lines: enough to say why it failed
        result = Run(seconds, usage.ru_maxrss / 1024, out.decode("utf-8", "replace"),
                     err.read().decode("utf-8", "replace"), proc.returncode, usage.ru_utime + usage.ru_stime)
    if result.code != 0:
        raise SystemExit(f"benchmark step failed ({' '.join(cmd)}):\n{result.stderr}")
    return result


def generated(write: Any, *args: Any) -> Any:
    """``write(*args)`` (a ``generate.write_*``) in a child process: its result, with this process no bigger.

    Linux starts a child's peak RSS at its parent's size when it forks (the
    ``wait4`` figure of every command run after would otherwise be at least
    what generating a million events made this process).
    """
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(write, args)


def probe(*args: str) -> tuple[dict[str, Any], Run]:
    r = run([sys.executable, str(HERE / "probe.py"), *args])
    return json.loads(r.stdout), r


def cold(cmd: list[str], runs: int = COLD_RUNS) -> Run:
    """The median wall and CPU times of fresh processes (and the largest peak RSS); their output is thrown away.

    Not read, because what this process reads (a 100,000-event thread's state
    is tens of MB of JSON, five times) becomes the peak RSS that Linux hands
    every later child at exec: the rows after the long thread's queries read
    180 MB whatever they measured.
    """
    results = [run(cmd, stdout_to=os.devnull) for _ in range(runs)]
    median = statistics.median(r.seconds for r in results)
    cpu = statistics.median(r.cpu for r in results)
    return Run(median, max(r.rss_mb for r in results), "", "", 0, cpu)


class Table:
    def __init__(self, full: bool):
        self.full = full
        self.rows: list[tuple[str, ...]] = []

    def add(self, figure: str, ours: str, base: str, ratio: float | None, target: str, met: bool | None,
            rss: tuple[Run | None, Run | None] | None = None) -> None:
        """One row; ``rss``: the runs (negotrack's, the baseline's) whose peak RSS the row shows beside its figure."""
        if figure.startswith("PostgreSQL") and target not in ("-", PG_INGEST_TARGET):  # SQLite's targets; PG's reported
            target, met = "report", None
        verdict = "-" if met is None or not self.full else ("yes" if met else "NO")
        peak = " / ".join(f"{r.rss_mb:,.0f}" if r is not None else "-" for r in rss) + " MB" if rss else "-"
        self.rows.append((figure, ours, base, f"{ratio:.2f}x" if ratio is not None else "-", target, verdict, peak))
        print(f"  {figure}: {ours} (baseline {base})" + (f" [peak RSS {peak}]" if rss else ""), flush=True)

    def render(self) -> str:
        head = ("figure", "negotrack", "baseline", "ratio", "target", "met", "peak RSS (ours / baseline)")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(len(head))]
        line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
        sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(head), sep, *(line(r) for r in self.rows)])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def rate(events: int, seconds: float) -> str:
    return f"{events / seconds:,.0f} ev/s"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def ingest(db: str, *files: Path) -> Run:
    return run([NEGOTRACK, "ingest", "--db", db, *map(str, files)])


PROFILES = {"project": "ing-0000", "uniform": "uni-0000"}  # generator profile -> the thread's slug
INGEST_TARGET = ">= 30,000 ev/s, <= 4x"
PG_INGEST_TARGET = ">= 25,000 ev/s"


def bench_ingest(t: Table, work: Path, n: int, db_of: Any, label: str, profile: str = "project") -> tuple[str, str]:
    """Ingest n events from NDJSON (and JSON on SQLite) vs the executemany baseline (and COPY on PostgreSQL)."""
    slug = PROFILES[profile]
    shape = "" if profile == "project" else f", {profile} profile"
    data = work / "ingest"
    ndjson = data / f"{slug}.ndjson"
    if not ndjson.exists():
        generated(generate.write_thread, generate.generator(profile, slug, n, seed=1), data, "ndjson")
        if profile == "project":
            generated(generate.write_thread, generate.generator(profile, slug, n, seed=1), data, "json")
    pg = label.startswith("PostgreSQL")
    base, base_run = probe("ingest-baseline", str(ndjson), db_of("baseline"))
    ours = ingest(db_of(f"ingest-ndjson-{profile}"), ndjson)
    ratio = ours.seconds / base["seconds"]
    target = PG_INGEST_TARGET if pg else INGEST_TARGET
    met = n / ours.seconds >= (25_000 if pg else 30_000) and (pg or ratio <= 4)
    ours_text = rate(n, ours.seconds) + (f" (CPU {ours.cpu:.1f} s)" if pg else "")  # PostgreSQL: the client's own share
    t.add(f"{label}ingest {n:,} events, NDJSON{shape}", ours_text, rate(n, base["seconds"]) + " (executemany)",
          ratio, target, met, (ours, base_run))
    if pg:
        copy, copy_run = probe("ingest-copy", str(ndjson), db_of("baseline"))
        t.add(f"{label}  same rows by COPY (baseline)", ours_text, rate(n, copy["seconds"]) + " (COPY)",
              ours.seconds / copy["seconds"], "-", None, (ours, copy_run))
    t.add(f"{label}peak RSS, ingest {n:,} events{shape}", f"{ours.rss_mb:,.0f} MB", f"{base_run.rss_mb:,.0f} MB",
          ours.rss_mb / base_run.rss_mb, "<= 400 MB", ours.rss_mb <= 400)
    if label == "" and profile == "project":
        js = ingest(db_of("ingest-json"), data / f"{slug}.json")
        ratio = js.seconds / base["seconds"]
        t.add(f"ingest {n:,} events, JSON", rate(n, js.seconds), rate(n, base["seconds"]) + " (executemany)", ratio,
              INGEST_TARGET, n / js.seconds >= 30_000 and ratio <= 4, (js, base_run))
        t.add(f"peak RSS, ingest {n:,} events, JSON", f"{js.rss_mb:,.0f} MB", f"{base_run.rss_mb:,.0f} MB",
              js.rss_mb / base_run.rss_mb, "<= 400 MB", js.rss_mb <= 400)
    return db_of(f"ingest-ndjson-{profile}"), slug


def state_cmd(db: str, thread: str, as_of: str) -> list[str]:
    return [NEGOTRACK, "state", "--db", db, thread, "--as-of", as_of, "--json"]


def bench_first_state(t: Table, db: str, thread: str, as_of: str, label: str) -> None:
    """The first cold ``state`` after an ingest (nothing queried yet) beside the second one."""
    first = run(state_cmd(db, thread, as_of), stdout_to=os.devnull)
    second = run(state_cmd(db, thread, as_of), stdout_to=os.devnull)
    t.add(f"{label}first cold state --json after the ingest (end of thread)", f"{ms(first.seconds)} (CPU {ms(first.cpu)})",
          f"{ms(second.seconds)} (CPU {ms(second.cpu)}, the second)", first.seconds / second.seconds, "<= 1.2x (as fast)",
          first.seconds <= 1.2 * second.seconds, (first, second))


def bench_state(t: Table, db: str, thread: str, dates: list[tuple[str, str]], label: str) -> None:
    """state --as-of: warm in-process (after a first call) and cold CLI, vs the naive fold; the cold stages."""
    for name, as_of in dates:
        warm, warm_run = probe("state-warm", db, thread, as_of)
        naive, naive_run = probe("state-naive", db, thread, as_of)
        n = naive["events"]
        ratio = warm["seconds"] / naive["seconds"]
        t.add(f"{label}state as of {as_of} ({name}, {n:,} events in view), warm", ms(warm["seconds"]),
              ms(naive["seconds"]) + " (naive fold)", ratio, "<= 150 ms, <= 0.5x",
              warm["seconds"] <= 0.150 and ratio <= 0.5, (warm_run, naive_run))
        t.add(f"{label}  same, first call in a process", ms(warm["first"]), ms(naive["seconds"]),
              warm["first"] / naive["seconds"], "-", None, (warm_run, naive_run))
        c = cold(state_cmd(db, thread, as_of))
        limit = 0.4 if name == "mid-thread" else 0.5
        target = f"<= {limit} s" + (", <= 0.5x" if name == "end" else "")
        met = c.seconds <= limit and (name != "end" or c.seconds / naive["seconds"] <= 0.5)
        t.add(f"{label}  same, cold CLI process", f"{ms(c.seconds)} (CPU {ms(c.cpu)})", ms(naive["seconds"]) + " (naive fold)",
              c.seconds / naive["seconds"], target, met, (c, naive_run))
        t.add(f"{label}  peak RSS: warm process / cold CLI", f"{warm_run.rss_mb:,.0f} / {c.rss_mb:,.0f} MB",
              f"{naive_run.rss_mb:,.0f} MB", c.rss_mb / naive_run.rss_mb, "-", None)
        bench_stages(t, db, thread, as_of, c.cpu, label)


def bench_stages(t: Table, db: str, thread: str, as_of: str, cli_cpu: float, label: str) -> None:
    """Where a cold ``state --json`` goes, stage by stage (CPU), beside the floor: the interpreter importing SQLAlchemy."""
    probes = [probe("state-stages", db, thread, as_of) for _ in range(STAGE_RUNS[0])]
    runs = [p[0] for p in probes]
    st = {k: statistics.median(r[k] * 1000 for r in runs) for k in ("imports", "open", "checkpoint", "fold", "encode")}
    r = runs[0]
    whole = FLOOR["python"] * 1000 + sum(st.values())
    parts = (
        f"CPU: start {FLOOR['python'] * 1000:.0f} + imports {st['imports']:.0f} + open {st['open']:.0f}"
        f" + checkpoint {st['checkpoint']:.0f} ({r['in_checkpoint']:,} ev) + fold {st['fold']:.0f} ({r['folded']:,} ev)"
        f" + encode {st['encode']:.0f} ({r['items']:,} items) = {whole:,.0f} ms"
    )
    t.add(f"{label}  same, cold, by stage (CLI: CPU {ms(cli_cpu)})", parts,
          f"{ms(FLOOR['sqlalchemy'])} (CPU of python -c 'import sqlalchemy')", whole / 1000 / FLOOR["sqlalchemy"], "-", None,
          (max((p[1] for p in probes), key=lambda r: r.rss_mb), FLOOR_RUN[0]))


STAGE_RUNS = [3]  # fresh processes per stage breakdown (the median of each stage); 1 at the small size
FLOOR: dict[str, float] = {}  # cold interpreter start, alone and importing SQLAlchemy (measured once per run)
FLOOR_RUN: list[Run] = []  # the python -c 'import sqlalchemy' runs (their peak RSS)


def bench_report(t: Table, work: Path, n: int, db: str) -> None:
    """negotrack report: the time to write it (cold CLI) vs state --json, its size vs the NDJSON timeline, and
    (with Chromium and playwright) the time to open it vs the same file without its script (HTML and data parsed,
    nothing drawn)."""
    src = generated(generate.write_thread, generate.ThreadGenerator("rep-0000", n, seed=5), work / "report", "ndjson")
    ingest(db, src)
    out = work / "report" / "rep-0000.html"
    rep = cold([NEGOTRACK, "report", "--db", db, "rep-0000", "-o", str(out)], runs=3)
    state = cold([NEGOTRACK, "state", "--db", db, "rep-0000", "--json"], runs=3)
    t.add(f"report of a {n:,}-event thread, cold CLI", ms(rep.seconds), ms(state.seconds) + " (state --json)",
          rep.seconds / state.seconds, "report", None, (rep, state))
    size, base = out.stat().st_size, src.stat().st_size
    t.add("  same, file size", f"{size / 2**20:,.1f} MiB", f"{base / 2**20:,.1f} MiB (the NDJSON timeline)",
          size / base, "report", None)
    opened = browser_open(out, work / "report" / "plain.html")
    if opened is None:
        print("  (no Chromium or playwright: the time to open the report is not measured)")
        return
    t.add("  same, opened in Chromium (drawn)", ms(opened[0]), ms(opened[1]) + " (the file without its script)",
          opened[0] / opened[1], "report", None)


def browser_open(page_file: Path, plain: Path) -> tuple[float, float] | None:
    """Seconds to open the report until it is drawn, and to open the same file with its script taken out."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = os.environ.get("NEGOTRACK_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None
    text = page_file.read_text(encoding="utf-8")
    plain.write_text(text.rsplit("<script>", 1)[0] + "</body>\n</html>\n", encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=flags, headless=True)
        try:
            times = []
            for path, ready in ((page_file, "document.documentElement.dataset.ready === 'true'"), (plain, "true")):
                page = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True).new_page()
                t0 = time.perf_counter()
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function(ready)
                times.append(time.perf_counter() - t0)
                page.context.close()
        finally:
            browser.close()
    return times[0], times[1]


def thread_dates(db: str, thread: str) -> list[tuple[str, str]]:
    out = run([NEGOTRACK, "threads", "--db", db, "--json"]).stdout
    row = next(r for r in json.loads(out) if r["thread"] == thread)
    first, last = row["first"], row["last"]
    from datetime import date

    a, b = date.fromisoformat(first), date.fromisoformat(last)
    mid = (a + (b - a) / 2).isoformat()
    return [("mid-thread", mid), ("end", last)]


def main() -> None:
    parser = argparse.ArgumentParser(description="negotrack's benchmark suite")
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--pg", default=None, help="also run ingest and state on this PostgreSQL (a scratch database is made and dropped)")
    parser.add_argument("--work", type=Path, default=None, help="folder for data and stores (default: a temporary one)")
    parser.add_argument("--only", choices=["ingest", "pg"], default=None,
                        help="ingest: only the NDJSON ingest of each generator beside its executemany baseline (SQLite); "
                        "pg (with --pg): only the PostgreSQL figures (and the floor)")
    args = parser.parse_args()
    if args.only == "pg" and not args.pg:
        parser.error("--only pg needs --pg URL")
    size = SIZES[args.size]
    work = args.work or Path(tempfile.mkdtemp(prefix="negotrack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    full = args.size == "full"
    t = Table(full)
    print(f"negotrack benchmarks, size {args.size}, in {work}", flush=True)
    compile_package()
    if args.only == "ingest":
        for profile in PROFILES:
            bench_ingest(t, work, size["ingest"], lambda name: sqlite_url(work / f"{name}.db"), "", profile)
        print()
        print(t.render())
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
        return

    # --help
    help_run = cold([NEGOTRACK, "--help"], runs=10)
    py = cold([sys.executable, "-c", "pass"], runs=10)
    t.add("negotrack --help, cold", ms(help_run.seconds), ms(py.seconds) + " (python -c pass)",
          help_run.seconds / py.seconds, "<= 150 ms", help_run.seconds <= 0.150, (help_run, py))

    STAGE_RUNS[0] = 3 if full else 1
    sqla = cold([sys.executable, "-c", "import sqlalchemy"], runs=10)
    FLOOR["python"] = py.cpu  # the stage breakdown is in CPU time
    FLOOR["sqlalchemy"] = sqla.cpu
    FLOOR_RUN.append(sqla)
    print(f"  (floor: python -c pass {ms(py.seconds)} (CPU {ms(py.cpu)}), "
          f"python -c 'import sqlalchemy' {ms(sqla.seconds)} (CPU {ms(sqla.cpu)}))")

    if args.only != "pg":
        bench_sqlite(t, work, size)

    # PostgreSQL: ingest and state
    if args.pg:
        bench_pg(t, args.pg, work, size)

    print()
    print(t.render())
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def bench_sqlite(t: Table, work: Path, size: dict[str, int]) -> None:
    """Every SQLite figure: ingest and state for each generator profile, YAML, the big store, export, the report."""
    # ingest (SQLite), then state on the long thread, for each generator profile
    def sqlite_db(name: str) -> str:
        return sqlite_url(work / f"{name}.db")

    for profile in PROFILES:
        db, thread = bench_ingest(t, work, size["ingest"], sqlite_db, "", profile)
        dates = thread_dates(db, thread)
        shape = "" if profile == "project" else f"{profile} profile: "
        bench_first_state(t, db, thread, dates[-1][1], shape)
        bench_state(t, db, thread, dates, shape)
        if profile == "project":
            # YAML: the same generator, a file within the YAML limits, vs PyYAML's C loader alone
            yaml_path = generated(generate.write_thread, generate.ThreadGenerator("yml-0000", size["yaml"], seed=2), work / "yaml", "yaml")
            loaded, loaded_run = probe("yaml-load", str(yaml_path))
            y = ingest(sqlite_db("ingest-yaml"), yaml_path)
            t.add(f"ingest {size['yaml']:,} events, YAML", f"{rate(size['yaml'], y.seconds)} ({y.seconds:.1f} s)",
                  f"{loaded['seconds']:.1f} s (CSafeLoader alone)", y.seconds / loaded["seconds"], "report", None,
                  (y, loaded_run))

    # a short thread in a store of a million events, vs the same thread alone
    big = sqlite_db("big")
    alone = sqlite_db("alone")
    small_gen = generate.ThreadGenerator("short-0000", size["small_thread"], seed=3)
    small_file = generated(generate.write_thread, small_gen, work / "short", "ndjson")
    long_files = generated(generate.write_parts, generate.ThreadGenerator("long-0000", size["big"], seed=4), work / "long", size["part"])
    t0 = time.perf_counter()
    peak = 0.0
    for f in long_files:
        peak = max(peak, ingest(big, f).rss_mb)
    ingest(big, small_file)
    ingest(alone, small_file)
    total = size["big"] + size["small_thread"]
    print(f"  (big store: {total:,} events ingested in {time.perf_counter() - t0:.0f} s, peak RSS {peak:,.0f} MB)")
    last = thread_dates(alone, "short-0000")[-1][1]
    q = ["state", "short-0000", "--as-of", last, "--json"]
    in_big = cold([NEGOTRACK, *q[:1], "--db", big, *q[1:]])
    on_own = cold([NEGOTRACK, *q[:1], "--db", alone, *q[1:]])
    ratio = in_big.seconds / on_own.seconds
    t.add(f"state, {size['small_thread']:,}-event thread in a {total:,}-event store, cold", ms(in_big.seconds),
          ms(on_own.seconds) + " (thread alone)", ratio, "<= 0.6 s, <= 1.2x", in_big.seconds <= 0.6 and ratio <= 1.2,
          (in_big, on_own))

    # export of the long thread
    out_file = work / "long-export.ndjson"
    ex = run([NEGOTRACK, "export", "--db", big, "long-0000", "--format", "ndjson", "-o", str(out_file)])
    base, base_run = probe("export-baseline", big, "long-0000", str(work / "long-baseline.ndjson"))
    t.add(f"export {size['big']:,} events (NDJSON), peak RSS", f"{ex.rss_mb:,.0f} MB ({ex.seconds:.0f} s)",
          f"{base_run.rss_mb:,.0f} MB ({base['seconds']:.0f} s, rows as lines)", ex.rss_mb / base_run.rss_mb,
          "<= 300 MB", ex.rss_mb <= 300)
    # every other format streams too: the same thread, beside the same baseline
    for fmt, suffix in (("json", "json"), ("yaml", "yaml"), ("csv", "csv"), ("plover", "jsonl"), ("timelinejs", "json")):
        target = work / f"long-export-{fmt}.{suffix}"
        r = run([NEGOTRACK, "export", "--db", big, "long-0000", "--format", fmt, "-o", str(target), "--force"])
        ours = f"{r.rss_mb:,.0f} MB ({r.seconds:.0f} s)" if r.code == 0 else f"failed: {r.stderr.strip()[:60]}"
        t.add(f"export {size['big']:,} events ({fmt}), peak RSS", ours,
              f"{base_run.rss_mb:,.0f} MB ({base['seconds']:.0f} s, rows as lines)", r.rss_mb / base_run.rss_mb,
              "<= 300 MB", r.code == 0 and r.rss_mb <= 300)

    # the HTML report of a generated thread
    bench_report(t, work, size["report"], sqlite_db("report"))


def bench_pg(t: Table, url: str, work: Path, size: dict[str, int]) -> None:
    import psycopg

    name = f"negotrack_bench_{os.getpid()}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        db = url.rsplit("/", 1)[0] + "/" + name

        def pg_db(_name: str) -> str:
            return db

        # one database: the baseline's table and negotrack's tables side by side
        for profile in PROFILES:
            pg_thread_db, thread = bench_ingest(t, work, size["ingest"], pg_db, "PostgreSQL: ", profile)
            dates = thread_dates(pg_thread_db, thread)
            shape = "" if profile == "project" else f"{profile} profile: "
            bench_first_state(t, pg_thread_db, thread, dates[-1][1], f"PostgreSQL: {shape}")
            bench_state(t, pg_thread_db, thread, dates, f"PostgreSQL: {shape}")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
