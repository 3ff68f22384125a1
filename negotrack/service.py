"""The use cases: what each command does, wired from the domain, the timeline reader and the store.

Plain types in and out (paths, slugs, ISO strings, dicts), so the CLI, the
scenario runner and the tests all call the same functions.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotrack.domain import limits
from negotrack.domain.state import Change, Fold, Rec, apply_order, diff_views, replay, select
from negotrack.domain.vocabulary import ITEM_KINDS, RETRACTION, V11_COMMON_FIELDS, touched_issues
from negotrack.errors import ConcurrencyConflict, InputRejected, Problem, UsageError

if TYPE_CHECKING:  # the pydantic models are imported by the commands that read input, not by queries
    from negotrack.domain.rules import Plan
    from negotrack.timeline.schema import TimelineInput

MAX_ATTEMPTS = 8


# ---------------------------------------------------------------------------
# Reading input
# ---------------------------------------------------------------------------


def display_name(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def load_inputs(paths: list[Path], *, allow_recorded_at: bool = False, allowed: Any = None) -> list[TimelineInput]:
    """Read and check the form of every file; raise InputRejected listing every problem."""
    inputs, problems = read_inputs(paths, allow_recorded_at=allow_recorded_at, allowed=allowed)
    if problems:
        raise InputRejected(problems)
    return inputs


def read_inputs(
    paths: list[Path],
    *,
    allow_recorded_at: bool = False,
    thread_file: Path | None = None,
    locators: list[Any] | None = None,
    allowed: Any = None,
) -> tuple[list[TimelineInput], list[Problem]]:
    """Read every file: what could be parsed, and every problem of form found.

    A ``.csv`` file of events is read with its thread's declarations (the
    timeline file ``thread_file``, or ``NAME.thread.yaml`` beside it), see
    :mod:`negotrack.timeline.csvfile`; ``locators`` is given, for each, the
    function that puts its CSV row and column in a problem's place.
    ``allowed`` (a :class:`negotrack.timeline.paths.Allowed`): the folders the
    files' sources may lie in besides each file's own (default: those of
    ``NEGOTRACK_SOURCES_ROOT``).
    """
    from negotrack.timeline.paths import Allowed, Budget, given_twice, given_twice_message, read_sources
    from negotrack.timeline.reader import ReadError, read_document
    from negotrack.timeline.schema import parse_document

    allowed = allowed if allowed is not None else Allowed.named()
    budget = Budget()

    allowed = allowed if allowed is not None else Allowed.named()
    budget = Budget()
    problems: list[Problem] = []
    inputs: list[TimelineInput] = []
    total = 0
    declared: dict[Path, str | None] = {}  # thread files read for CSV files: their thread id
    twice = given_twice(paths)
    for index, path in enumerate(paths):
        name = display_name(path)
        if index in twice:
            problems.append(Problem(name, "", given_twice_message(name, display_name(twice[index]))))
            continue
        try:
            if path.suffix.lower() == ".csv":
                doc = _csv_document(path, name, thread_file, declared, inputs, problems, locators, allowed, budget)
                if doc is None:
                    continue
            else:
                doc = read_document(path, name)
        except ReadError as e:
            problems.append(e.problem)
            continue
        parsed = parse_document(doc, problems, allow_recorded_at=allow_recorded_at)
        if parsed is not None:
            read_sources(parsed, allowed, budget)
            total += len(parsed.events)
            inputs.append(parsed)
    if total > limits.MAX_EVENTS:
        problems.append(Problem("", "", f"{total:,} events: over the limit of {limits.MAX_EVENTS:,} per input"))
    return inputs, problems


def _csv_document(
    path: Path,
    name: str,
    thread_file: Path | None,
    declared: dict[Path, str | None],
    inputs: list[TimelineInput],
    problems: list[Problem],
    locators: list[Any] | None,
    allowed: Any,
    budget: Any,
) -> Any:
    """A CSV of events as the document a timeline file gives, after its thread file (read once) is in ``inputs``."""
    from negotrack.timeline import csvfile
    from negotrack.timeline.reader import RawDocument, ReadError, decode_text, read_bytes, read_document
    from negotrack.timeline.paths import read_sources
    from negotrack.timeline.schema import parse_document

    decl_path = thread_file or csvfile.thread_file_for(path)
    key = decl_path.resolve()
    if key not in declared:
        decl_name = display_name(decl_path)
        if thread_file is None and not decl_path.exists():
            problems.append(Problem(name, "", f"no thread declarations: expected {decl_name} beside it, or give --thread FILE"))
            declared[key] = None
            return None
        doc = read_document(decl_path, decl_name)
        parsed = parse_document(doc, problems)
        declared[key] = parsed.thread.id if parsed is not None else None
        if parsed is not None:
            read_sources(parsed, allowed, budget)
            inputs.append(parsed)
    slug = declared[key]
    if slug is None:
        return None
    text = decode_text(read_bytes(path, name, limits.MAX_FILE_BYTES), name)
    events, lines, rows_of_line, csv_problems = csvfile.read_rows(text, name)
    del text
    problems.extend(csv_problems)
    rows_by_id = {e["id"]: rows_of_line[line] for e, line in zip(events, lines) if isinstance(e.get("id"), str)}
    if locators is not None:
        locators.append(lambda ps: csvfile.locate(ps, name, rows_by_id, rows_of_line))
    data = {"negotrack": 1, "thread": {"id": slug}, "events": events}
    return RawDocument(name=name, path=path, data=data, event_lines=list(lines), fmt="csv")


# ---------------------------------------------------------------------------
# Ingest
# ---------------------------------------------------------------------------


@dataclass
class IngestReport:
    threads: dict[str, dict[str, int]] = field(default_factory=dict)  # slug -> {"events", "declarations", "skipped"}
    attempts: int = 1
    warnings: list[Problem] = field(default_factory=list)  # recorded all the same

    @property
    def written(self) -> int:
        return sum(t["events"] + t["declarations"] for t in self.threads.values())


def ingest_inputs(
    store: Any, inputs: list[TimelineInput], problems: list[Problem] | None = None, *, retain: list[Any] | None = None
) -> IngestReport:
    """Check the inputs against the store and write them in one transaction.

    A conflict with a concurrent writer (or a store busy past its timeout) is
    retried from the start, re-reading and re-checking, a bounded number of
    times; then it is reported.  ``retain``: see :func:`ingest`.
    """
    from eventsourcing.domain import datetime_now_with_tzinfo

    from negotrack.domain.rules import Checker
    from eventsourcing.persistence import IntegrityError
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import IntegrityError as SAIntegrityError

    slugs = tuple(sorted({i.thread.id for i in inputs}))
    last_error: Exception | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with store.db.transaction(write=True, lock_keys=slugs):
                now = datetime_now_with_tzinfo()
                plan = Checker(store, now).check(inputs, problems or [])
                store.record(plan, now)
                pause_point("ingest-before-commit")
            if retain is not None:
                retain.append(plan)
            return _report(plan, attempt)
        except (IntegrityError, SAIntegrityError) as e:
            last_error = e
        except DBAPIError as e:
            if not _is_transient(e):
                raise
            last_error = e
        time.sleep(min(2.0, 0.05 * 2**attempt) * random.random())
    raise ConcurrencyConflict(
        f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the store ({last_error.__class__.__name__})"
    )


PAUSE_ENV = "NEGOTRACK_TEST_PAUSE_AT"
PAUSE_FILE_ENV = "NEGOTRACK_TEST_PAUSE_FILE"


def pause_point(name: str) -> None:
    """A hook for the crash tests: stop here, inside the write transaction, until killed.

    When the environment variable ``NEGOTRACK_TEST_PAUSE_AT`` names this
    point, the process writes its pid to the file ``NEGOTRACK_TEST_PAUSE_FILE``
    and waits, so a test can kill it with every row written and nothing yet
    committed.  Unset (always, outside the tests), it does nothing.
    """
    import os

    if os.environ.get(PAUSE_ENV) != name:
        return
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(1)


def _is_transient(e: Exception) -> bool:
    text = str(getattr(e, "orig", e)).lower()
    return any(s in text for s in ("database is locked", "deadlock", "could not serialize", "busy"))


def _report(plan: Plan, attempts: int) -> IngestReport:
    report = IngestReport(attempts=attempts, warnings=plan.warnings)
    for slug, t in plan.threads.items():
        report.threads[slug] = {
            "events": len(t.statements),
            "declarations": len([d for d in t.declarations if d.kind != "title"]),
            "skipped": t.skipped,
        }
    return report


def ingest(
    url: str,
    paths: list[Path],
    *,
    retain: list[Any] | None = None,
    thread_file: Path | None = None,
    allowed: Any = None,
) -> IngestReport:
    """Read, check and record timeline files (see :func:`ingest_inputs`).

    ``retain``, if given, is handed what the ingest read and planned, to keep
    alive: a caller about to end the process at once (``negotrack ingest``, see
    ``cli._exit_now``) spares the time of freeing them object by object (about
    0.3 s for 100,000 events).
    """
    from negotrack.store.store import Store

    locators: list[Any] = []
    try:
        with cyclic_gc_paused():
            inputs, problems = read_inputs(paths, thread_file=thread_file, locators=locators, allowed=allowed)
            if problems and not any(i.events for i in inputs):
                raise InputRejected(problems)
            # The rules across events are checked too, so every problem is listed in one go.
            store = Store.open(url, create=True)
            if retain is not None:
                retain.append(inputs)
            return ingest_inputs(store, inputs, problems, retain=retain)
    except InputRejected as e:
        if not locators:
            raise
        located = e.problems
        for locate in locators:  # a CSV's problems name its rows and columns
            located = locate(located)
        raise InputRejected(located) from None


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk ingest or a long fold.

    An ingest allocates millions of objects that live until it ends (every
    event, as read and as typed); each automatic collection walks all of them,
    about a third of the time of a 100,000-event ingest.  What an ingest
    allocates is freed by reference counting as soon as it is dropped (it
    makes next to no reference cycles), so memory does not wait for the
    collector.  A fold of a long thread is the same: many small dicts that all
    stay alive, no cycles.  The collector is enabled again afterwards, if it was.

    Everything made while it was paused is still in the youngest generation
    then: the first automatic collections would walk all of it (about 0.2 s
    for 100,000 events, the input being still alive).  ``freeze`` then
    ``unfreeze`` moves every tracked object to the oldest generation at once,
    where only full collections look at it, as at any object that lived long.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# ---------------------------------------------------------------------------
# Dates and instants given on the command line
# ---------------------------------------------------------------------------


def parse_day(value: str, option: str) -> str:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_known_at(value: str | None) -> datetime | None:
    """A date alone means the end of that day, UTC; otherwise an ISO 8601 instant."""
    from negotrack.domain.instants import InstantError, end_of_day, parse_instant

    if value is None:
        return None
    if len(value) == 10:
        try:
            return end_of_day(date.fromisoformat(value))
        except ValueError:
            raise UsageError(f"--known-at: {value!r} is not a date or an ISO 8601 instant") from None
    try:
        return parse_instant(value)
    except InstantError as e:
        if "out of range" in str(e):
            raise UsageError(f"--known-at: {e}") from None
        raise UsageError(f"--known-at: {value!r} is not a date or an ISO 8601 instant") from None


def iso_instant(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 UTC, e.g. 2025-12-21T00:00:00Z (microseconds only when set)."""
    from negotrack.domain.instants import iso

    return None if moment is None else iso(moment)


