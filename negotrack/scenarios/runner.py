"""Scenario files (contract §6): what must be true of a timeline, checked in a fresh store.

A scenario is ingested through the same code path as ``negotrack ingest``
(into a temporary SQLite store) with the clock frozen by freezegun at the
scenario's ``clock`` and at each ``recorded_at``, so the event store itself
stamps the recorded times.  Each expectation is then answered by the same
query as ``negotrack state``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from negotrack.domain import vocabulary
from negotrack.errors import InputRejected, NegotrackError, Problem
from negotrack.timeline.schema import InputEvent, TimelineInput

SCENARIO_KEYS = ("negotrack", "scenario", "clock", "include", "thread", "sources", "events", "expect")
EXPECT_KEYS = ("as_of", "known_at", "issue", "thread", "status", "stances", "items", "absent")
ITEM_KEYS = ("kind", "status", "by", "date", "responses")
STATUSES = ("agreed", "contested", "open", "not-raised")
ITEM_STATUSES = ("open", "withdrawn", "superseded", "adopted")
STANCES = vocabulary.STANCES
RESPONSES = ("accepted", "rejected")
QUALIFIERS = ("full", "in_principle")


class ScenarioInvalid(NegotrackError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Expectation:
    index: int
    as_of: str
    issue: str
    known_at: datetime | None
    thread: str
    checks: dict[str, Any]
    line: int | None = None

    @property
    def label(self) -> str:
        from negotrack.service import iso_instant

        known = f" known at {iso_instant(self.known_at)}" if self.known_at else ""
        return f"{self.issue} as of {self.as_of}{known}"


@dataclass
class Mismatch:
    field: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.field}: expected {_show(self.expected)}, got {_show(self.actual)}"


def _show(value: Any) -> str:
    from negotrack.render import safe

    if value is None:
        return "nothing (null)"
    if isinstance(value, dict | list):
        import json

        return safe(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return safe(value)


@dataclass
class Scenario:
    path: Path
    name: str
    title: str
    clock: datetime | None
    batches: list[tuple[datetime | None, list[TimelineInput]]] = field(default_factory=list)
    expectations: list[Expectation] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Reading a scenario file
# ---------------------------------------------------------------------------


def load_scenario(path: Path, allowed: Any = None) -> Scenario:
    """Read a scenario file; ``allowed``: the folders its includes and sources may lie in besides its own."""
    from negotrack.service import display_name, load_inputs, parse_day, parse_known_at
    from negotrack.timeline.paths import Allowed, Budget, PathRefused, read_sources
    from negotrack.timeline.reader import ReadError, read_document
    from negotrack.timeline.schema import parse_document, parse_instant

    allowed = allowed if allowed is not None else Allowed.named()

    name = display_name(path)
    problems: list[Problem] = []
    try:
        doc = read_document(path, name)
    except ReadError as e:
        raise ScenarioInvalid([e.problem]) from None
    data = doc.data
    for key in data:
        if key not in SCENARIO_KEYS:
            problems.append(Problem(name, "", f"unknown top-level key `{key}`"))
    title = data.get("scenario")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(name, "", "missing `scenario` (what the scenario is about)"))
        title = name
    clock = None
    if data.get("clock") is not None:
        try:
            clock = parse_instant(data["clock"])
        except ValueError as e:
            problems.append(Problem(name, "", f"`clock`: {e}"))

    includes = data.get("include") or []
    if isinstance(includes, str):
        includes = [includes]
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        problems.append(Problem(name, "", "`include` must be a list of timeline file paths"))
        includes = []
    included: list[TimelineInput] = []
    files: list[Path] = []
    for include in includes:  # the rule of timeline.paths, as for a source's path
        try:
            allowed.resolve(include, path, "include")
            files.append(path.parent / include)  # named as written (the messages name it so)
        except PathRefused as e:
            problems.append(Problem(name, "include", str(e)))
    try:
        included = load_inputs(files, allowed=allowed)
    except InputRejected as e:
        problems.extend(e.problems)

    own: TimelineInput | None = None
    if any(k in data for k in ("thread", "sources", "events")):
        body = {k: data[k] for k in ("negotrack", "thread", "sources", "events") if k in data}
        if "thread" not in body:
            slugs = sorted({i.thread.id for i in included})
            if len(slugs) == 1:
                body["thread"] = {"id": slugs[0]}
        doc.data = body
        own = parse_document(doc, problems, allow_recorded_at=True)
        if own is not None:
            read_sources(own, allowed, Budget())
    elif "negotrack" not in data:
        problems.append(Problem(name, "", "missing `negotrack: 1` (the format version)"))
    elif data["negotrack"] != 1:
        problems.append(Problem(name, "", f"`negotrack` must be 1 (the format version), not {data['negotrack']!r}"))

    threads = sorted({i.thread.id for i in included} | ({own.thread.id} if own else set()))
    scenario = Scenario(path=path, name=name, title=title.strip(), clock=clock)

    # batches: everything at the clock, then each run of events with the same recorded_at
    first = [*included]
    batches: list[tuple[datetime | None, list[TimelineInput]]] = [(clock, first)]
    if own is not None:
        at_clock: list[InputEvent] = []
        later: list[tuple[datetime, list[InputEvent]]] = []
        previous = clock
        for event in own.events:
            if event.recorded_at is None:
                if later:
                    problems.append(
                        Problem(name, event.where, "recorded at the clock, after an event with a later `recorded_at`")
                    )
                at_clock.append(event)
                continue
            if clock is not None and event.recorded_at < clock:
                problems.append(Problem(name, event.where, "`recorded_at` is earlier than the scenario's clock"))
            elif previous is not None and event.recorded_at < previous:
                problems.append(Problem(name, event.where, "`recorded_at` is earlier than an earlier event's"))
            previous = event.recorded_at
            if later and later[-1][0] == event.recorded_at:
                later[-1][1].append(event)
            else:
                later.append((event.recorded_at, [event]))
        first.append(_with_events(own, at_clock))
        for moment, events in later:
            batches.append((moment, [_with_events(own, events, declarations=False)]))
    scenario.batches = batches

    expects = data.get("expect") or []
    if not isinstance(expects, list):
        problems.append(Problem(name, "", "`expect` must be a list"))
        expects = []
    names = _thread_names([*included, *([own] if own is not None else [])])
    for index, raw in enumerate(expects):
        line = doc.expect_lines[index] if index < len(doc.expect_lines) else None
        where = f"expect #{index + 1}" + (f", line {line}" if line is not None else "")
        if not isinstance(raw, dict):
            problems.append(Problem(name, where, "an expectation must be a mapping"))
            continue
        before = len(problems)
        for key in raw:
            if key not in EXPECT_KEYS:
                problems.append(Problem(name, where, f"unknown key `{key}`"))
        for key in ("as_of", "issue"):
            if key not in raw:
                problems.append(Problem(name, where, f"missing required key `{key}`"))
        if len(problems) > before:
            continue
        try:
            as_of = parse_day(str(raw["as_of"]), "as_of")
            known_at = parse_known_at(str(raw["known_at"])) if raw.get("known_at") is not None else None
        except NegotrackError as e:
            problems.append(Problem(name, where, str(e)))
            continue
        thread = raw.get("thread")
        if thread is None:
            if not threads:
                continue  # no thread at all (an include refused, say): reported once already, not per expectation
            if len(threads) != 1:
                problems.append(Problem(name, where, f"give `thread`: the scenario has threads {', '.join(threads)}"))
                continue
            thread = threads[0]
        checks = {k: v for k, v in raw.items() if k in ("status", "stances", "items", "absent")}
        form = _check_form(checks)
        problems.extend(Problem(name, where, m) for m in form)
        if not form:
            problems.extend(Problem(name, where, m) for m in _check_names(names, str(thread), raw["issue"], checks))
        scenario.expectations.append(Expectation(index, as_of, str(raw["issue"]), known_at, thread, checks, line))
    if problems:
        raise ScenarioInvalid(problems)
    return scenario


def _with_events(base: TimelineInput, events: list[InputEvent], declarations: bool = True) -> TimelineInput:
    from negotrack.timeline.schema import ThreadSection

    thread = base.thread if declarations else ThreadSection(id=base.thread.id)
    return TimelineInput(
        name=base.name,
        path=base.path,
        thread=thread,
        sources=base.sources if declarations else {},
        events=events,
        source_texts=base.source_texts if declarations else {},
        source_errors=base.source_errors if declarations else {},
    )


@dataclass
class _Names:
    """What a thread of the scenario declares and tables: what an expectation may name."""

    parties: list[str] = field(default_factory=list)
    actors: dict[str, str] = field(default_factory=dict)  # actor -> its party
    issues: list[str] = field(default_factory=list)
    events: dict[str, str] = field(default_factory=dict)  # event id -> type


def _thread_names(inputs: list[TimelineInput]) -> dict[str, _Names]:
    out: dict[str, _Names] = {}
    for i in inputs:
        names = out.setdefault(i.thread.id, _Names())
        names.parties += [p for p in i.thread.parties if p not in names.parties]
        names.actors.update({a: d.party for a, d in i.thread.actors.items()})
        names.issues += [k for k in i.thread.issues if k not in names.issues]
        for e in i.events:
            names.events.setdefault(e.statement.id, e.statement.type)
    return out


def _one_of(values: list[str]) -> str:
    from negotrack.render import safe

    return ", ".join(safe(v) for v in values) or "none"


def _check_names(all_names: dict[str, _Names], thread: str, issue: Any, checks: dict[str, Any]) -> list[str]:
    """Every name an expectation gives must exist in its thread: else it would pass (or fail) for nothing."""
    from negotrack.domain.vocabulary import ITEM_KINDS, KINDS
    from negotrack.render import safe

    if thread not in all_names:
        return [f"`thread`: the scenario has no thread {safe(thread)!r} (threads: {_one_of(list(all_names))})"]
    names = all_names[thread]
    out: list[str] = []
    if issue not in names.issues:
        out.append(f"`issue`: thread {safe(thread)!r} has no issue {safe(issue)!r} (issues: {_one_of(names.issues)})")

    def party(field_name: str, value: Any) -> None:
        if value in names.parties:
            return
        if value in names.actors:
            out.append(
                f"`{field_name}`: {safe(value)!r} is an actor of {safe(names.actors[value])}: name the party, "
                f"{safe(names.actors[value])}"
            )
        else:
            out.append(f"`{field_name}`: thread {safe(thread)!r} has no party {safe(value)!r} (parties: {_one_of(names.parties)})")

    def item(field_name: str, value: Any) -> None:
        kind = names.events.get(value)
        if kind is None:
            out.append(f"`{field_name}`: thread {safe(thread)!r} has no event {safe(value)!r}")
        elif kind not in ITEM_KINDS:
            out.append(f"`{field_name}`: event {safe(value)!r} is a {kind}, which tables no item")

    for p in checks.get("stances") or {}:
        party(f"stances.{p}", p)
    kinds = list(KINDS)
    for item_id, spec in (checks.get("items") or {}).items():
        item(f"items.{item_id}", item_id)
        spec = spec or {}
        if "kind" in spec and spec["kind"] not in kinds:
            out.append(f"`items.{item_id}.kind`: {safe(spec['kind'])!r} is not a kind of item (kinds: {', '.join(kinds)})")
        if "by" in spec:
            party(f"items.{item_id}.by", spec["by"])
        for p in spec.get("responses") or {}:
            party(f"items.{item_id}.responses.{p}", p)
    for item_id in checks.get("absent") or []:
        item(f"absent.{item_id}", item_id)
    return out


def _check_form(checks: dict[str, Any]) -> list[str]:
    out = []
    if "status" in checks and checks["status"] not in STATUSES:
        out.append(f"`status` must be one of {', '.join(STATUSES)}")
    stances = checks.get("stances")
    if stances is not None:
        if not isinstance(stances, dict):
            out.append("`stances` must map parties to a stance or null")
        else:
            out += [
                f"`stances.{p}`: {s!r} is not a stance" for p, s in stances.items() if s is not None and s not in STANCES
            ]
    items = checks.get("items")
    if items is not None:
        if not isinstance(items, dict):
            out.append("`items` must map item ids to what is expected of them")
        else:
            for item_id, spec in items.items():
                if spec is None:
                    continue
                if not isinstance(spec, dict):
                    out.append(f"`items.{item_id}` must be a mapping")
                    continue
                out += [f"`items.{item_id}`: unknown key `{k}`" for k in spec if k not in ITEM_KEYS]
                if "status" in spec and spec["status"] not in ITEM_STATUSES:
                    out.append(f"`items.{item_id}.status` must be one of {', '.join(ITEM_STATUSES)}")
                if "responses" in spec and not isinstance(spec["responses"], dict):
                    out.append(f"`items.{item_id}.responses` must map parties to accepted or rejected")
                for p, r in (spec.get("responses") or {}).items() if isinstance(spec.get("responses"), dict) else ():
                    response = r.get("response") if isinstance(r, dict) else r
                    if response not in RESPONSES:
                        out.append(f"`items.{item_id}.responses.{p}`: {response!r} is not accepted or rejected")
                    if isinstance(r, dict):
                        out += [f"`items.{item_id}.responses.{p}`: unknown key `{k}`" for k in r if k not in ("response", "qualifier")]
                        if r.get("qualifier") not in (None, *QUALIFIERS):
                            out.append(f"`items.{item_id}.responses.{p}.qualifier` must be full or in_principle")
    absent = checks.get("absent")
    if absent is not None and not isinstance(absent, list):
        out.append("`absent` must be a list of item ids")
    return out


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------


@contextmanager
def scenario_store(scenario: Scenario) -> Iterator[str]:
    """A fresh temporary store holding the scenario's timeline; yields its URL."""
    from freezegun import freeze_time

    # The write path's modules are loaded before any clock is frozen: pydantic builds a
    # model's schema when its module loads, and under freezegun `datetime` is its fake.
    import negotrack.domain.rules  # noqa: F401
    import negotrack.store.application  # noqa: F401
    from negotrack.service import ingest_inputs
    from negotrack.store.recorder import forget
    from negotrack.store.store import Store

    tmp = tempfile.mkdtemp(prefix="negotrack-scenario-")
    url = "sqlite:///" + str(Path(tmp) / "scenario.db")
    try:
        store = Store.open(url, create=True)
        for moment, inputs in scenario.batches:
            if not any(_has_content(i) for i in inputs):
                continue
            try:
                if moment is None:
                    ingest_inputs(store, inputs)
                else:
                    with freeze_time(moment):
                        ingest_inputs(store, inputs)
            except InputRejected as e:
                raise ScenarioInvalid(e.problems) from None
        yield url
    finally:
        forget(url)
        shutil.rmtree(tmp, ignore_errors=True)
        _collect_now_and_then()


