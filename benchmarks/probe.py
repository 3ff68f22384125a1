"""One measurement in a process of its own, so its peak RSS is its own; prints one JSON line.

    python benchmarks/probe.py ingest-baseline FILE DB_URL     sqlite3/psycopg executemany of the events as JSON rows
    python benchmarks/probe.py ingest-copy FILE DB_URL         the same rows through PostgreSQL's COPY (psycopg)
    python benchmarks/probe.py state-stages DB_URL THREAD DATE  a cold state --json, stage by stage (fresh process)
    python benchmarks/probe.py state-warm DB_URL THREAD DATE   negotrack's in-process state: first call, then warm calls
    python benchmarks/probe.py state-naive DB_URL THREAD DATE  select the thread's rows up to DATE, decode, fold from scratch
    python benchmarks/probe.py export-baseline DB_URL THREAD OUT  stream the thread's rows out as JSON lines
    python benchmarks/probe.py yaml-load FILE                   PyYAML's C loader alone reading the file

The baselines use the DBAPI driver directly (no SQLAlchemy, no eventsourcing):
what the same work costs with nothing of negotrack's design in the way.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from typing import Any

WARM_RUNS = 5


def _connect(url: str) -> tuple[Any, str]:
    """A DBAPI connection and its placeholder, from a negotrack --db URL."""
    if url.startswith("sqlite"):
        import sqlite3

        return sqlite3.connect(url.split(":///", 1)[1]), "?"
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")), "%s"


def ingest_baseline(path: str, url: str) -> dict[str, Any]:
    """Read an NDJSON timeline and insert its events as JSON rows into one indexed table."""
    t0 = time.perf_counter()
    conn, p = _connect(url)
    cur = conn.cursor()
    _create_baseline(cur)
    rows = _baseline_rows(path)
    cur.executemany(f"INSERT INTO baseline_events VALUES ({p}, {p}, {p}, {p}, {p})", rows)
    conn.commit()
    seconds = time.perf_counter() - t0
    _drop_baseline(conn)
    return {"seconds": seconds, "events": len(rows)}


def _create_baseline(cur: Any) -> None:
    """The baseline's one indexed table of events as JSON rows."""
    cur.execute("DROP TABLE IF EXISTS baseline_events")
    cur.execute("CREATE TABLE baseline_events (thread TEXT, id TEXT, date TEXT, seq INTEGER, body TEXT, PRIMARY KEY (thread, id))")
    cur.execute("CREATE INDEX baseline_by_date ON baseline_events (thread, date, seq)")


def _drop_baseline(conn: Any) -> None:
    """Leave nothing behind: negotrack refuses to make its store in a database holding other tables."""
    conn.cursor().execute("DROP TABLE IF EXISTS baseline_events")
    conn.commit()
    conn.close()


def _baseline_rows(path: str) -> list[tuple[Any, ...]]:
    with open(path, encoding="utf-8") as f:
        header = json.loads(f.readline())
        thread = header["thread"]["id"]
        rows = []
        for seq, line in enumerate(f, 1):
            event = json.loads(line)
            rows.append((thread, event["id"], event.get("date"), seq, line.rstrip("\n")))
    return rows


