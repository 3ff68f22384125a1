"""The event vocabulary of contract §3 in one table: what each event type is and which fields mean what.

Every module that needs to know something about an event type (the checker,
the fold, the store, the exports, the renderings) reads it here, instead of
listing type names of its own.  Plain Python: importing it costs nothing (no
pydantic), so ``--help`` and the queries stay fast.

Adding an event type is: a row in :data:`VOCABULARY`, its payload model in
:mod:`negotrack.domain.events` (``tests/unit/test_vocabulary.py`` holds the
two together: a row without a model, or naming a field its model lacks,
fails that test), and the docs (``docs/contract.md`` §3, ``docs/interop.md``
for its PLOVER code in ``timeline/plover.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EventType:
    """One event type of contract §3.

    ``fields`` are its own fields (beyond the common ones: ``id``, ``type``,
    ``date``, ``by``, ``issue``, ``summary``, ``source``, ``stance``,
    ``precision``), in the order of the contract's table.
    """

    name: str
    fields: tuple[str, ...]
    item_kind: str | None = None  # the kind of item it puts on the table (contract §5 rule 6), if any
    text_field: str | None = None  # the field holding that item's text
    answer: bool = False  # answers an item (Accepted, Rejected, Withdrawn): touches the issues of that item
    response: str | None = None  # the response it records on the item for its party (``responses``)
    by_owner: bool = False  # an answer only the item's own party may give (else only another party)
    ref_field: str | None = None  # the field naming an earlier event
    ref_names: str | None = None  # what that field must name: "item", "proposal" or "event"
    party_fields: tuple[str, ...] = ()  # fields naming declared parties (``by``, common, names an actor or a party)
    issue_fields: tuple[str, ...] = ("issue",)  # fields naming declared issues; "a.b": field b of each element of a
    correction: bool = False  # the analyst correcting the record (ReportRetracted), not said by a party
    _issue_paths: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        paths = tuple((name, sub) for name, _, sub in (f.partition(".") for f in self.issue_fields))
        object.__setattr__(self, "_issue_paths", paths)


VOCABULARY: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("PositionStated", ("stance",)),
        EventType(
            "DemandIssued",
            ("demand", "of", "precondition"),
            item_kind="demand",
            text_field="demand",
            party_fields=("of",),
        ),
        EventType(
            "ProposalTabled",
            ("title", "provisions", "revises"),
            item_kind="proposal",
            text_field="title",
            ref_field="revises",
            ref_names="proposal",
            issue_fields=("issue", "provisions.issue"),
        ),
        EventType(
            "ConcessionMade",
            ("concession", "in_exchange_for"),
            item_kind="concession",
            text_field="concession",
        ),
        EventType(
            "GuaranteeOffered",
            ("guarantee", "to", "form", "conditions"),
            item_kind="guarantee",
            text_field="guarantee",
            party_fields=("to",),
        ),
        EventType("ThreatIssued", ("threat", "unless"), item_kind="threat", text_field="threat"),
        EventType(
            "Accepted",
            ("ref", "qualifier"),
            answer=True,
            response="accepted",
            ref_field="ref",
            ref_names="item",
        ),
        EventType(
            "Rejected",
            ("ref", "reason"),
            answer=True,
            response="rejected",
            ref_field="ref",
            ref_names="item",
        ),
        EventType("Withdrawn", ("ref",), answer=True, by_owner=True, ref_field="ref", ref_names="item"),
        EventType(
            "AgreementReached",
            ("parties", "terms", "ref"),
            ref_field="ref",
            ref_names="item",
            party_fields=("parties",),
        ),
        EventType(
            "ReportRetracted",
            ("ref", "reason"),
            ref_field="ref",
            ref_names="event",
            issue_fields=(),
            correction=True,
        ),
    )
}

STATEMENT_TYPES: tuple[str, ...] = tuple(VOCABULARY)  # the types a timeline file's events may have, in order
RETRACTION = "ReportRetracted"  # the analyst's correction: takes the event it names out of view
ITEM_KINDS: dict[str, str] = {t.name: t.item_kind for t in VOCABULARY.values() if t.item_kind}  # type -> kind
ITEM_TEXT_FIELD: dict[str, str] = {t.item_kind: t.text_field for t in VOCABULARY.values() if t.item_kind and t.text_field}
KINDS: tuple[str, ...] = tuple(ITEM_KINDS.values())  # demand, proposal, concession, guarantee, threat
ANSWERS: frozenset[str] = frozenset(t.name for t in VOCABULARY.values() if t.answer)
ANSWER_TYPES: tuple[str, ...] = tuple(t.name for t in VOCABULARY.values() if t.answer)  # ANSWERS, in order
RESPONSE_OF: dict[str, str] = {t.name: t.response for t in VOCABULARY.values() if t.response}  # type -> response
OWN_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for t in VOCABULARY.values() for f in t.fields))

STANCES: tuple[str, ...] = ("supports", "opposes", "conditional", "undecided")
PRECISIONS: tuple[str, ...] = ("day", "week", "month")


def named_issues(type_name: str, body: Mapping[str, Any]) -> list[str]:
    """The issues an event names itself (its issue fields), in order, each once.

    ``body`` is the event's fields: plain data (a read-model body) or a
    statement model's ``__dict__`` (its elements may then be models).
    """
    out: list[str] = []
    for name, sub in VOCABULARY[type_name]._issue_paths:
        value = body.get(name)
        if not value:
            continue
        if not sub:
            if value not in out:
                out.append(value)
            continue
        for element in value:
            issue = element.get(sub) if isinstance(element, Mapping) else getattr(element, sub, None)
            if issue and issue not in out:
                out.append(issue)
    return out


def touched_issues(type_name: str, body: Mapping[str, Any], item_issues: Mapping[str, Sequence[str]]) -> list[str]:
    """The issues an event touches (contract §5 rule 4): the one place this is worked out.

    An event touches the issues it names; an answer (``Accepted``,
    ``Rejected``, ``Withdrawn``) touches the issues of the item it answers,
    looked up in ``item_issues`` (item id -> the issues it touches), and
    nothing when that item is unknown.
    """
    kind = VOCABULARY[type_name]
    if kind.answer:
        return list(item_issues.get(body.get(kind.ref_field or "ref"), ()))  # type: ignore[arg-type]
    return named_issues(type_name, body)


def source_identity(
    title: str | None, url: str | None, published: date | None, reliability: str | None, text_sha256: str | None
) -> dict[str, Any]:
    """What identifies a source's declaration: every field but where its file lay.

    The checker compares a re-declared source with the stored one by this,
    so it is built here once: the two must never differ in form.
    """
    return {
        "title": title,
        "url": url,
        "published": published.isoformat() if published else None,
        "reliability": reliability,
        "text_sha256": text_sha256,
    }