COLLECT_EVERY = 20  # scenarios between two full collections (a scenario leaves ~0.2 MB of reference cycles)
_stores_freed = [0]


def _collect_now_and_then() -> None:
    """Free the reference cycles a scenario's store leaves (engine, pool, application), so memory stays flat.

    Ingest and state pause the cyclic collector and hand what they made to the
    oldest generation (``service.cyclic_gc_paused``), which only a full
    collection looks at, and one scenario after another never triggers one:
    3,000 scenario files grew to 716 MB.  A full collection every
    :data:`COLLECT_EVERY` scenarios frees them.
    """
    import gc

    _stores_freed[0] += 1
    if _stores_freed[0] % COLLECT_EVERY == 0 and gc.isenabled():
        gc.collect()


def _has_content(i: TimelineInput) -> bool:
    t = i.thread
    return bool(i.events or i.sources or t.title or t.parties or t.actors or t.issues)


def evaluate(url: str, exp: Expectation) -> list[Mismatch]:
    """Compare one expectation with the state the store gives; [] when it holds."""
    from negotrack import service

    try:
        doc = service.state(url, service.Query(exp.thread, exp.as_of, exp.known_at, exp.issue))
    except NegotrackError as e:
        return [Mismatch("issue", exp.issue, f"error: {e}")]
    issue = doc["issues"][exp.issue]
    out: list[Mismatch] = []
    checks = exp.checks
    if "status" in checks and checks["status"] != issue["status"]:
        out.append(Mismatch("status", checks["status"], issue["status"]))
    for party, expected in (checks.get("stances") or {}).items():
        actual = issue["stances"].get(party)
        actual_stance = actual["stance"] if actual else None
        if expected != actual_stance:
            out.append(Mismatch(f"stances.{party}", expected, actual_stance))
    items = issue["items"]
    for item_id, spec in (checks.get("items") or {}).items():
        item = items.get(item_id)
        if item is None:
            out.append(Mismatch(f"items.{item_id}", "listed under this issue", "not listed"))
            continue
        for key, expected in (spec or {}).items():
            if key == "responses":
                actual_r = {p: r["response"] for p, r in item["responses"].items()}
                wanted = {}
                for p, v in expected.items():
                    if isinstance(v, dict):
                        wanted[p] = v.get("response")
                        qualifier = v.get("qualifier")
                        got = item["responses"].get(p, {}).get("qualifier")
                        if qualifier is not None and qualifier != got:
                            out.append(Mismatch(f"items.{item_id}.responses.{p}.qualifier", qualifier, got))
                    else:
                        wanted[p] = v
                if wanted != actual_r:
                    out.append(Mismatch(f"items.{item_id}.responses", wanted, actual_r))
            elif str(expected) != str(item.get(key)):
                out.append(Mismatch(f"items.{item_id}.{key}", expected, item.get(key)))
    for item_id in checks.get("absent") or []:
        if item_id in items:
            out.append(Mismatch(f"absent.{item_id}", "not listed", f"listed ({items[item_id]['kind']})"))
    return out


