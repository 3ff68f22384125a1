"""State as of a date: the fold of contract §5, the one place it is implemented.

Input is a sequence of :class:`Rec` (one recorded statement in plain types:
where it comes from, the read model or a replay of the aggregate's events,
does not matter).  :func:`select` applies rules 1 (:class:`InView`) and 2 (what
is in view) and rule 3 (order: :func:`apply_order`); :class:`Fold` applies rules 4 to 7 one event at a time, so
that ``state``, ``replay`` and ``diff`` all share it.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from negotrack.domain.vocabulary import (  # noqa: F401 - ITEM_KINDS, ANSWERS, ITEM_TEXT_FIELD: also read from here
    ANSWERS,
    ITEM_KINDS,
    ITEM_TEXT_FIELD,
    RESPONSE_OF,
    RETRACTION,
    VOCABULARY,
    named_issues,
    touched_issues,
)


@dataclass(slots=True)
class Rec:
    """One recorded statement, in plain types.

    ``date`` is ISO ``YYYY-MM-DD`` (None for a retraction), ``recorded_at`` an
    ISO instant in UTC of fixed width, ``seq`` the recording order in the
    thread, ``party`` the speaking party, ``body`` the statement's fields.
    """

    id: str
    type: str
    date: str | None
    seq: int
    recorded_at: str
    party: str | None
    body: Mapping[str, Any]

    def touched_issues(self) -> list[str]:
        """Issues the statement names itself (rule 4, without answers)."""
        return named_issues(self.type, self.body)


def within_day(body: Mapping[str, Any]) -> tuple[int, str]:
    """Where an event sits among the events of its date (contract v1.1, §5 rule 3): ``(order, time)``.

    ``order`` counts as 0 when absent; an event without ``time`` sorts before
    every event with one (as ``""`` before ``"HH:MM"``).  Events with neither
    all sit at ``(0, "")``, so among themselves they keep their recording order.
    """
    return (body.get("order") or 0, body.get("time") or "")


def apply_order(r: Rec) -> tuple[str, int, str, int]:
    """Rule 3: by date, then ``order``, then ``time`` (none first), then recording order."""
    body = r.body  # within_day(body), written out: this key is computed for every event of every fold
    return (r.date or "", body.get("order") or 0, body.get("time") or "", r.seq)


# Rule 1 as data: ``(field, comparison, value)``, ``field`` naming both an attribute of :class:`Rec`
# and a column of the read model's events (``store.readmodel`` builds its SQL from the same bounds).
Bound = tuple[str, str, str]
COMPARE: dict[str, Callable[[Any, Any], Any]] = {"<=": operator.le, ">": operator.gt}  # on values and on SQL columns


@dataclass(frozen=True, slots=True)
class InView:
    """Contract §5 rule 1, the one place it is stated: which recorded statements can be in view.

    A dated statement is in view as of ``as_of`` when it is dated on or before
    it: the date as written, whatever its ``precision`` (docs/contract.md v1.1
    B: a statement known to the month or the year is in view from the day
    written, and a week, month or year is not stretched to its end).  Given
    ``known_at`` (an instant as :func:`negotrack.domain.instants.key` writes
    it, as ``recorded_at`` is), only what was recorded at or before it.  A
    retraction has no date: ``known_at`` alone says whether it counts (rule 2).
    ``since``: a checkpoint's date, whose fold already holds every day up to it.

    :meth:`known` and :meth:`dates` are the rule as bounds; :meth:`admit`
    reads them in Python, ``store.readmodel`` turns the same bounds into SQL,
    and ``tests/property/test_in_view.py`` holds the two to the same rows.
    """

    as_of: str | None = None
    known_at: str | None = None
    since: str | None = None

    def known(self) -> tuple[Bound, ...]:
        """The bounds of record time: every statement, retractions included, must be within them."""
        return () if self.known_at is None else (("recorded_at", "<=", self.known_at),)

    def dates(self) -> tuple[Bound, ...]:
        """The bounds of date: a dated statement must be within them too."""
        bounds: list[Bound] = []
        if self.as_of is not None:
            bounds.append(("date", "<=", self.as_of))
        if self.since is not None:
            bounds.append(("date", ">", self.since))
        return tuple(bounds)

    def admit(self, records: Iterable[Rec]) -> list[Rec]:
        """The statements rule 1 lets through, in the order given (a retraction by :meth:`known` alone)."""
        admitted = list(records)
        for field, op, value in self.known():
            get, test = operator.attrgetter(field), COMPARE[op]
            admitted = [r for r in admitted if test(get(r), value)]
        for field, op, value in self.dates():
            get, test = operator.attrgetter(field), COMPARE[op]
            admitted = [r for r in admitted if r.date is None or test(get(r), value)]
        return admitted


def select(records: Iterable[Rec], as_of: str, known_at: str | None = None) -> list[Rec]:
    """Rules 1-3: the events in view, in the order they apply.

    ``as_of`` is an ISO date, ``known_at`` an ISO instant (or None: everything
    recorded so far).  A retraction known at ``known_at`` takes its target out
    of view whatever its date, and with it every answer to an item it tabled.
    """
    admitted = InView(as_of, known_at).admit(records)
    in_view = list(not_retracted(admitted, retracted_by(admitted)))
    in_view.sort(key=apply_order)
    return in_view


def in_apply_order(records: Iterable[Rec]) -> Iterator[Rec]:
    """Rule 3 over records given by date (then in any order): each date's events sorted by :func:`apply_order`."""
    day: str | None = None
    group: list[Rec] = []
    for r in records:
        if r.date != day:
            group.sort(key=apply_order)
            yield from group
            day, group = r.date, []
        group.append(r)
    group.sort(key=apply_order)
    yield from group