def today() -> str:
    return date.today().isoformat()


# ---------------------------------------------------------------------------
# Queries: every one of them goes through the fold of domain.state
# ---------------------------------------------------------------------------


@dataclass
class Query:
    """What a query command asks: a thread, a date, what was known when, an issue."""

    slug: str
    as_of: str
    known_at: datetime | None = None
    issue: str | None = None

    @property
    def known_key(self) -> str | None:
        from negotrack.store.readmodel import instant

        return instant(self.known_at) if self.known_at else None


def _open(url: str) -> Any:
    from negotrack.store.store import Store

    return Store.open(url)


def _issues(conn: Any, store: Any, q: Query) -> dict[str, Any]:
    from negotrack.store import readmodel

    store.require_thread(conn, q.slug)
    # Every declared issue is listed, whatever --known-at says: declarations are the
    # thread's vocabulary, not statements (an issue nobody had raised yet is not-raised).
    declared = readmodel.declared_issues(conn, q.slug)
    if q.issue is not None and q.issue not in declared:
        known = ", ".join(declared) or "none"
        raise UsageError(f"--issue: thread {q.slug!r} has no issue {q.issue!r} (issues: {known})")
    return declared


def state(url: str, q: Query) -> dict[str, Any]:
    """Contract §5: the state of each issue as of a date, as the JSON shape."""
    from negotrack.store import checkpoints

    store = _open(url)
    with cyclic_gc_paused():
        with store.db.transaction() as conn:
            declared = _issues(conn, store, q)
            folded = checkpoints.fold_as_of(conn, q.slug, declared, q.as_of, q.known_key)
        checkpoints.save(store.db, q.slug, folded)
        return state_document(q, folded.fold.view([q.issue] if q.issue else None, copy=False))


