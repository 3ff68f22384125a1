"""The scale case: a PostgreSQL store of many threads (10,000,000 events in 10,000 threads by default).

    python benchmarks/scale.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python benchmarks/scale.py --pg URL --events 1000000 --threads 1000     # a 1M version (~10 minutes)

Not part of CI (the default takes hours on 2 cores; it needs ~15 GB of disk for
PostgreSQL). It shows two things, each beside its baseline from the same run:

- ingest throughput does not fall as the store grows: the threads are ingested
  ``--batch`` threads per ``negotrack ingest`` command (one transaction each),
  and the rate of each batch is printed against the store's size before it;
  the summary compares the batches around 1M events and at the end with the
  first ones;
- a 1,000-event thread's cold ``state --json`` in the full store is within 20%
  of the same thread in a store holding only that thread (median of 5 fresh
  processes each, after one first query in each store).

Each batch line gives the wall time, the client's CPU time and, when the
server runs on this machine, the CPU time its processes spent meanwhile: on a
shared machine the wall time also counts other programs' turns, so the summary
compares wall and client CPU. ``--max-seconds`` stops the ingest early and
measures the queries on the store as it is then. ``--reuse NAME --more-batches
K`` ingests K more batches into a kept store and K into an empty one, taking
turns, and compares a batch's wall, client and server CPU time in the two:
the store's size at its most against none.

Every thread is the benchmark generator's project shape (``generate.py``) with
few, short sources, so that the store is events, not archived texts. A scratch
database is made and dropped (``--keep`` keeps it; ``--reuse NAME`` measures the
queries on a store kept from an earlier run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import NEGOTRACK, cold, compile_package, run, thread_dates  # noqa: E402


def thread_gen(n: int, events: int) -> generate.ThreadGenerator:
    return generate.ThreadGenerator(f"t-{n:05d}", events, seed=n, n_sources=4, source_chars=2_000)


def write_batch(work: Path, first: int, count: int, events: int) -> list[Path]:
    shutil.rmtree(work, ignore_errors=True)
    return [generate.write_thread(thread_gen(n, events), work, "ndjson") for n in range(first, first + count)]


def server_cpu() -> float | None:
    """CPU seconds used so far by this machine's PostgreSQL processes (a local server; None elsewhere).

    The client's CPU time leaves out what the server spends inserting and
    indexing the rows, which is what would grow with the store's size.
    """
    total, found = 0, False
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        try:
            with open(f"/proc/{pid}/stat") as f:
                name, rest = f.read().rsplit(")", 1)
        except OSError:
            continue
        if name.endswith("(postgres"):
            fields = rest.split()
            total += sum(int(x) for x in fields[11:15])  # utime, stime and their waited-for children's
            found = True
    return total / os.sysconf("SC_CLK_TCK") if found else None


def ingest_batch(db: str, files: list[Path]) -> tuple[Any, float | None]:
    """One ``negotrack ingest`` of the batch: its run, and the server's CPU seconds meanwhile (or None)."""
    before = server_cpu()
    r = run([NEGOTRACK, "ingest", "--db", db, *map(str, files)])
    after = server_cpu()
    return r, (after - before) if before is not None and after is not None else None


def describe(n: int, r: Any, server: float | None) -> str:
    return (f"{n / r.seconds:>8,.0f} ev/s ({r.seconds:.1f} s, client CPU {r.cpu:.1f} s, server CPU "
            f"{'-' if server is None else f'{server:.1f} s'}, peak RSS {r.rss_mb:,.0f} MB; load {os.getloadavg()[0]:.1f})")