def retracted_by(records: Iterable[Rec]) -> set[str]:
    """Rule 2: the ids the retractions among ``records`` take out of view."""
    return {r.body["ref"] for r in records if r.type == RETRACTION}


def not_retracted(records: Iterable[Rec], retracted: set[str]) -> Iterator[Rec]:
    """Rule 2 over statements rule 1 admitted (:class:`InView`): the dated ones ``retracted`` leaves in view.

    One at a time, in the order given: a long fold streams its events (by date,
    :func:`in_apply_order`) from the read model's query of the same bounds, its
    retractions read first, and holds one date's events at a time, not all.
    """
    for r in records:
        if (
            r.date is not None
            and r.type != RETRACTION
            and r.id not in retracted
            and not (r.type in ANSWERS and r.body.get("ref") in retracted)
        ):
            yield r


@dataclass
class IssueInfo:
    title: str
    proposition: str | None = None


@dataclass
class Fold:
    """The state of a thread's issues, built by applying events in order."""

    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    item_issues: dict[str, list[str]] = field(default_factory=dict)  # the issues each item touches

    @classmethod
    def start(cls, declared: Mapping[str, IssueInfo]) -> Fold:
        fold = cls()
        for key, info in declared.items():
            fold._issue(key, info.title)
        return fold

    def copy(self) -> Fold:
        # one deepcopy, so an item stays the same object under every issue it is listed in
        issues, items, item_issues = copy.deepcopy((self.issues, self.items, self.item_issues))
        return Fold(issues=issues, items=items, item_issues=item_issues)

    def dump(self) -> dict[str, Any]:
        """The fold in plain JSON types (a checkpoint); :meth:`load` gives it back.

        An item listed under several issues is one object; in the dump each issue
        lists its items by id and the items are kept once.
        """
        issues = {key: {**issue, "items": list(issue["items"])} for key, issue in self.issues.items()}
        return {"issues": issues, "items": self.items, "item_issues": self.item_issues}

    @classmethod
    def load(cls, data: Mapping[str, Any], declared: Mapping[str, IssueInfo]) -> Fold:
        """A fold from :meth:`dump`, with every issue declared since added, not raised."""
        items: dict[str, dict[str, Any]] = dict(data["items"])
        issues: dict[str, dict[str, Any]] = {}
        for key, issue in data["issues"].items():
            issue["items"] = {item_id: items[item_id] for item_id in issue["items"]}
            issues[key] = issue
        fold = cls(issues=issues, items=items, item_issues=dict(data["item_issues"]))
        for key, info in declared.items():
            fold._issue(key, info.title)
        return fold

    def _issue(self, key: str, title: str | None = None) -> dict[str, Any]:
        issue = self.issues.get(key)
        if issue is None:
            issue = self.issues[key] = {
                "title": title if title is not None else key,
                "status": "not-raised",
                "last_event": None,
                "stances": {},
                "items": {},
                "agreement": None,
                "held_since": {},
            }
        return issue

    def apply(self, r: Rec) -> list[str]:
        """Apply one event in view; return the issues whose view it changed.

        In a fixed order (the event's own issues first, then those of the item it
        names), never a set's: what is printed from it must not depend on the hash seed.
        """
        body = r.body
        affected: dict[str, None] = {}
        touched = touched_issues(r.type, body, self.item_issues)  # rule 4
        if r.type in ANSWERS:
            item = self.items.get(body["ref"])
            if item is None:  # rule 6: an answer to an item not in view touches nothing
                return []
            if r.type == "Withdrawn":
                item["status"] = "withdrawn"
            else:
                answer: dict[str, Any] = {"response": RESPONSE_OF[r.type]}
                if r.type == "Accepted":
                    answer["qualifier"] = body.get("qualifier", "full")
                elif body.get("reason"):
                    answer["reason"] = body["reason"]
                answer["date"] = r.date
                answer["event"] = r.id
                if body.get("reported_by"):  # contract v1.1: only where the event says who reported it
                    answer["reported_by"] = body["reported_by"]
                if r.party is not None:
                    item["responses"][r.party] = answer
        else:
            kind = ITEM_KINDS.get(r.type)
            if kind is not None:
                item = {
                    "kind": kind,
                    "by": r.party,
                    "date": r.date,
                    "status": "open",
                    "responses": {},
                    "summary": body.get("summary"),
                    "text": body.get(ITEM_TEXT_FIELD[kind]),
                }
                if body.get("reported_by"):
                    item["reported_by"] = body["reported_by"]
                self.items[r.id] = item
                self.item_issues[r.id] = touched
                for key in touched:
                    self._issue(key)["items"][r.id] = item
            if r.type == "ProposalTabled" and body.get("revises"):
                revised = self.items.get(body["revises"])
                if revised is not None:
                    revised["status"] = "superseded"
                    affected.update(dict.fromkeys(self.item_issues[body["revises"]]))
            elif r.type == "AgreementReached":
                adopted = self.items.get(body["ref"]) if body.get("ref") else None
                if adopted is not None:
                    adopted["status"] = "adopted"
                    affected.update(dict.fromkeys(self.item_issues[body["ref"]]))
                for key in touched:  # every issue it names: `issue`, or (contract v1.1) each of `issues`
                    agreement = self._issue(key)["agreement"] = {
                        "event": r.id,
                        "date": r.date,
                        "parties": list(body.get("parties", ())),
                        "terms": body.get("terms"),
                        "ref": body.get("ref"),
                    }
                    if "issues" in body:
                        agreement["issues"] = list(body["issues"])
        stance = body.get("stance")
        for key in touched:
            issue = self._issue(key)
            issue["last_event"] = {"id": r.id, "date": r.date}
            if stance and r.party is not None:
                # `since` (contract §5) is the date the stance was last stated; the issue's
                # `held_since` (an addition) the date the party's stance took this value:
                # a restatement keeps it. Kept beside the stances, so that they keep the
                # contract's shape exactly.
                held = issue["stances"].get(r.party)
                if held is None or held["stance"] != stance:
                    issue["held_since"][r.party] = r.date
                issue["stances"][r.party] = {"stance": stance, "since": r.date, "event": r.id}
                if body.get("reported_by"):
                    issue["stances"][r.party]["reported_by"] = body["reported_by"]
        keys = [*touched, *(k for k in affected if k not in touched)]
        for key in keys:
            issue = self._issue(key)
            issue["status"] = issue_status(issue)
        return keys

    def view(self, keys: Iterable[str] | None = None, *, copy: bool = True) -> dict[str, dict[str, Any]]:
        """The issues in the shape of contract §5.

        ``copy=False`` hands out the fold's own dicts (already in that shape), for a
        caller that is done with the fold: a long thread's view costs nothing then.
        """
        keys = list(self.issues) if keys is None else keys
        if not copy:
            return {key: self.issues[key] for key in keys if key in self.issues}
        return {key: issue_view(self.issues[key]) for key in keys if key in self.issues}


