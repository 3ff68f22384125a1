"""The negotrack command line: thin click commands over the use cases of :mod:`negotrack.app`.

Exit codes: 0 ok, 1 a check failed (or the store is unusable), 2 bad input
or usage.  No traceback reaches a user: every error becomes an ``Error:``
block.  Heavy modules (SQLAlchemy, eventsourcing, pydantic) are imported
inside the commands that need them, so ``negotrack --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from negotrack import __version__, conventions
from negotrack.errors import InputRejected, NegotrackError


def _error_text(e: BaseException) -> tuple[str, int]:
    if isinstance(e, InputRejected):
        from negotrack.render import safe

        n = len(e.problems)
        lines = [f"Error: the input was refused and nothing was written ({n} problem{'s' if n != 1 else ''}):"]
        lines += [f"  {safe(str(p))}" for p in e.problems]
        return "\n".join(lines), 2
    if isinstance(e, NegotrackError):
        from negotrack.render import safe

        return f"Error: {safe(str(e))}", e.exit_code
    return "", 0


class Group(conventions.Group):
    """Turns every error into an ``Error:`` block and an exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except NegotrackError as e:
            text, code = _error_text(e)
            click.echo(_scrub(text), err=True)
            ctx.exit(code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as e:  # a bug or an unusable store: say what, not where
            text = _unexpected(e)
            click.echo(_scrub(text), err=True)
            ctx.exit(1)


def _scrub(text: str) -> str:
    """No message shows a store's password (see ``store.config.scrub``)."""
    from negotrack.store.config import scrub

    return scrub(text)


def _unexpected(e: Exception) -> str:
    from negotrack.render import safe

    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover
        DBAPIError = SQLAlchemyError = ()  # type: ignore[misc,assignment]  # noqa: N806
    if isinstance(e, DBAPIError):
        reason = str(getattr(e, "orig", e)).strip().splitlines()[0]
        lost = " (the connection to the store was lost; nothing of this command was written)" if e.connection_invalidated else ""
        return f"Error: the store failed: {safe(reason)}{lost}"
    if isinstance(e, SQLAlchemyError):
        return f"Error: the store failed: {safe(str(e).splitlines()[0])}"
    if isinstance(e, OSError):
        return f"Error: {safe(e.strerror or str(e))}" + (f": {safe(e.filename)}" if e.filename else "")
    return f"Error: internal error ({type(e).__name__}: {safe(str(e))}); please report it"


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        envvar="NEGOTRACK_DB",
        default=None,
        metavar="PATH|URL",
        help="The store: an SQLite file or an SQLAlchemy URL [env NEGOTRACK_DB; default ./negotrack.db].",
    )(f)


def _url(db: str | None) -> str:
    from negotrack.store.config import resolve_db

    return resolve_db(db)


def _store(db: str | None, *, create: bool = False) -> Any:
    """The store a command works on (``--db``); NotFound unless it exists or ``create``."""
    from negotrack.store.store import Store

    url = _url(db)
    return Store(url) if create else Store.open(url)