def more_batches(big: str, fresh: str, work: Path, count: int, batch: int, per_thread: int) -> None:
    """``count`` more batches into the kept store and as many into an empty one, taking turns."""
    with_big, with_fresh = [], []
    base = 1_000_000 + (os.getpid() % 1_000) * 10_000  # thread numbers no earlier run took
    for k in range(count):
        for db, into, first in ((big, with_big, base + 2 * k * batch), (fresh, with_fresh, base + (2 * k + 1) * batch)):
            r, server = ingest_batch(db, write_batch(work / "batch", first, batch, per_thread))
            into.append((r.seconds, r.cpu, server))
            print(f"  {'kept store' if db == big else 'empty store'}: {describe(batch * per_thread, r, server)}", flush=True)
    for i, what in ((0, "wall"), (1, "client CPU"), (2, "server CPU")):
        if None in (x[i] for x in with_big + with_fresh):
            continue
        a, b = statistics.median(x[i] for x in with_big), statistics.median(x[i] for x in with_fresh)
        print(f"a batch's {what}: {a:.1f} s into the kept store, {b:.1f} s into an empty one: {a / b:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description="negotrack at scale on PostgreSQL")
    parser.add_argument("--pg", required=True, help="a PostgreSQL URL (postgresql+psycopg://...); a scratch database is made")
    parser.add_argument("--events", type=int, default=10_000_000, help="events in the whole store")
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100, help="threads per ingest command")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop ingesting after this long, then measure the queries on the store as it is")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument("--reuse", default=None, help="measure the queries on this database, kept from an earlier run")
    parser.add_argument("--more-batches", type=int, default=0, metavar="K",
                        help="with --reuse: first ingest K more batches into it and K into an empty store, taking turns")
    args = parser.parse_args()
    compile_package()
    import psycopg

    per_thread = args.events // args.threads
    admin = args.pg.replace("postgresql+psycopg://", "postgresql://")
    base = args.pg.rsplit("/", 1)[0]
    name = args.reuse or f"negotrack_scale_{os.getpid()}"
    alone_name = f"negotrack_scale_alone_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="negotrack-scale-"))
    made = [alone_name] + ([] if args.reuse else [name])
    with psycopg.connect(admin, autocommit=True) as conn:
        for db in made:
            conn.execute(f'CREATE DATABASE "{db}"')
    big, alone = f"{base}/{name}", f"{base}/{alone_name}"
    print(f"negotrack at scale: {args.events:,} events in {args.threads:,} threads of {per_thread:,}, on {base}/{name}",
          flush=True)
    try:
        rates: list[tuple[int, float, float]] = []  # (events stored before the batch, ev/s, ev per CPU second of the client)
        if not args.reuse:
            stored = 0
            t_all = time.perf_counter()
            for first in range(0, args.threads, args.batch):
                if args.max_seconds is not None and time.perf_counter() - t_all > args.max_seconds:
                    print(f"  stopped after {args.max_seconds:,.0f} s (--max-seconds): the queries run on {stored:,} events")
                    break
                count = min(args.batch, args.threads - first)
                files = write_batch(work / "batch", first, count, per_thread)
                r, server = ingest_batch(big, files)
                n = count * per_thread
                rates.append((stored, n / r.seconds, n / r.cpu))
                stored += n
                print(f"  {stored:>12,} events stored: this batch {describe(n, r, server)}", flush=True)
            print(f"  ingested {stored:,} events in {time.perf_counter() - t_all:,.0f} s")

        elif args.more_batches:
            more_batches(big, alone, work, args.more_batches, args.batch, per_thread)
            with psycopg.connect(admin, autocommit=True) as conn:  # the query's store of its own starts empty
                conn.execute(f'DROP DATABASE "{alone_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{alone_name}"')

        # the query: thread 0 in the full store, and the same thread alone in a store of its own
        files = write_batch(work / "alone", 0, 1, per_thread)
        run([NEGOTRACK, "ingest", "--db", alone, str(files[0])])
        last = thread_dates(alone, "t-00000")[-1][1]
        q = ["state", "t-00000", "--as-of", last, "--json"]
        for db in (big, alone):
            run([NEGOTRACK, q[0], "--db", db, *q[1:]])  # a first query (checkpoints, if ingest left none)
        in_big = cold([NEGOTRACK, q[0], "--db", big, *q[1:]])
        on_own = cold([NEGOTRACK, q[0], "--db", alone, *q[1:]])

        print()
        ratio = in_big.seconds / on_own.seconds
        print(f"cold state --json of a {per_thread:,}-event thread: {in_big.seconds * 1000:,.0f} ms in the "
              f"{stored if rates else args.events:,}-event store, {on_own.seconds * 1000:,.0f} ms alone: {ratio:.2f}x "
              f"(target <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'})")
        if rates:
            # Wall time on a shared machine counts the other programs' turns; the client's CPU per event
            # does not, so both are printed (the server's share is in the wall time only).
            k = max(1, len(rates) // 10)
            marks = sorted({m for m in (1_000_000, stored) if m <= stored})  # near 1M, and at the end
            for i, what in ((1, "ev/s"), (2, "ev per client CPU second")):
                first_rate = statistics.median(r[i] for r in rates[:k])
                for mark in marks:
                    near = [r[i] for r in rates if r[0] < mark][-k:]
                    rate = statistics.median(near)
                    print(f"ingest throughput with ~{mark:,} events stored: {rate:,.0f} {what}; with the first batches "
                          f"{first_rate:,.0f}: {rate / first_rate:.2f}x (target: not falling, >= 0.9x: "
                          f"{'met' if rate / first_rate >= 0.9 else 'NOT met'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                for db in made:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