def date_precisions(url: str, doc: dict[str, Any]) -> dict[str, str]:
    """The precision of each date a state document shows that is not known to the day, by the event giving it.

    For the text of ``state``, which shows it as ``timeline`` does (``2025-04-15 (week)``); the JSON of
    contract §5 keeps its shape.
    """
    from negotrack.store import readmodel

    ids: list[str] = []
    for issue in doc["issues"].values():
        if issue["last_event"]:
            ids.append(issue["last_event"]["id"])
        ids += [s["event"] for s in issue["stances"].values()]
        for item_id, item in issue["items"].items():
            ids.append(item_id)
            ids += [r["event"] for r in item["responses"].values()]
        if issue["agreement"]:
            ids.append(issue["agreement"]["event"])
    if not ids:
        return {}
    with _open(url).db.transaction() as conn:
        return readmodel.precisions(conn, doc["thread"], ids)


def state_by_replay(url: str, q: Query) -> dict[str, Any]:
    """The same document as :func:`state`, from a full replay of the thread's events (no read model).

    The aggregate's events are turned into the fold's inputs by the same
    function the read model is written with (``domain.thread.rec_of``).
    """
    from negotrack.domain.state import IssueInfo
    from negotrack.domain.thread import project, recs_of
    from negotrack.errors import NotFound

    store = _open(url)
    events = store.thread_events(q.slug)
    thread = project(None, events)
    if thread is None:
        raise NotFound(f"no thread {q.slug!r} in the store")
    declared = {key: IssueInfo(title=d.title, proposition=d.proposition) for key, d in thread.issues.items()}
    if q.issue is not None and q.issue not in declared:
        raise UsageError(f"--issue: thread {q.slug!r} has no issue {q.issue!r}")
    fold = Fold.start(declared)
    for r in select(recs_of(events), q.as_of, q.known_key):
        fold.apply(r)
    return state_document(q, fold.view([q.issue] if q.issue else None))