def find_scenarios(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.scenario.yaml") if p.is_file())
        else:
            found.append(path)
    return found


def run_paths(paths: list[Path], echo: Callable[[str], None], allowed: Any = None) -> int:
    """``negotrack check``: one line per expectation, then ``N passed, M failed``."""
    from negotrack.render import safe, style

    passed = failed = 0
    invalid = False
    files = find_scenarios(paths)
    if not files:
        echo(f"Error: no scenario files (*.scenario.yaml) in {', '.join(str(p) for p in paths)}")
        return 2
    from negotrack.timeline.paths import given_twice, given_twice_message

    twice = given_twice(files)
    if twice:
        for index, first in twice.items():
            echo(f"Error: {safe(files[index])}: {safe(given_twice_message(str(files[index]), str(first)))}")
        return 2
    for path in files:
        try:
            scenario = load_scenario(path, allowed)
            with scenario_store(scenario) as url:
                for exp in scenario.expectations:
                    mismatches = evaluate(url, exp)
                    if mismatches:
                        failed += 1
                        echo(f"{style('FAIL', fg='red')}  {safe(scenario.name)}: {safe(exp.label)}")
                        echo(f"      scenario: {safe(scenario.title)}")
                        for m in mismatches:
                            echo(f"      {m}")
                    else:
                        passed += 1
                        echo(f"{style('ok', fg='green')}    {safe(scenario.name)}: {safe(exp.label)}")
        except ScenarioInvalid as e:
            invalid = True
            echo(f"Error: {safe(path)} is not a valid scenario ({len(e.problems)} problem{'s' if len(e.problems) != 1 else ''}):")
            for p in e.problems:
                echo(f"  {safe(str(p))}")
    echo(f"{passed} passed, {failed} failed")
    if invalid:
        return 2
    return 1 if failed else 0