def _param_name(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return param.opts[0]
    return param.human_readable_name if param is not None else "value"


class Day(click.ParamType):
    """A date given as YYYY-MM-DD, as ISO text; refused with ``Error: --OPTION: 'x' is not a date (YYYY-MM-DD)``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from negotrack.domain.instants import InstantError, parse_day
        from negotrack.errors import UsageError

        try:
            return parse_day(value)
        except InstantError as e:
            raise UsageError(f"{_param_name(param)}: {e}") from None


class KnownAt(click.ParamType):
    """What was known when: a date (the end of that day, UTC) or an ISO 8601 instant, as a datetime."""

    name = "instant"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from negotrack.domain.instants import InstantError, parse_known_at
        from negotrack.errors import UsageError

        if not isinstance(value, str):
            return value
        try:
            return parse_known_at(value)
        except InstantError as e:
            raise UsageError(f"{_param_name(param)}: {e}") from None


DAY = Day()
KNOWN_AT = KnownAt()


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


def _echo(text: str) -> None:
    """Print a command's output: text is wrapped to the terminal's width (see :mod:`negotrack.terminal`), JSON is not."""
    from negotrack.render import JSONText
    from negotrack.terminal import fit

    click.echo(text if isinstance(text, JSONText) else fit(text), color=None)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="negotrack")
def cli() -> None:
    """Follow negotiations through the statements reported in the news.

    Each reported statement is an immutable event on a negotiation thread, kept
    with its source and verbatim quote. Ask what the state of an issue was as of
    any date, what was known at any moment, and what changed.
    """


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def sources_root_option(f: Any) -> Any:
    return click.option(
        "--sources-root",
        "sources_root",
        multiple=True,
        metavar="DIR",
        help="A folder the files a timeline names (source paths, includes) may also lie in; "
        "by default only the folder of the file naming them [env NEGOTRACK_SOURCES_ROOT].",
    )(f)


def _allowed(sources_root: tuple[str, ...]) -> Any:
    from negotrack.timeline.paths import Allowed

    return Allowed.named(sources_root)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--thread", "thread_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="For FILE.csv: the timeline file declaring its thread [default: FILE.thread.yaml beside it].",
)
@click.option(
    "--check", "check_only", is_flag=True,
    help="Check FILES as ingest does (against the store, if there is one) and say what would be recorded; "
    "write nothing.",
)
@sources_root_option
@db_option
def ingest(
    files: tuple[Path, ...], thread_file: Path | None, check_only: bool, sources_root: tuple[str, ...], db: str | None
) -> None:
    """Check timeline FILES (or CSV files of events) and record their events, all or nothing.

    Every file is checked whole before anything is written; any problem refuses
    the whole input (exit 2). Events already in the store are skipped. With
    --check, nothing is written (no store is created): the same checks, and
    what would be recorded, per thread.
    """
    if check_only:
        from negotrack.app.ingest_check import check_ingest
        from negotrack.render import report_lines
        from negotrack.store.config import display
        from negotrack.store.store import Store

        url = _url(db)
        checked = check_ingest(Store(url), list(files), thread_file=thread_file, allowed=_allowed(sources_root))
        _warn(checked.warnings)
        _echo("\n".join(report_lines(checked, display(url))))
        return
    from negotrack.app.ingest import ingest as run_ingest
    from negotrack.store.config import display

    store = _store(db, create=True)
    url = store.url
    report = run_ingest(store, list(files), thread_file=thread_file, allowed=_allowed(sources_root))
    _warn(report.warnings)
    for slug, counts in report.threads.items():
        parts = [f"{counts['events']} new event{'s' if counts['events'] != 1 else ''}"]
        if counts["declarations"]:
            parts.append(f"{counts['declarations']} declaration{'s' if counts['declarations'] != 1 else ''}")
        if counts["skipped"]:
            parts.append(f"{counts['skipped']} already in the store")
        _echo(f"{slug}: {', '.join(parts)}")
    if report.written == 0:
        _echo(f"Nothing to write: the store {display(url)} already has all of it.")
    else:
        _echo(f"Recorded in {display(url)}.")


def _warn(warnings: list[Any]) -> None:
    """Warnings go to standard error: what was recorded all the same, and should be looked at."""
    from negotrack.render import safe

    for w in warnings:
        click.echo(f"warning: {safe(str(w))}", err=True)


@cli.command()
@db_option
def init(db: str | None) -> None:
    """Create the store's tables (they are also created on first ingest)."""
    from negotrack.store.config import display
    from negotrack.store.recorder import database_for

    url = _url(db)
    created = database_for(url).create()
    _echo(f"{'Created' if created else 'Already initialised:'} {display(url)}")


@cli.command()
@db_option
def verify(db: str | None) -> None:
    """Check the store: every event decodes, versions run 1..n, the read model matches the events.

    Prints what is wrong and exits 1, or prints a short summary and exits 0.
    """
    from negotrack.app.maintenance import verify as run_verify
    from negotrack.render import safe
    from negotrack.store.config import display

    store = _store(db)
    url = store.url
    report = run_verify(store)
    problems = report["problems"]
    if problems:
        for problem in problems:
            click.echo(f"problem: {safe(problem)}", err=True)
        total = len(problems) + report["unlisted"]
        more = f" (the first {len(problems)} listed)" if report["unlisted"] else ""
        click.echo(f"Error: {display(url)}: {total} problem{'s' if total != 1 else ''} found{more}", err=True)
        sys.exit(1)
    _echo(
        f"ok: {display(url)}: {report['threads']} thread{'s' if report['threads'] != 1 else ''}, "
        f"{report['events']} stored events ({report['statements']} statements), "
        f"{report['snapshots']} snapshot{'s' if report['snapshots'] != 1 else ''}; the read model matches the events"
    )


@cli.command()
@db_option
def rebuild(db: str | None) -> None:
    """Write the read model again from the stored events (one transaction: all or nothing)."""
    from negotrack.app.maintenance import rebuild as run_rebuild
    from negotrack.store.config import display

    store = _store(db)
    url = store.url
    counts = run_rebuild(store)
    for slug, n in counts.items():
        _echo(f"{slug}: {n} event{'s' if n != 1 else ''}")
    _echo(f"Rebuilt the read model of {display(url)} from its events.")


def _export_formats() -> list[str]:
    from negotrack.timeline.formats import NAMES

    return list(NAMES)


@cli.command()
@click.argument("thread")
@click.option(
    "--format", "fmt", type=click.Choice(_export_formats()), default=None,
    help="The format [default: from -o FILE's suffix, else yaml]: yaml, json, ndjson (timeline files), "
    "csv, plover (JSONL), timelinejs.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None,
    help="Write to FILE (archived source texts go to FILE's folder) [default: standard output].",
)
@click.option("--force", is_flag=True, help="Replace FILE (and its companion files) if they exist.")
@db_option
def export(thread: str, fmt: str | None, output: Path | None, force: bool, db: str | None) -> None:
    """Write THREAD's declarations and events, read from its stored events, as a file another tool reads.

    yaml, json and ndjson are timeline files that ingest into another store; csv
    ingests back too (with the NAME.thread.yaml written beside it). Events keep
    their valid time (date), not their record time. FILE is written whole or not
    at all, never through a symbolic link, and never over an existing file
    unless --force is given.
    """
    from negotrack.app.export import export as run_export

    report = run_export(_store(db), thread, fmt, output, sys.stdout, force=force)
    if output is not None:
        n, k = report.events, len(report.sources_written)
        texts = f", and {k} source text{'s' if k != 1 else ''} beside it" if k else ""
        decl = "".join(f", with its declarations in {name}" for name in report.siblings_written)
        click.echo(f"{thread}: {n} event{'s' if n != 1 else ''} written to {output}{decl}{texts}", err=True)
    elif report.sources_not_written:
        k = report.sources_not_written
        click.echo(
            f"note: {k} archived source text{'s are' if k != 1 else ' is'} not written to standard output; "
            "give -o FILE to write them beside the file",
            err=True,
        )


# ---------------------------------------------------------------------------
# queries
# ---------------------------------------------------------------------------


def _query(thread: str, as_of: str | None, known_at: Any, issue: str | None) -> Any:
    from negotrack.app.queries import Query

    return Query(thread, as_of or _today(), known_at, issue)


@cli.command()
@click.argument("thread")
@click.option("--as-of", "as_of", type=DAY, metavar="DATE", help="Valid time: the state as of this date [default: today].")
@click.option("--known-at", "known_at", type=KNOWN_AT, metavar="DATE|INSTANT", help="Record time: only what was recorded by then.")
@click.option("--issue", metavar="ISSUE", help="Only this issue.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of contract §5 (the same as --format json).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default=None,
    help="text [default], json (contract §5) or csv (one row per stance, item or agreement).",
)
@db_option
def state(
    thread: str, as_of: str | None, known_at: Any, issue: str | None, as_json: bool, fmt: str | None,
    db: str | None,
) -> None:
    """The state of THREAD's issues as of a date: stances, items and their answers."""
    from negotrack import render
    from negotrack.app import queries

    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json contradicts --format {fmt}")
    fmt = "json" if as_json else (fmt or "text")
    store = _store(db)
    doc = queries.state(store, _query(thread, as_of, known_at, issue))
    if fmt == "csv":
        from negotrack.timeline.csvfile import state_csv

        click.echo(state_csv(doc), nl=False)
    else:
        _echo(render.to_json(doc) if fmt == "json" else render.state_text(doc, queries.date_precisions(store, doc)))


@cli.command()
@click.argument("thread")
@click.option("--issue", metavar="ISSUE", help="Only events touching this issue.")
@click.option("--party", metavar="PARTY", help="Only events by this party (or actor).")
@click.option("--from", "start", type=DAY, metavar="DATE", help="Only events on or after this date.")
@click.option("--to", "end", type=DAY, metavar="DATE", help="Only events on or before this date.")
@click.option("--known-at", "known_at", type=KNOWN_AT, metavar="DATE|INSTANT", help="Only what was recorded by then.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def timeline(
    thread: str,
    issue: str | None,
    party: str | None,
    start: str | None,
    end: str | None,
    known_at: Any,
    as_json: bool,
    db: str | None,
) -> None:
    """THREAD's events in date order, with their sources and quotes."""
    from negotrack import render
    from negotrack.app import queries

    rows = queries.timeline(_store(db), thread, issue=issue, party=party, start=start, end=end, known_at=known_at)
    if as_json:
        for row in rows:
            row.pop("body")
        _echo(render.to_json({"thread": thread, "events": rows}))
    else:
        _echo(render.timeline_text(thread, rows))


@cli.command()
@click.argument("thread")
@click.option("--issue", metavar="ISSUE", help="Only steps that change this issue.")
@click.option("--until", type=DAY, metavar="DATE", help="Stop after this date [default: today].")
@click.option("--known-at", "known_at", type=KNOWN_AT, metavar="DATE|INSTANT", help="Only what was recorded by then.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: each step's event and its changes (as diff --json).")
@db_option
def replay(thread: str, issue: str | None, until: str | None, known_at: Any, as_json: bool, db: str | None) -> None:
    """Step through THREAD's events in date order, showing what each one changed."""
    from negotrack import render
    from negotrack.app import queries

    q = _query(thread, until, known_at, issue)
    steps = queries.replay(_store(db), q)
    if as_json:
        head = {"thread": thread, "until": q.as_of, "known_at": queries.iso_instant(q.known_at), "issue": issue}
        _echo(render.to_json(render.replay_document(head, steps)))
    else:
        _echo(render.replay_text(thread, steps))


@cli.command()
@click.argument("thread")
@click.argument("start", metavar="FROM", type=DAY)
@click.argument("end", metavar="TO", type=DAY)
@click.option("--issue", metavar="ISSUE", help="Only this issue.")
@click.option("--known-at", "known_at", type=KNOWN_AT, metavar="DATE|INSTANT", help="Only what was recorded by then.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def diff(
    thread: str, start: str, end: str, issue: str | None, known_at: Any, as_json: bool, db: str | None
) -> None:
    """What changed in THREAD between the dates FROM and TO."""
    from negotrack import render
    from negotrack.app import queries

    doc = queries.diff(_store(db), _query(thread, end, known_at, issue), start)
    _echo(render.to_json(doc) if as_json else render.diff_text(doc))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def threads(as_json: bool, db: str | None) -> None:
    """Each thread with its parties, issues, event count and date span."""
    from negotrack import render
    from negotrack.app import queries

    rows = queries.threads(_store(db))
    _echo(render.to_json(rows) if as_json else render.threads_text(rows))


@cli.command()
@click.argument("thread")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def show(thread: str, as_json: bool, db: str | None) -> None:
    """THREAD's parties with their actors and roles, its issues with their propositions, its sources with their grades."""
    from negotrack import render
    from negotrack.app.show import show as show_thread

    doc = show_thread(_store(db), thread)
    _echo(render.to_json(doc) if as_json else render.show_text(doc))


@cli.command()
@click.argument("text")
@click.option("--thread", metavar="THREAD", help="Only this thread's events.")
@click.option("--limit", type=click.IntRange(min=0), default=50, metavar="N", help="Show at most N events (0: all) [default: 50].")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (each match with the offsets of its matching words).")
@db_option
def search(text: str, thread: str | None, limit: int, as_json: bool, db: str | None) -> None:
    """The events whose summary or quotes hold every word of TEXT, in date order, the matching words marked.

    A word is a run of letters and digits, compared without case or accents;
    each word of TEXT matches the words that begin with it ("guarantee" finds
    "guarantees"). The matching words are in colour on a terminal, else
    between ** (see --color). SQLite and PostgreSQL stores give the same results.
    """
    from negotrack import render
    from negotrack.app.search import search as find

    doc = find(_store(db), text, thread, limit)
    _echo(render.to_json(doc) if as_json else render.search_text(doc, _colour()))


def _colour() -> bool:
    """Whether this command's output is coloured (--color, NO_COLOR, a terminal), as click.echo decides it."""
    color = click.get_current_context().color
    if color is not None:
        return color
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@cli.group(cls=Group)
def sources() -> None:
    """The sources archived in the store."""


@sources.command("list")
@click.argument("thread", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def sources_list(thread: str | None, as_json: bool, db: str | None) -> None:
    """Every archived source (of THREAD, if given)."""
    from negotrack import render
    from negotrack.app import queries

    rows = queries.sources(_store(db), thread)
    _echo(render.to_json(rows) if as_json else render.sources_text(rows))


@sources.command("show")
@click.argument("source_id", metavar="ID")
@click.option("--thread", metavar="THREAD", help="The thread, when several have a source ID.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def sources_show(source_id: str, thread: str | None, as_json: bool, db: str | None) -> None:
    """One source: what was archived, and the events that cite it."""
    from negotrack import render
    from negotrack.app import queries

    src = queries.source(_store(db), source_id, thread)
    _echo(render.to_json(src) if as_json else render.source_text(src))


# ---------------------------------------------------------------------------
# scenarios and the demo
# ---------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@sources_root_option
def check(paths: tuple[Path, ...], sources_root: tuple[str, ...]) -> None:
    """Run the scenario files (*.scenario.yaml) in PATHS; directories are searched."""
    from negotrack.scenarios.runner import run_paths

    code = run_paths(list(paths), _echo, allowed=_allowed(sources_root))
    if code:
        sys.exit(code)


@cli.command()
@click.option("--db", "db", default=None, metavar="PATH|URL", help="Keep the demo store here [default: a temporary file].")
@click.option(
    "--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE.html",
    help="Write the seed thread's HTML report here [default: ukraine-peace.html in the current folder].",
)
def demo(db: str | None, report_path: Path | None) -> None:
    """Ingest the bundled seed timeline into a fresh store; print its replay and states; write its HTML report."""
    from negotrack.demo import run_demo

    run_demo(db, _echo, report_path)


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--thread", "thread", required=True, metavar="THREAD", help="The thread whose declarations the draft uses.")
@click.option("--published", type=DAY, metavar="DATE", help="The articles' date [default: the store's source with that text, or a dateline].")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Write the draft to FILE (source paths are relative to its folder) [default: standard output].",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@db_option
def draft(articles: tuple[Path, ...], thread: str, published: str | None, output: Path | None, force: bool, db: str | None) -> None:
    """Draft events from raw ARTICLES (text files) as a timeline file for the analyst to review.

    Uses THREAD's parties, actors and issues from the store. The draft ingests as it
    is; low-confidence events are commented out. A summary goes to standard error.
    """
    from negotrack.app.draft import draft as make_draft
    from negotrack.draft.write import summary
    from negotrack.render import safe

    if output is not None and output.exists() and not force:
        raise click.UsageError(f"{output} exists: give --force to overwrite it")
    outcome = make_draft(_store(db), list(articles), thread, published=_iso(published), output=output)
    if output is None:
        click.echo(outcome.text, nl=False)
    else:
        from negotrack.timeline.output import write_atomically

        write_atomically(output, lambda out: out.write(outcome.text), force=force)  # whole or not at all
    for line in summary(outcome, output):
        click.echo(safe(line), err=True)


def _iso(day: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(day) if day else None


def main() -> None:
    """The ``negotrack`` program (the console script): the command line as its own process."""
    from negotrack import process

    process.main(cli)


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------


@cli.command()
@click.argument("thread")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE.html",
    help="Write the report here [default: THREAD.html in the current folder].",
)
@click.option("--issue", "issues", multiple=True, metavar="ISSUE", help="Only this issue (repeatable).")
@click.option("--from", "start", type=DAY, metavar="DATE", help="Only events on or after this date.")
@click.option("--to", "end", type=DAY, metavar="DATE", help="Only events on or before this date.")
@click.option("--known-at", "known_at", type=KNOWN_AT, metavar="DATE|INSTANT", help="Only what was recorded by then.")
@db_option
def report(
    thread: str, output: Path | None, issues: tuple[str, ...], start: str | None, end: str | None,
    known_at: Any, db: str | None,
) -> None:
    """Write THREAD as one HTML file that opens offline: timeline, stance bands, state as of any date."""
    from negotrack.report import Request, write_report

    req = Request(thread, tuple(dict.fromkeys(issues)), start, end, known_at)
    out = write_report(_store(db), req, output or Path(f"{thread}.html"))
    _echo(
        f"{thread}: {out.events} event{'s' if out.events != 1 else ''}, {out.sources} source{'s' if out.sources != 1 else ''}, "
        f"{out.issues} issue{'s' if out.issues != 1 else ''} written to {out.path}"
    )