def state_document(q: Query, issues: dict[str, Any]) -> dict[str, Any]:
    return {"thread": q.slug, "as_of": q.as_of, "known_at": iso_instant(q.known_at), "issues": issues}


def replay_thread(url: str, q: Query) -> Iterator[tuple[Rec, list[Change]]]:
    from negotrack.store import readmodel

    store = _open(url)
    with store.db.transaction() as conn:
        declared = _issues(conn, store, q)
        recs = readmodel.records(conn, q.slug, as_of=q.as_of, known_at=q.known_key)
    return replay(recs, declared, q.as_of, q.known_key, q.issue)


def diff(url: str, q: Query, start: str) -> dict[str, Any]:
    """What changed between ``start`` and ``q.as_of``: both states and the changes."""
    from negotrack.store import checkpoints

    if start > q.as_of:
        raise UsageError(f"FROM ({start}) is after TO ({q.as_of})")
    store = _open(url)
    keys = [q.issue] if q.issue else None
    with cyclic_gc_paused():
        with store.db.transaction() as conn:
            declared = _issues(conn, store, q)
            before = checkpoints.fold_as_of(conn, q.slug, declared, start, q.known_key)
            after = checkpoints.fold_as_of(conn, q.slug, declared, q.as_of, q.known_key)
        checkpoints.save(store.db, q.slug, after)
        changes = diff_views(before.fold.view(keys, copy=False), after.fold.view(keys, copy=False))
    return {
        "thread": q.slug,
        "from": start,
        "to": q.as_of,
        "known_at": iso_instant(q.known_at),
        "changes": [c.as_dict() for c in changes],
    }


