"""``negotrack demo``: the bundled seed timeline, ingested into a fresh store and told as a story."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from negotrack.errors import NotFound, UsageError

if TYPE_CHECKING:
    from negotrack.store.store import Store

SEED_FILE = "ukraine-peace.yaml"


def find_seeds() -> Path:
    """The seed timeline: beside the package (a source checkout), or in ./seeds."""
    candidates = [
        Path(__file__).resolve().parent.parent / "seeds" / SEED_FILE,
        Path.cwd() / "seeds" / SEED_FILE,
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise NotFound(f"cannot find seeds/{SEED_FILE}: run the demo from a checkout of negotrack")


def story_dates(store: Store, slug: str) -> list[str]:
    """The dates to show states at: the days the sources were published."""
    from negotrack.app import queries

    dates = sorted({s["published"] for s in queries.sources(store, slug) if s.get("published")})
    return dates or [date.today().isoformat()]


def write_seed_report(store: Store, slug: str, output: Path | None) -> str:
    """The thread's HTML report, in the current folder unless ``output`` says otherwise; its name as shown."""
    from negotrack.app.inputs import display_name
    from negotrack.report import Request, write_report

    path = output or Path(f"{slug}.html")
    write_report(store, Request(slug), path)
    return display_name(path)


def run_demo(db: str | None, echo: Callable[[str], None], report_path: Path | None = None) -> None:
    from negotrack import render
    from negotrack.app import ingest, queries
    from negotrack.app.queries import Query
    from negotrack.store.config import display, resolve_db, sqlite_path
    from negotrack.store.store import Store

    seeds = find_seeds()
    tmp = None
    if db is None:
        tmp = tempfile.mkdtemp(prefix="negotrack-demo-")
        url = resolve_db(str(Path(tmp) / "demo.db"))
    else:
        url = resolve_db(db)
        path = sqlite_path(url)
        if path is not None and path.exists():
            raise UsageError(f"{display(url)} already exists: the demo needs a fresh store")
    try:
        store = Store(url)
        report = ingest.ingest(store, [seeds])
        today = date.today().isoformat()
        slugs = list(report.threads)
        for slug in slugs:
            counts = report.threads[slug]
            echo(render.style(f"== {slug}: {counts['events']} events ingested from {seeds.parent.name}/{seeds.name}", bold=True))
            echo("")
            echo(render.style("== How the story unfolded (negotrack replay)", bold=True))
            echo(render.replay_text(slug, queries.replay(store, Query(slug, today))))
            dates = story_dates(store, slug)
            echo("")
            echo(render.style("== Issue status at each article's date (negotrack state --as-of)", bold=True))
            rows = []
            states = {d: queries.state(store, Query(slug, d)) for d in dates}
            for key in states[dates[0]]["issues"]:
                rows.append([render.safe(key)] + [states[d]["issues"][key]["status"] for d in dates])
            echo(render.table(["issue", *dates], rows))
            first_issue = next(iter(states[dates[0]]["issues"]), None)
            if first_issue is not None and len(dates) > 1:
                echo("")
                echo(render.style(f"== {first_issue} as of {dates[0]}, the first article", bold=True))
                first = queries.state(store, Query(slug, dates[0], issue=first_issue))
                echo(render.state_text(first, queries.date_precisions(store, first)))
            echo("")
            echo(render.style(f"== Every issue as of {dates[-1]}, the last article", bold=True))
            echo(render.state_text(states[dates[-1]], queries.date_precisions(store, states[dates[-1]])))
        echo("")
        for slug in slugs:
            written = write_seed_report(store, slug, report_path)
            echo(f"The report of {slug}, to open in a browser (it needs no network): {written}")
        if tmp is None:
            echo(f"The store is {display(url)}: try `negotrack state {slugs[0]} --db {display(url)} --as-of 2025-04-16`.")
        else:
            echo(f"(a temporary store; `negotrack demo --db demo.db` keeps it, then try `negotrack state {slugs[0]} --db demo.db`)")
    finally:
        if tmp is not None:
            from negotrack.store.recorder import forget

            forget(url)
            shutil.rmtree(tmp, ignore_errors=True)