def issue_status(issue: Mapping[str, Any]) -> str:
    """Rule 7: agreed, contested, open or not-raised."""
    if issue["agreement"] is not None:
        return "agreed"
    stances = {s["stance"] for s in issue["stances"].values()}
    if "supports" in stances and "opposes" in stances:
        return "contested"
    if issue["last_event"] is not None:
        return "open"
    return "not-raised"


def issue_view(issue: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": issue["title"],
        "status": issue["status"],
        "last_event": dict(issue["last_event"]) if issue["last_event"] else None,
        "stances": {p: dict(s) for p, s in issue["stances"].items()},
        "items": {
            item_id: {
                "kind": item["kind"],
                "by": item["by"],
                "date": item["date"],
                "status": item["status"],
                "responses": {p: dict(a) for p, a in item["responses"].items()},
                "summary": item["summary"],
                "text": item["text"],
                **({"reported_by": item["reported_by"]} if "reported_by" in item else {}),
            }
            for item_id, item in issue["items"].items()
        },
        "agreement": dict(issue["agreement"]) if issue["agreement"] else None,
        "held_since": dict(issue["held_since"]),
    }


def state_as_of(
    records: Iterable[Rec],
    declared: Mapping[str, IssueInfo],
    as_of: str,
    known_at: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Every declared issue as of ``as_of`` (and as known at ``known_at``)."""
    return FoldRun(records, declared, as_of, known_at).to_end().view()


# ---------------------------------------------------------------------------
# What changed: between two views of the same issues
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two states of an issue, in plain words.

    ``subject`` is what it is about: the party (``stance``), the item (``tabled``,
    ``answered``, ``item-status``, ``removed``), the issue (``status``) or, for an
    ``agreement``, the list of its parties.  An ``answered`` change also names the
    answering ``party``, and its ``before`` and ``after`` are the responses as the
    state shows them (``{"response", "qualifier"?, "reason"?, "date", "event"}``) or null.
    """

    issue: str
    what: str  # stance | tabled | answered | status | item-status | agreement | removed
    subject: Any  # the party, item or issue it is about; an agreement's parties (a list)
    before: Any
    after: Any
    event: str | None = None
    party: str | None = None  # an answer's party

    def as_dict(self) -> dict[str, Any]:
        out = {
            "issue": self.issue,
            "what": self.what,
            "subject": list(self.subject) if isinstance(self.subject, tuple | list) else self.subject,
            "before": self.before,
            "after": self.after,
            "event": self.event,
        }
        if self.what == "answered":
            out["party"] = self.party
        return out


def diff_views(before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """Every change from one view of the issues to another, issue by issue.

    A response has changed when anything of it has: a party answering for the
    first time, another response or qualifier, or a newer answering event (a
    rejection restated with a new date and reason is a change).
    """
    changes: list[Change] = []
    empty: dict[str, Any] = {"status": "not-raised", "stances": {}, "items": {}, "agreement": None}
    for key in list(dict.fromkeys([*before, *after])):
        a = before.get(key, empty)
        b = after.get(key, empty)
        for party in dict.fromkeys([*a["stances"], *b["stances"]]):
            sa = a["stances"].get(party)
            sb = b["stances"].get(party)
            if (sa or {}).get("stance") != (sb or {}).get("stance"):
                changes.append(
                    Change(key, "stance", party, sa and sa["stance"], sb and sb["stance"], sb and sb["event"])
                )
        for item_id in dict.fromkeys([*a["items"], *b["items"]]):
            ia = a["items"].get(item_id)
            ib = b["items"].get(item_id)
            if ia is None and ib is not None:
                changes.append(Change(key, "tabled", item_id, None, ib["kind"], item_id))
                ia = {"status": "open", "responses": {}}
            if ib is None:
                changes.append(Change(key, "removed", item_id, ia["kind"], None))
                continue
            for party in dict.fromkeys([*ia["responses"], *ib["responses"]]):
                ra = ia["responses"].get(party)
                rb = ib["responses"].get(party)
                if ra != rb:
                    changes.append(
                        Change(
                            key, "answered", item_id, ra and dict(ra), rb and dict(rb), rb and rb["event"], party=party
                        )
                    )
            if ia["status"] != ib["status"]:
                changes.append(Change(key, "item-status", item_id, ia["status"], ib["status"]))
        agreement_a = a.get("agreement")
        agreement_b = b.get("agreement")
        if (agreement_a or {}).get("event") != (agreement_b or {}).get("event"):
            changes.append(
                Change(
                    key,
                    "agreement",
                    list(agreement_b["parties"]) if agreement_b else [],
                    agreement_a and agreement_a["terms"],
                    agreement_b and agreement_b["terms"],
                    agreement_b and agreement_b["event"],
                )
            )
        if a["status"] != b["status"]:
            changes.append(Change(key, "status", key, a["status"], b["status"]))
    return changes


def response_text(response: Mapping[str, Any] | None) -> str | None:
    """A party's response to an item in words: accepted, accepted in principle, rejected (None: no response)."""
    if response is None:
        return None
    if response["response"] == "accepted" and response.get("qualifier") == "in_principle":
        return "accepted in principle"
    return str(response["response"])


def replay(
    records: Iterable[Rec],
    declared: Mapping[str, IssueInfo],
    until: str,
    known_at: str | None = None,
    issue: str | None = None,
) -> Iterable[tuple[Rec, list[Change]]]:
    """Step through the events in view, yielding what each one changed."""
    run = FoldRun(records, declared, until, known_at)
    fold = run.fold
    while (r := run.next) is not None:
        # in a fixed order (the event's own issues, then those of the item it names): the
        # lines of a step come in this order, whatever the hash seed
        candidates = dict.fromkeys(r.touched_issues())
        ref_field = VOCABULARY[r.type].ref_field
        ref = r.body.get(ref_field) if ref_field else None
        if ref and ref in fold.items:
            candidates.update(dict.fromkeys(fold.item_issues[ref]))
        before = fold.view(list(candidates))
        affected = run.step()
        after = fold.view(list(dict.fromkeys([*candidates, *affected])))
        changes = diff_views(before, after)
        if issue is not None:
            changes = [c for c in changes if c.issue == issue]
            if not changes and issue not in affected:
                continue
        yield r, changes


# ---------------------------------------------------------------------------
# The one driver of the fold
# ---------------------------------------------------------------------------


class FoldRun:
    """The events in view as of ``as_of`` (known at ``known_at``), in order, applied to ``fold`` one by one.

    The one driver of the fold: rules 1-3 (:func:`select`) choose and order the
    events, :meth:`Fold.apply` (rules 4-7) applies them.  ``state`` and ``diff``
    (through the checkpoints), ``state_by_replay``, ``replay`` (one :meth:`step`
    at a time), ``verify``'s check of the checkpoints, the scenarios (they ask
    ``state``) and the report's states by date all fold through it.  The events
    are taken one at a time (a lookahead of one), so a long thread can be
    streamed from the store (``selected``: events already chosen and ordered by
    rules 1-3, as :func:`not_retracted` yields them).  What it returns comes in
    a fixed order (lists and dicts, never sets), whatever the hash seed.
    """

    def __init__(
        self,
        records: Iterable[Rec] | None,
        declared: Mapping[str, IssueInfo],
        as_of: str,
        known_at: str | None = None,
        *,
        fold: Fold | None = None,
        selected: Iterable[Rec] | None = None,
    ):
        self.fold = fold if fold is not None else Fold.start(declared)
        events = selected if selected is not None else select(records or (), as_of, known_at)  # rules 1-3
        self._events = iter(events)
        self._next: Rec | None = next(self._events, None)
        self.applied = 0  # how many of them are in the fold

    @property
    def next(self) -> Rec | None:
        """The next event to apply (None: all are applied)."""
        return self._next

    def step(self) -> list[str]:
        """Apply the next event (rules 4-7); the issues whose view it changed, in a fixed order."""
        r = self._next
        assert r is not None, "no event left to apply"
        self._next = next(self._events, None)
        self.applied += 1
        return self.fold.apply(r)

    def to_end(self) -> Fold:
        """Apply every event left; the fold."""
        while self._next is not None:
            self.step()
        return self.fold

    def until(self, day: str) -> Fold:
        """Apply every event left dated on or before ``day``; the fold."""
        while self._next is not None and self._next.date <= day:  # type: ignore[operator]
            self.step()
        return self.fold

    def by_date(self) -> Iterator[tuple[str, dict[str, None], dict[str, None]]]:
        """Apply the events left date by date: after each date, (the date, issues changed, ids named)."""
        day: str | None = None
        changed: dict[str, None] = {}
        named: dict[str, None] = {}
        while (r := self._next) is not None:
            if day is not None and r.date != day:
                yield day, changed, named
                changed, named = {}, {}
            day = r.date
            changed.update(dict.fromkeys(self.step()))
            named.update(dict.fromkeys(x for x in (r.id, r.body.get("ref"), r.body.get("revises")) if x))
        if day is not None:
            yield day, changed, named