def timeline(
    url: str,
    slug: str,
    *,
    issue: str | None = None,
    party: str | None = None,
    start: str | None = None,
    end: str | None = None,
    known_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The thread's events in date order (retractions at the end), with what was retracted."""
    from negotrack.store import readmodel

    store = _open(url)
    q = Query(slug, end or "9999-12-31", known_at, issue)
    with store.db.transaction() as conn:
        _issues(conn, store, q)
        if party is not None:
            _require_party(conn, slug, party)
        recs = readmodel.records(conn, slug, known_at=q.known_key)
        sources = {s["id"]: s for s in readmodel.sources(conn, slug)}
    retracted = {r.body["ref"]: r.id for r in recs if r.type == RETRACTION}
    item_issues: dict[str, list[str]] = {}
    for r in sorted(recs, key=lambda r: r.seq):
        if r.type in ITEM_KINDS:
            item_issues[r.id] = r.touched_issues()

    def row(r: Rec, touched: list[str]) -> dict[str, Any]:
        return {
            "id": r.id,
            "type": r.type,
            "date": r.date,
            "precision": r.body.get("precision", "day"),
            "recorded_at": r.recorded_at,
            "party": r.party,
            "by": r.body.get("by"),
            "issues": touched,
            "summary": r.body.get("summary"),
            "ref": r.body.get("ref") or r.body.get("revises"),
            "retracted_by": retracted.get(r.id),
            "sources": [
                {
                    "ref": s["ref"],
                    "quote": s.get("quote"),
                    "title": sources.get(s["ref"], {}).get("title"),
                    "reliability": sources.get(s["ref"], {}).get("reliability"),
                }
                for s in r.body.get("source", [])
            ],
            **{k: r.body[k] for k in V11_COMMON_FIELDS if k in r.body},  # contract v1.1, if given
            "body": dict(r.body),
        }

    rows = []
    for r in sorted(recs, key=lambda r: (r.date is None, apply_order(r))):  # §5 rule 3's order
        if r.type == RETRACTION:
            continue  # shown where its target is (below)
        touched = touched_issues(r.type, r.body, item_issues)
        if issue is not None and issue not in touched:
            continue
        if party is not None and r.party != party and r.body.get("by") != party:
            continue
        if r.date is not None and ((start is not None and r.date < start) or (end is not None and r.date > end)):
            continue
        rows.append(row(r, touched))
    # A retraction (undated: the analyst's correction) belongs where its target is shown,
    # whatever the filters: at the end, in recording order; not at all when its target isn't.
    shown = {x["id"] for x in rows}
    rows += [row(r, []) for r in sorted(recs, key=lambda r: r.seq) if r.type == RETRACTION and r.body["ref"] in shown]
    return rows


def _require_party(conn: Any, slug: str, party: str) -> None:
    """``--party`` names a declared party or actor, as ``--issue`` a declared issue."""
    from negotrack.store import readmodel

    parties = readmodel.declarations(conn, slug, "party")
    actors = readmodel.declarations(conn, slug, "actor")
    if party not in parties and party not in actors:
        raise UsageError(
            f"--party: thread {slug!r} has no party or actor {party!r} "
            f"(parties: {', '.join(parties) or 'none'}; actors: {', '.join(actors) or 'none'})"
        )


def threads(url: str) -> list[dict[str, Any]]:
    from negotrack.store import readmodel

    store = _open(url)
    with store.db.transaction() as conn:
        rows = readmodel.thread_rows(conn)
        for row in rows:
            row["parties"] = list(readmodel.declarations(conn, row["thread"], "party"))
            row["issues"] = list(readmodel.declarations(conn, row["thread"], "issue"))
    return rows


def sources(url: str, slug: str | None) -> list[dict[str, Any]]:
    from negotrack.store import readmodel

    store = _open(url)
    with store.db.transaction() as conn:
        if slug is not None:
            store.require_thread(conn, slug)
        return readmodel.sources(conn, slug)


def source(url: str, key: str, slug: str | None) -> dict[str, Any]:
    from negotrack.errors import NotFound
    from negotrack.store import readmodel

    store = _open(url)
    with store.db.transaction() as conn:
        matches = [s for s in readmodel.sources(conn, slug) if s["id"] == key]
        if not matches:
            raise NotFound(f"no source {key!r} in the store")
        if len(matches) > 1:
            threads_ = ", ".join(m["thread"] for m in matches)
            raise UsageError(f"source {key!r} is in several threads ({threads_}): give --thread")
        found = matches[0]
        found["text"] = readmodel.source_text(conn, found["thread"], key)
        found["cited_by"] = readmodel.citing_events(conn, found["thread"], key)
    return found


# ---------------------------------------------------------------------------
# Keeping a store sound: verify, rebuild
# ---------------------------------------------------------------------------


def verify(url: str) -> dict[str, Any]:
    """Check the store against its own event log: what is wrong (nothing, if ``problems`` is empty) and counts."""
    from negotrack.store import maintenance

    store = _open(url)
    with store.db.transaction(snapshot=True) as conn:
        report = maintenance.verify(conn, store.app.mapper)
    return {
        "threads": report.threads,
        "events": report.events,
        "statements": report.statements,
        "snapshots": report.snapshots,
        "problems": report.problems,
        "unlisted": report.unlisted,
    }


def rebuild(url: str) -> dict[str, int]:
    """Write the read model again from the events, in one write transaction: all of it or none."""
    from negotrack.errors import StoreError
    from negotrack.store import maintenance

    store = _open(url)
    with store.db.transaction() as conn:
        slugs = tuple(maintenance.thread_slugs(conn, store.app.mapper))
    try:
        with store.db.transaction(write=True, lock_keys=slugs) as conn:
            return maintenance.rebuild(conn, store.app.mapper)
    except maintenance.RebuildError as e:
        raise StoreError(f"cannot rebuild the read model, nothing was changed: {e}") from None


# ---------------------------------------------------------------------------
# Export: a thread as a timeline file
# ---------------------------------------------------------------------------

EXPORT_BATCH = 1000  # events read from the store at a time


@dataclass
class ExportHeader:
    """What precedes the events: the file's top-level keys, and the archived text of each source with one."""

    document: dict[str, Any]
    source_texts: dict[str, str]


@contextmanager
def _thread_record(url: str, slug: str) -> Iterator[tuple[Any, Iterator[Rec]]]:
    """The thread's declarations and its statements, read from its stored events in one consistent read."""
    from negotrack.store import eventlog

    store = _open(url)
    with store.db.transaction(snapshot=True) as conn:
        decls = eventlog.declarations(conn, store.app.mapper, slug)
        if not decls.exists:
            store.require_thread(conn, slug)  # names the threads there are
            from negotrack.errors import NotFound

            raise NotFound(f"no thread {slug!r} in the store's events (run `negotrack verify`)")
        yield decls, eventlog.statements(conn, store.app.mapper, slug, EXPORT_BATCH)


def export_thread(url: str, slug: str) -> Iterator[Any]:
    """The thread as a timeline: first an :class:`ExportHeader`, then each event (a dict) in recording order.

    Read from the stored events (the record), not the read model, ``EXPORT_BATCH``
    at a time inside one consistent read, as the caller consumes them.  Recorded
    times are not exported (ingest refuses them): the events keep their valid time.
    """
    from negotrack.timeline.formats import timeline_document

    with _thread_record(url, slug) as (decls, recs):
        yield ExportHeader(timeline_document(decls, {}), dict(decls.texts))
        for rec in recs:
            yield rec.body


@dataclass
class ExportReport:
    events: int
    sources_written: list[str]  # files of archived source texts, as paths relative to the output's folder
    sources_not_written: int  # archived texts left out (output to a stream)
    format: str = "yaml"
    siblings_written: list[str] = field(default_factory=list)  # e.g. a CSV's thread declarations


def export(
    url: str, slug: str, fmt: str | None, output: Path | None, stream: Any, *, force: bool = False
) -> ExportReport:
    """Write the thread to ``output`` (or to ``stream``) in format ``fmt`` (None: from ``output``'s suffix).

    With an output file, each archived source text is written beside it, in
    ``<name>.sources/<source id>.txt``, and the source's ``path`` names that
    file, so a timeline export (or a CSV with its ``<name>.thread.yaml``)
    ingests into an empty store as it is.  Everything is written by
    :func:`negotrack.timeline.output.write_atomically`: all or nothing, never
    through a link, never over an existing file unless ``force``.
    """
    from negotrack.timeline import formats
    from negotrack.timeline.output import Companion, companion_folder, write_atomically

    fmt = formats.choose(fmt, output)
    spec = formats.FORMATS[fmt]
    with _thread_record(url, slug) as (decls, recs):
        if output is None:
            n = formats.write(fmt, decls, recs, stream, {})
            texts = len(decls.texts) if spec.timeline or fmt == "csv" else 0
            return ExportReport(n, [], texts, fmt)
        side = companion_folder(output).name
        paths = {key: f"{side}/{key}.txt" for key in decls.texts}
        companions = [Companion(f"{key}.txt", text.encode("utf-8")) for key, text in decls.texts.items()]
        siblings = []
        if fmt == "csv":
            from negotrack.timeline import csvfile

            text = formats.thread_file_text(decls, paths)
            siblings.append(Companion(csvfile.thread_file_for(output).name, text.encode("utf-8")))
        if not (spec.timeline or fmt in ("csv", "timelinejs")):
            companions, paths = [], {}
        count: list[int] = []
        write_atomically(
            output,
            lambda out: count.append(formats.write(fmt, decls, recs, out, paths)),
            force=force,
            companions=companions,
            siblings=siblings,
            shown=display_name(output),
            newline=spec.newline,
        )
        return ExportReport(count[0], list(paths.values()), 0, fmt, [s.name for s in siblings])
