"""The rules of contract §4 that need more than one event: checked whole, before any write.

:class:`Checker` walks the inputs in order with what the store already knows
about the thread and collects every problem.  The result is a :class:`Plan`:
the declarations and statements to record, thread by thread, and what was
skipped because the store already has it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from negotrack.domain import events as ev, limits
from negotrack.domain.inputs import InputEvent, TimelineInput
from negotrack.domain.thread import Thread
from negotrack.domain.state import within_day
from negotrack.domain.vocabulary import (
    ITEM_KINDS,
    RETRACTION,
    VOCABULARY,
    EventType,
    named_issues,
    source_identity,
    touched_issues,
)
from negotrack.errors import InputRejected, Problem
from negotrack.speedups import canonical_json as _canonical_json

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip


def fold_text(text: str) -> str:
    """Fold runs of white space to one space, curly quotes to straight, dashes to '-', and compose accents (NFC).

    NFC: "é" typed as one character (as most keyboards do) matches a source
    that spells it "e" + a combining accent (as some PDFs and macOS files do),
    and the other way round.
    """
    if not text.isascii():  # every character _QUOTES maps is non-ASCII (and isascii() is O(1))
        text = text.translate(_QUOTES)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    # Fast path (every quote of an input is folded): ``isprintable()`` is False for
    # every white-space character but the ASCII space, so a printable text without
    # two spaces in a row has no run to fold.
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _SPACE.sub(" ", text).strip()


# The digest's text, by definition: ``json.dumps(content, sort_keys=True,
# ensure_ascii=False, separators=(",", ":"))`` in UTF-8 (every mapping's keys sorted,
# no spaces, characters past ASCII as themselves).  Stored digests (every store
# written so far) are of this text, so it must never change: it is written by
# :func:`negotrack.speedups.canonical_json`, which gives the standard library's
# bytes (and uses a faster encoder only where that encoder is found to write those
# very bytes); tests/unit/test_digest.py pins them.


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """The text an event's digest is of: ``content`` (plain JSON data) as canonical JSON, in UTF-8."""
    return _canonical_json(content)


