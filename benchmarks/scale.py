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

Each batch line gives the wall time and the client's CPU time: on a shared
machine the wall time also counts other programs' turns, so the summary
compares both (the server's share is in the wall time only). ``--max-seconds``
stops the ingest early and measures the queries on the store as it is then.

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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import NEGOTRACK, cold, compile_package, run, thread_dates  # noqa: E402


def thread_gen(n: int, events: int) -> generate.ThreadGenerator:
    return generate.ThreadGenerator(f"t-{n:05d}", events, seed=n, n_sources=4, source_chars=2_000)


def write_batch(work: Path, first: int, count: int, events: int) -> list[Path]:
    shutil.rmtree(work, ignore_errors=True)
    return [generate.write_thread(thread_gen(n, events), work, "ndjson") for n in range(first, first + count)]


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
                r = run([NEGOTRACK, "ingest", "--db", big, *map(str, files)])
                n = count * per_thread
                rates.append((stored, n / r.seconds, n / r.cpu))
                stored += n
                print(f"  {stored:>12,} events stored: this batch {n / r.seconds:>8,.0f} ev/s ({r.seconds:.1f} s,"
                      f" client CPU {r.cpu:.1f} s, peak RSS {r.rss_mb:,.0f} MB; load {os.getloadavg()[0]:.1f})", flush=True)
            print(f"  ingested {stored:,} events in {time.perf_counter() - t_all:,.0f} s")

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
