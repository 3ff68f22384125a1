"""What a report shows, gathered from the store as plain data (JSON types).

Nothing here decides what an event means: the states are the fold's
(:mod:`negotrack.domain.state`, contract §5), taken after each date on which
something changed, and the page only looks them up.  To keep a long thread's
file small, the states share their parts: each distinct state of an item is
kept once (``item_states``), each distinct state of an issue once
(``issue_states``, naming its items' states by index), and each date lists the
state of every issue by index.  Resolving those indexes is all the page does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from negotrack.domain.state import FoldRun, Fold, IssueInfo, Rec, apply_order
from negotrack.domain.vocabulary import ANSWERS, ITEM_KINDS, RETRACTION, V11_COMMON_FIELDS, VOCABULARY, touched_issues
from negotrack.domain.vocabulary import OWN_FIELDS as _FIELDS

if TYPE_CHECKING:
    from negotrack.store.store import Store

DETAIL_CHUNK = 250  # events per lazily parsed block of details
KEYFRAME = 16  # an issue's items kept whole every this many of its states
END_OF_TIME = "9999-12-31"
# the types' own fields (stance is shown apart), then v1.1's optional common ones
OWN_FIELDS = tuple(f for f in _FIELDS if f != "stance") + V11_COMMON_FIELDS


@dataclass
class Request:
    """What the report is of: a thread, optionally some issues, a date span, what was known when."""

    slug: str
    issues: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    known_at: datetime | None = None


def gather(store: Store, req: Request, made_at: str) -> dict[str, Any]:
    """Everything the page needs, from one consistent read of the store."""
    from negotrack.app.queries import iso_instant, thread_record

    record = thread_record(store, req.slug, req.known_at, req.issues)
    declared, recs, known_key = record.declared, record.recs, record.known_key
    title, parties, actors, sources = record.title, record.parties, record.actors, record.sources
    shown_issues = list(req.issues) or list(declared)
    events, details, retractions = _events(recs, req, set(shown_issues))
    states = _states(recs, declared, shown_issues, req, known_key)
    cited = sorted({s["ref"] for d in details for s in d["sources"]})
    return {
        "thread": {"id": req.slug, "title": title or req.slug},
        "made_at": made_at,
        "known_at": iso_instant(req.known_at),
        "from": req.start,
        "to": req.end,
        "issue_filter": list(req.issues),
        "parties": [
            {
                "id": key,
                "name": body.get("name", key),
                "actors": [
                    {"id": a, "name": ab.get("name", a), "role": ab.get("role")}
                    for a, ab in actors.items()
                    if ab.get("party") == key
                ],
            }
            for key, body in parties.items()
        ],
        "issues": [
            {"id": key, "title": declared[key].title, "proposition": declared[key].proposition} for key in shown_issues
        ],
        "sources": {key: _source(sources[key]) for key in cited if key in sources},
        "events": events,
        "retractions": retractions,
        "detail_chunk": DETAIL_CHUNK,
        "states": states,
    }, details


def _source(s: dict[str, Any]) -> dict[str, Any]:
    url = s.get("url")
    return {
        "title": s.get("title"),
        "published": s.get("published"),
        "reliability": s.get("reliability"),
        # only a web address becomes a link (never javascript: or file:)
        "url": url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None,
    }


def _events(
    recs: list[Rec], req: Request, shown: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The dated events in the report's span (retracted ones too), their details, and the retractions."""
    retraction_of = {r.body["ref"]: r for r in recs if r.type == RETRACTION}
    by_seq = sorted(recs, key=lambda r: r.seq)
    item_issues = {r.id: r.touched_issues() for r in by_seq if r.type in ITEM_KINDS}
    answered_by: dict[str, list[str]] = {}
    for r in by_seq:
        key = VOCABULARY[r.type].ref_field
        target = r.body.get(key) if key else None
        if target and r.type != RETRACTION:
            answered_by.setdefault(target, []).append(r.id)
    events: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    for r in sorted(recs, key=apply_order):  # in the order of contract §5 rule 3 (v1.1: order and time within a day)
        if r.date is None or (req.start and r.date < req.start) or (req.end and r.date > req.end):
            continue
        touched = touched_issues(r.type, r.body, item_issues)
        if req.issues and not shown.intersection(touched):
            continue
        event: dict[str, Any] = {
            "id": r.id,
            "t": r.type,
            "d": r.date,
            "p": r.party,
            "s": r.body.get("summary"),
        }
        if r.body.get("precision", "day") != "day":
            event["pr"] = r.body["precision"]
        if r.body.get("by") and r.body.get("by") != r.party:
            event["a"] = r.body["by"]
        if touched:
            event["i"] = touched
        if r.body.get("stance"):
            event["st"] = r.body["stance"]
        if r.type == "AgreementReached":
            event["ps"] = list(r.body.get("parties", ()))
        if r.id in retraction_of:
            event["x"] = retraction_of[r.id].id
        elif r.type in ANSWERS and r.body.get("ref") in retraction_of:
            event["xa"] = retraction_of[r.body["ref"]].id  # answers a retracted report: out of view too
        events.append(event)
        details.append(
            {
                "recorded_at": r.recorded_at,
                "fields": {k: r.body[k] for k in OWN_FIELDS if r.body.get(k) is not None},
                "sources": [{"ref": s["ref"], "quote": s.get("quote")} for s in r.body.get("source", [])],
                "answered_by": answered_by.get(r.id, []),
            }
        )
    retractions = {
        r.id: {"ref": r.body["ref"], "reason": r.body.get("reason"), "summary": r.body.get("summary"),
               "recorded_at": r.recorded_at}
        for r in recs
        if r.type == RETRACTION
    }  # fmt: skip
    return events, details, retractions