def digest(content: Mapping[str, Any]) -> str:
    """The identity of an event's content (``Statement.content()``): same digest, same event."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True)
class KnownEvent:
    """What the store knows of an event recorded earlier."""

    id: str
    type: str
    party: str | None
    date: str | None
    digest: str
    issues: tuple[str, ...]
    within_day: tuple[int, str] = (0, "")  # its (order, time) among the events of its date (contract v1.1)


class StoreView(Protocol):
    def load_thread(self, slug: str) -> Thread | None: ...

    def known_events(self, slug: str, ids: Iterable[str]) -> dict[str, KnownEvent]: ...

    def source_text(self, slug: str, key: str) -> str | None: ...


@dataclass
class Declaration:
    kind: str  # party | actor | issue | source | title
    key: str
    decl: Any
    text: str | None = None
    text_sha256: str | None = None


@dataclass(slots=True)  # one per statement of an input: no per-instance __dict__
class PlannedStatement:
    input: InputEvent
    party: str | None
    issues: tuple[str, ...]  # the issues it touches (answers: its item's issues)


@dataclass
class PlannedThread:
    slug: str
    thread: Thread | None
    title: str | None = None
    declarations: list[Declaration] = field(default_factory=list)
    statements: list[PlannedStatement] = field(default_factory=list)
    skipped: int = 0
    warnings: list[Problem] = field(default_factory=list)  # not errors: what the analyst should look at

    @property
    def writes(self) -> int:
        return len(self.declarations) + len(self.statements) + (1 if self.thread is None else 0)


@dataclass
class Plan:
    threads: dict[str, PlannedThread]

    @property
    def new_events(self) -> int:
        return sum(len(t.statements) for t in self.threads.values())

    @property
    def skipped(self) -> int:
        return sum(t.skipped for t in self.threads.values())

    @property
    def warnings(self) -> list[Problem]:
        return [w for t in self.threads.values() for w in t.warnings]


@dataclass(slots=True)  # one per event checked
class _Item:
    kind: str | None  # None: an event that tables no item
    type: str
    party: str | None
    date: str | None
    issues: tuple[str, ...]
    within_day: tuple[int, str] = (0, "")  # (order, time): domain.state.within_day


class Checker:
    """Checks a whole input against the store; raises :class:`InputRejected` listing every problem."""

    def __init__(self, store: StoreView, now: datetime):
        self.store = store
        self.now = now
        self.problems: list[Problem] = []
        self.broken: set[str] = set()
        self.missing_quotes = 0

    def check(self, inputs: list[TimelineInput], earlier: list[Problem] | None = None) -> Plan:
        """Check the inputs; ``earlier`` are problems of form already found (reported first)."""
        self.problems = list(earlier or [])
        self.missing_quotes = 0
        self.broken = {b for i in inputs for b in i.broken_ids}
        plans: dict[str, PlannedThread] = {}
        by_thread: dict[str, list[TimelineInput]] = {}
        for item in inputs:
            by_thread.setdefault(item.thread.id, []).append(item)
        for slug, files in by_thread.items():
            plans[slug] = self._check_thread(slug, files)
        if self.problems:
            raise InputRejected(self.problems)
        return Plan(plans)

    # -- one thread -------------------------------------------------------------

    def _check_thread(self, slug: str, files: list[TimelineInput]) -> PlannedThread:
        thread = self.store.load_thread(slug)
        plan = PlannedThread(slug=slug, thread=thread)
        parties: dict[str, ev.PartyDecl] = dict(thread.parties) if thread else {}
        actors: dict[str, ev.ActorDecl] = dict(thread.actors) if thread else {}
        issues: dict[str, ev.IssueDecl] = dict(thread.issues) if thread else {}
        sources: dict[str, dict[str, Any]] = dict(thread.sources) if thread else {}
        texts: dict[str, str | None] = {}
        title = thread.title if thread else None
        declared_thread = thread is not None

        for f in files:
            # --- declarations
            if f.thread.title is not None:
                if title is None:
                    title = f.thread.title
                    plan.declarations.append(Declaration("title", slug, f.thread.title))
                elif title != f.thread.title:
                    self._problem(f.name, "thread", f"thread {slug!r} already has the title {title!r}")
            declared_thread = declared_thread or f.thread.title is not None or bool(
                f.thread.parties or f.thread.issues
            )
            for key, party in f.thread.parties.items():
                if key in actors:
                    self._problem(f.name, "thread", f"{key!r} is declared both as a party and as an actor")
                elif key not in parties:
                    parties[key] = party
                    plan.declarations.append(Declaration("party", key, party))
                elif parties[key] != party:
                    self._problem(f.name, "thread", f"party {key!r} is already declared with different content")
            for key, actor in f.thread.actors.items():
                if key in parties:
                    self._problem(f.name, "thread", f"{key!r} is declared both as a party and as an actor")
                elif actor.party not in parties:
                    self._problem(f.name, "thread", f"actor {key!r}: party {actor.party!r} is not declared")
                elif key not in actors:
                    actors[key] = actor
                    plan.declarations.append(Declaration("actor", key, actor))
                elif actors[key] != actor:
                    self._problem(f.name, "thread", f"actor {key!r} is already declared with different content")
            for key, issue in f.thread.issues.items():
                if key not in issues:
                    issues[key] = issue
                    plan.declarations.append(Declaration("issue", key, issue))
                elif issues[key] != issue:
                    self._problem(f.name, "thread", f"issue {key!r} is already declared with different content")
            for key, source in f.sources.items():
                text, sha = None, None
                if source.path:
                    # read by the timeline layer, by the rule of timeline.paths
                    error = f.source_errors.get(key)
                    if error is None and key not in f.source_texts:
                        error = f"source file {source.path!r} was not read"
                    if error is not None:
                        self._problem(f.name, f"source {key}", error)
                        continue
                    text = f.source_texts[key]
                    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()  # type: ignore[union-attr]
                identity = source_identity(source.title, source.url, source.published, source.reliability, sha)
                if key not in sources:
                    sources[key] = identity
                    texts[key] = text
                    plan.declarations.append(Declaration("source", key, source, text, sha))
                elif sources[key] != identity:
                    self._problem(f.name, f"source {key}", f"source {key!r} is already declared with different content")
        if thread is None and not declared_thread:
            name = files[0].name
            self._problem(name, "thread", f"thread {slug!r} is not in the store: declare it (title, parties, issues)")
        plan.title = title

        # --- statements
        all_events = [e for f in files for e in f.events]
        known: dict[str, KnownEvent] = {}
        if thread is not None:  # a new thread has no events in the store to look up
            wanted: set[str] = set()
            for e in all_events:
                wanted.add(e.statement.id)
                ref_field = VOCABULARY[e.statement.type].ref_field
                ref = ev.field_value(e.statement, ref_field) if ref_field else None
                if isinstance(ref, str):
                    wanted.add(ref)
            if wanted:
                known = self.store.known_events(slug, wanted)
        seen: dict[str, _Item] = {
            k.id: _Item(ITEM_KINDS.get(k.type), k.type, k.party, k.date, k.issues, k.within_day) for k in known.values()
        }
        in_input: set[str] = set()

        folded: dict[str, str | None] = {}

        def text_of(key: str) -> str | None:
            """The source's archived text, folded for quote matching (None: no text)."""
            if key not in folded:
                if key not in texts:
                    texts[key] = self.store.source_text(slug, key) if thread is not None else None
                raw = texts[key]
                folded[key] = fold_text(raw) if raw is not None else None
            return folded[key]

        today = self.now.date()
        for e in all_events:
            s = e.statement
            fields = s.__dict__
            before = len(self.problems)
            if s.id in in_input:
                self._problem(e.file, e.where, f"duplicate event id {s.id!r} in the input")
                continue
            in_input.add(s.id)
            if s.id in known:
                # The digest is only needed here, to compare with the store's; a new
                # event's is computed once, with its read-model row (Projector).
                if known[s.id].digest == digest(s.content()):
                    plan.skipped += 1
                else:
                    from negotrack.domain.explain import different_content

                    stored_content = getattr(self.store, "stored_content", None)  # a StoreView may not tell
                    stored = stored_content(slug, s.id) if stored_content else None
                    self._problem(e.file, e.where, different_content(s.id, stored, s.content()))
                continue

            party: str | None = None
            if s.by is not None:
                if s.by in parties:
                    party = s.by
                elif s.by in actors:
                    party = actors[s.by].party
                else:
                    self._problem(e.file, e.where, f"`by`: {s.by!r} names no declared actor or party")
            if s.reported_by is not None:  # contract v1.1: who reported the statement
                if s.reported_by not in parties and s.reported_by not in actors:
                    self._problem(e.file, e.where, f"`reported_by`: {s.reported_by!r} names no declared actor or party")
                elif s.reported_by == s.by:
                    self._problem(
                        e.file, e.where, f"`reported_by`: {s.reported_by!r} is the event's own `by`; leave `reported_by` out"
                    )
            vocab = VOCABULARY[s.type]
            if vocab.party_fields:
                for field_name, value in _party_fields(vocab, s):
                    if value not in parties:
                        self._problem(e.file, e.where, f"`{field_name}`: {value!r} names no declared party")
            named = tuple(named_issues(s.type, fields))
            for issue in named:
                if issue not in issues:
                    self._problem(e.file, e.where, f"issue {issue!r} is not declared")
            for i, src in enumerate(s.source):
                where_src = "`source`" if len(s.source) == 1 else f"`source[{i}]`"
                if src.ref not in sources:
                    self._problem(e.file, e.where, f"{where_src}: source {src.ref!r} is not declared")
                    continue
                text = text_of(src.ref)
                if text is None:
                    continue
                if not src.quote:
                    self._problem(e.file, e.where, f"{where_src}: a quote is required (source {src.ref!r} has text)")
                elif (folded_quote := fold_text(src.quote)) not in text:
                    self._problem(e.file, e.where, self._missing_quote(where_src, src.ref, folded_quote, text))
            day = today if e.recorded_at is None else e.recorded_at.date()
            if s.date is not None and s.date > day:
                self._problem(
                    e.file,
                    e.where,
                    f"`date` {s.date.isoformat()} is after the moment it is recorded ({day.isoformat()})",
                )

            touched = named
            date = s.date.isoformat() if s.date else None
            place = within_day(fields)  # its (order, time) within its date: contract v1.1
            ref_field = vocab.ref_field
            ref = fields.get(ref_field) if ref_field else None
            target = seen.get(ref) if ref is not None else None
            if ref is None or (target is None and ref in self.broken):
                pass  # nothing named, or what it names has its own problem, reported already
            elif vocab.ref_names == "event":  # a retraction
                if target is None:
                    self._problem(e.file, e.where, f"`{ref_field}`: {ref!r} names no event recorded before it")
                elif target.type == RETRACTION:
                    self._problem(e.file, e.where, f"`{ref_field}`: {ref!r} is itself a retraction")
            elif vocab.ref_names != "item":  # an item of one kind: the proposal a proposal revises
                if target is None or target.kind != vocab.ref_names:
                    self._problem(e.file, e.where, f"`{ref_field}`: {ref!r} names no {vocab.ref_names} recorded before it")
                elif target.date and date and date < target.date:
                    self._problem(
                        e.file, e.where, f"dated {date}, before the {vocab.ref_names} {ref!r} it revises ({target.date})"
                    )
                elif date == target.date and place < target.within_day:
                    self._problem(e.file, e.where, _placed_before(date, place, ref, target.within_day, "revises"))
            elif target is None or target.kind is None:
                self._problem(e.file, e.where, f"`{ref_field}`: {ref!r} names no item recorded before it")
            else:
                if vocab.answer:
                    touched = tuple(touched_issues(s.type, fields, {ref: target.issues}))
                if target.date and date and date < target.date:
                    self._problem(e.file, e.where, f"dated {date}, before the item {ref!r} it answers ({target.date})")
                elif date is not None and date == target.date and place < target.within_day:
                    self._problem(e.file, e.where, _placed_before(date, place, ref, target.within_day, "answers"))
                if vocab.answer and party is not None:
                    if vocab.by_owner and party != target.party:
                        self._problem(e.file, e.where, f"only {target.party} can withdraw {ref!r}, not {party}")
                    elif not vocab.by_owner and party == target.party:
                        self._problem(e.file, e.where, f"{party} cannot {s.type.lower()[:-2]} its own item {ref!r}")

            if len(self.problems) == before:
                kind = ITEM_KINDS.get(s.type)
                seen[s.id] = _Item(kind, s.type, party, date, touched, place)
                plan.statements.append(PlannedStatement(e, party, touched))
            else:
                # keep checking what refers to it, so one mistake isn't reported many times
                seen[s.id] = _Item(ITEM_KINDS.get(s.type), s.type, party, date, named, place)
        if not self.problems:
            plan.warnings = self._same_day_changes(slug, plan)
        return plan

    def _same_day_changes(self, slug: str, plan: PlannedThread) -> list[Problem]:
        """A new event that changes a stance another event of the same party set on the same date.

        Events of one date apply by their place in the day (contract v1.1's ``order``
        and ``time``), then in recording order (§5, rule 3). Where the two events
        share a place (neither says one: the version-1 case), the one recorded later
        wins, whatever the hour each was said: background coded in a later file
        ("long opposed", dated the report's date) then silently overrides what the
        party said that day, so ingest says so (a warning, not an error). Where the
        places differ, the analyst has said the order, and nothing is warned of.
        """
        new = []
        for p in plan.statements:
            s = p.input.statement
            stance = ev.field_value(s, "stance")
            if p.party is not None and stance and s.date is not None:
                new.append((p, stance, s.date.isoformat()))
        if not new:
            return []
        # (party, issue, date) -> its stance-carrying events: (place, recording rank, event id, stance, new event)
        on_day: dict[tuple[str, str, str], list[tuple[tuple[int, str], int, str, str, PlannedStatement | None]]] = {}
        stances_on = getattr(self.store, "stances_on", None)  # a StoreView may not tell
        rank = 0
        if plan.thread is not None and stances_on is not None:
            dates = {d for _p, _s, d in new}
            parties = {p.party for p, _s, _d in new if p.party is not None}
            for event_id, party, day, issues, stance, place in stances_on(slug, dates, parties):
                rank += 1
                for issue in issues:
                    on_day.setdefault((party, issue, day), []).append((place, rank, event_id, stance, None))
        for p, stance, day in new:
            rank += 1
            assert p.party is not None
            for issue in p.issues:
                key = (p.party, issue, day)
                on_day.setdefault(key, []).append((within_day(p.input.statement.__dict__), rank, p.input.statement.id, stance, p))
        out: list[tuple[int, Problem]] = []  # by the new event's rank: the input's order
        for (party, issue, day), events in on_day.items():
            events.sort(key=lambda e: (e[0], e[1]))  # the order they apply in
            for (place_a, _ra, id_a, stance_a, _pa), (place_b, rank_b, id_b, stance_b, p) in zip(events, events[1:]):
                if p is None or place_a != place_b or stance_a == stance_b:
                    continue
                out.append((rank_b, Problem(
                        p.input.file,
                        p.input.where,
                        f"changes {party}'s stance on {issue} from {stance_a} ({id_a}, also dated {day}) "
                        f"to {stance_b}: events of one date with no `order` or `time` apply in recording order, "
                        f"so {id_b} wins; if {id_b} came first that day (background, say), give it `order: -1`",
                    )))
        out.sort(key=lambda ranked: ranked[0])  # stable: one event's issues keep their order
        return [problem for _rank, problem in out]

    def _problem(self, file: str, where: str, message: str) -> None:
        self.problems.append(Problem(file, where, message))

    def _missing_quote(self, where: str, ref: str, quote: str, text: str) -> str:
        """The message for a missing quote: with its nearest passage for the first ones of the input only.

        The search is bounded per quote (several scans of the source), not per input: 400,000
        events quoting what a 16 MB source does not hold would take hours.
        """
        self.missing_quotes += 1
        if self.missing_quotes > limits.MAX_NEAREST_SEARCHES:
            return (
                f"{where}: the quote does not appear in source {ref!r} (the nearest passage is looked for "
                f"in the first {limits.MAX_NEAREST_SEARCHES} missing quotes of an input only)"
            )
        return quote_not_found(where, ref, quote, text)


def _place(place: tuple[int, str]) -> str:
    order, time = place
    return f"order {order}, " + (f"time {time}" if time else "no time")


def _placed_before(date: str, place: tuple[int, str], ref: str, target: tuple[int, str], verb: str) -> str:
    """The message for an event that would apply before the item it answers (or the proposal it revises)."""
    return (
        f"on {date} it comes before {ref!r}, which it {verb} ({_place(place)} against {_place(target)}): "
        "give it an `order` or `time` that puts it after"
    )


def _party_fields(vocab: EventType, s: Any) -> list[tuple[str, str]]:
    """(field, party id) for every party the statement's party fields name, in order."""
    out: list[tuple[str, str]] = []
    for name in vocab.party_fields:
        value = s.__dict__.get(name)
        if isinstance(value, list):
            out += [(name, p) for p in value]
        elif value is not None:
            out.append((name, value))
    return out


def quote_not_found(where: str, ref: str, quote: str, text: str) -> str:
    """The message for a quote missing from its source, with the nearest passage and how it differs."""
    from negotrack.domain.quotes import nearest

    near = nearest(quote, text)
    hint = near.describe() if near else "no passage of the source is close to it"
    return f"{where}: the quote does not appear in source {ref!r}; {hint}"