def ingest_copy(path: str, url: str) -> dict[str, Any]:
    """The baseline's rows, read the same way, written with COPY instead of executemany (PostgreSQL)."""
    t0 = time.perf_counter()
    conn, _ = _connect(url)
    cur = conn.cursor()
    _create_baseline(cur)
    rows = _baseline_rows(path)
    with cur.copy("COPY baseline_events (thread, id, date, seq, body) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.commit()
    seconds = time.perf_counter() - t0
    _drop_baseline(conn)
    return {"seconds": seconds, "events": len(rows)}


def state_stages(url: str, thread: str, as_of: str) -> dict[str, Any]:
    """What a cold ``state --json`` spends, stage by stage, in a process of its own.

    The same steps as the command, timed one by one: the imports the command
    makes, opening the store (engine, connection, the thread's row and its
    declared issues), loading the latest checkpoint on or before the date,
    folding the events after it, and encoding the document as the command
    prints it.  Add the interpreter's own start (``python -c pass``) for the
    whole.  Folding here saves no checkpoints.  Each stage is CPU time
    (user+sys of this process): the machine is shared, and wall time counts
    the other processes' turns too.
    """
    clock = time.process_time
    t0 = clock()
    from sqlalchemy import and_, select

    from negotrack import cli, render  # noqa: F401 - what the command imports
    from negotrack.app import queries
    from negotrack.domain.state import Fold
    from negotrack.speedups import loads
    from negotrack.domain.state import select as in_view
    from negotrack.store import checkpoints, readmodel
    from negotrack.store.db import rm_checkpoints
    from negotrack.store.store import Store

    t_imports = clock()
    gc.disable()  # as the command does while it folds
    store = Store.open(url)
    with store.db.transaction() as conn:
        store.require_thread(conn, thread)
        declared = readmodel.declared_issues(conn, thread)
        t_open = clock()
        row = conn.execute(
            select(rm_checkpoints.c.date, rm_checkpoints.c.events, rm_checkpoints.c.body)
            .where(and_(rm_checkpoints.c.thread == thread, rm_checkpoints.c.date <= as_of))
            .order_by(rm_checkpoints.c.date.desc())
            .limit(1)
        ).first()
        data = loads(row.body) if row is not None else None
        if data is not None and data.get("format") == checkpoints.FORMAT:
            fold, start, in_checkpoint = Fold.load(data, declared), row.date, row.events
        else:
            fold, start, in_checkpoint = Fold.start(declared), None, 0
        t_load = clock()
        events = in_view(readmodel.records(conn, thread, as_of=as_of, since=start), as_of)
        for r in events:
            fold.apply(r)
        t_fold = clock()
    issues = fold.view(None, copy=False)
    text = render.to_json(queries.state_document(queries.Query(thread, as_of), issues))
    t_encode = clock()
    gc.enable()
    return {
        "imports": t_imports - t0,
        "open": t_open - t_imports,
        "checkpoint": t_load - t_open,
        "fold": t_fold - t_load,
        "encode": t_encode - t_fold,
        "in_checkpoint": in_checkpoint,
        "folded": len(events),
        "items": sum(len(i["items"]) for i in issues.values()),
        "chars": len(text),
    }


def state_warm(url: str, thread: str, as_of: str) -> dict[str, Any]:
    from negotrack.app import queries
    from negotrack.store.store import Store

    q = queries.Query(thread, as_of)
    t0 = time.perf_counter()
    queries.state(Store.open(url), q)
    first = time.perf_counter() - t0
    runs = []
    for _ in range(WARM_RUNS):
        t0 = time.perf_counter()
        queries.state(Store.open(url), q)
        runs.append(time.perf_counter() - t0)
    return {"first": first, "seconds": statistics.median(runs)}


def state_naive(url: str, thread: str, as_of: str) -> dict[str, Any]:
    """Select the thread's rows up to the date, decode them, fold them all (the fold of §5, no checkpoint)."""
    from negotrack.domain.state import Fold, IssueInfo, Rec, select

    runs = []
    conn, p = _connect(url)
    for _ in range(WARM_RUNS):
        gc.disable()  # as negotrack's own fold does: the same footing
        t0 = time.perf_counter()
        cur = conn.cursor()
        cur.execute(f"SELECT key, body FROM rm_declarations WHERE thread = {p} AND kind = 'issue' ORDER BY seq", (thread,))
        declared = {k: IssueInfo(**{f: v for f, v in json.loads(b).items() if f in ("title", "proposition")}) for k, b in cur}
        cur.execute(
            "SELECT event_id, type, date, seq, recorded_at, party, body FROM rm_events "
            f"WHERE thread = {p} AND (date <= {p} OR date IS NULL)",
            (thread, as_of),
        )
        recs = [Rec(i, t, d, s, r, pa, json.loads(b)) for i, t, d, s, r, pa, b in cur]
        fold = Fold.start(declared)
        for r in select(recs, as_of):
            fold.apply(r)
        fold.view()
        conn.rollback()
        runs.append(time.perf_counter() - t0)
        gc.enable()
    return {"seconds": statistics.median(runs), "events": len(recs)}


def export_baseline(url: str, thread: str, out: str) -> dict[str, Any]:
    """Stream the thread's rows out of the read model, one JSON line each."""
    t0 = time.perf_counter()
    conn, p = _connect(url)
    cur = conn.cursor()
    cur.execute(f"SELECT body FROM rm_events WHERE thread = {p} ORDER BY seq", (thread,))
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        while rows := cur.fetchmany(1000):
            for (body,) in rows:
                f.write(body + "\n")
                n += 1
    conn.close()
    return {"seconds": time.perf_counter() - t0, "events": n}


def yaml_load(path: str) -> dict[str, Any]:
    import yaml

    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader
    return {"seconds": time.perf_counter() - t0, "events": len(doc["events"])}


def main() -> None:
    what, *args = sys.argv[1:]
    out = {
        "ingest-baseline": ingest_baseline,
        "ingest-copy": ingest_copy,
        "state-stages": state_stages,
        "state-warm": state_warm,
        "state-naive": state_naive,
        "yaml-load": yaml_load,
        "export-baseline": export_baseline,
    }[what](*args)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
