"""``negotrack demo``: the bundled seed timeline, ingested into a fresh store and told as a story."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from negotrack.errors import NotFound, UsageError

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


def story_dates(url: str, slug: str) -> list[str]:
    """The dates to show states at: the days the sources were published."""
    from negotrack import service

    dates = sorted({s["published"] for s in service.sources(url, slug) if s.get("published")})
    return dates or [service.today()]


def write_seed_report(url: str, slug: str, output: Path | None) -> str:
    """The thread's HTML report, in the current folder unless ``output`` says otherwise; its name as shown."""
    from negotrack.report import Request, write_report
    from negotrack.service import display_name

    path = output or Path(f"{slug}.html")
    write_report(url, Request(slug), path)
    return display_name(path)


def run_demo(db: str | None, echo: Callable[[str], None], report_path: Path | None = None) -> None:
    from negotrack import render, service
    from negotrack.store.config import display, resolve_db, sqlite_path

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
        report = service.ingest(url, [seeds])
        slugs = list(report.threads)
        for slug in slugs:
            counts = report.threads[slug]
            echo(render.style(f"== {slug}: {counts['events']} events ingested from {seeds.parent.name}/{seeds.name}", bold=True))
            echo("")
            echo(render.style("== How the story unfolded (negotrack replay)", bold=True))
            echo(render.replay_text(slug, service.replay_thread(url, service.Query(slug, service.today()))))
            dates = story_dates(url, slug)
            echo("")
            echo(render.style("== Issue status at each article's date (negotrack state --as-of)", bold=True))
            rows = []
            states = {d: service.state(url, service.Query(slug, d)) for d in dates}
            for key in states[dates[0]]["issues"]:
                rows.append([render.safe(key)] + [states[d]["issues"][key]["status"] for d in dates])
            echo(render.table(["issue", *dates], rows))
            first_issue = next(iter(states[dates[0]]["issues"]), None)
            if first_issue is not None and len(dates) > 1:
                echo("")
                echo(render.style(f"== {first_issue} as of {dates[0]}, the first article", bold=True))
                first = service.state(url, service.Query(slug, dates[0], issue=first_issue))
                echo(render.state_text(first, service.date_precisions(url, first)))
            echo("")
            echo(render.style(f"== Every issue as of {dates[-1]}, the last article", bold=True))
            echo(render.state_text(states[dates[-1]], service.date_precisions(url, states[dates[-1]])))
        echo("")
        for slug in slugs:
            written = write_seed_report(url, slug, report_path)
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