def states_by_date(
    recs: Iterable[Rec], declared: dict[str, IssueInfo], until: str, known_key: str | None
) -> Iterator[tuple[str, Fold, dict[str, None], dict[str, None]]]:
    """The fold after each date on which an event in view applies: (date, fold, issues changed, ids named).

    One pass of the fold driver (:class:`negotrack.domain.state.FoldRun`) over the events in view.
    """
    run = FoldRun(recs, declared, until, known_key)
    for day, changed, named in run.by_date():
        yield day, run.fold, changed, named


def _states(
    recs: list[Rec], declared: dict[str, IssueInfo], shown: list[str], req: Request, known_key: str | None
) -> dict[str, Any]:
    """The state of each shown issue after every date on which one changed, with its parts shared."""
    item_info: dict[str, list[Any]] = {}  # id -> [kind, by, date, text, summary]
    item_states: list[list[Any]] = []  # [id, status, responses]
    item_state_index: dict[str, int] = {}  # item id -> index of its current state
    issue_states: list[dict[str, Any]] = []
    interned: dict[tuple[Any, ...], int] = {}
    shown_set = set(shown)

    stance_list: list[list[str]] = []  # [stance, since, event], each kept once
    stance_ids: dict[tuple[str, str, str], int] = {}

    def stance_index(s: dict[str, str]) -> int:
        ident = (s["stance"], s["since"], s["event"])
        if ident not in stance_ids:
            stance_ids[ident] = len(stance_list)
            stance_list.append(list(ident))
        return stance_ids[ident]

    keyframe: dict[str, tuple[int, list[int], int]] = {}  # issue -> (index of its last full state, its items, uses)

    def issue_state(key: str, issue: dict[str, Any]) -> int:
        last = issue["last_event"]
        agreement = issue["agreement"]
        items = [item_state_index[i] for i in issue["items"]]
        stances = {p: stance_index(s) for p, s in issue["stances"].items()}
        ident = (
            key,
            issue["status"],
            tuple(last.values()) if last else (),
            tuple(stances.items()),
            tuple(items),
            agreement and agreement["event"],
        )
        if ident in interned:
            return interned[ident]
        state: dict[str, Any] = {
            "status": issue["status"],
            "last_event": [last["id"], last["date"]] if last else None,
            "stances": stances,
            "agreement": agreement,
        }
        # The items' list is kept whole every KEYFRAME states of an issue; in between, as the changes
        # from that one (items only ever join the end of the list): a long thread's file stays small.
        base = keyframe.get(key)
        changed = [] if base is None else [[n, i] for n, i in enumerate(items[: len(base[1])]) if i != base[1][n]]
        if base is None or base[2] >= KEYFRAME or len(items) < len(base[1]) or len(changed) * 4 > len(items):
            state["items"] = items
            keyframe[key] = (len(issue_states), items, 0)
        else:
            state["base"] = base[0]
            state["set"] = changed
            state["add"] = items[len(base[1]) :]
            keyframe[key] = (base[0], base[1], base[2] + 1)
        interned[ident] = len(issue_states)
        issue_states.append(state)
        return interned[ident]

    fold0 = Fold.start(declared)
    current = {key: issue_state(key, fold0.issues[key]) for key in shown}
    initial = [current[key] for key in shown]
    dates: list[str] = []
    by_date: list[list[int]] = []
    for day, fold, changed, named in states_by_date(recs, declared, req.end or END_OF_TIME, known_key):
        for item_id in named:
            item = fold.items.get(item_id)
            if item is None:
                continue
            if item_id not in item_info:
                item_info[item_id] = [item["kind"], item["by"], item["date"], item["text"], item["summary"]]
            responses = {p: [a["response"], a.get("qualifier"), a["date"], a["event"]] for p, a in item["responses"].items()}
            item_states.append([item_id, item["status"], responses])
            item_state_index[item_id] = len(item_states) - 1
        touched = [key for key in changed if key in shown_set]
        if not touched:
            continue
        for key in touched:
            current[key] = issue_state(key, fold.issues[key])
        row = [current[key] for key in shown]
        if req.start and day < req.start:
            initial = row  # the state at the report's start: everything before it folded in
            continue
        if row == (by_date[-1] if by_date else initial):
            continue  # nothing shown changed (e.g. an answer to an item of an issue not shown)
        dates.append(day)
        by_date.append(row)
    return {
        "initial": initial,
        "dates": dates,
        "by_date": by_date,
        "issue_states": issue_states,
        "stances": stance_list,
        "item_states": item_states,
        "item_info": item_info,
    }
