"""The event vocabulary of contract §3 in one table: what each event type is and which fields mean what.

Every module that needs to know something about an event type (the checker,
the fold, the store, the exports, the renderings) reads it here, instead of
listing type names of its own.  Plain Python: importing it costs nothing (no
pydantic), so ``--help`` and the queries stay fast.

Adding an event type is:

1. a row in :data:`VOCABULARY` (here);
2. its payload model in :mod:`negotrack.domain.events` (the fields a file
   gives, validated), and its recorded class there, one line:
   ``class XEvent(Recorded, X): pass``;
3. its PLOVER code in :data:`negotrack.timeline.plover.MAPPING`;
4. the docs: ``docs/contract.md`` §3, and ``docs/interop.md`` for the code.

Everything else (the checker, the fold, the read model, the CSV columns, the
exports, the report) reads the table.  ``tests/unit/test_vocabulary.py``
fails until the four agree: a row without a model, a model without a row, a
field named here that its model lacks, a type without a PLOVER code.
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
    ``precision``, and v1.1's ``time``, ``order``, ``reported_by``), in the
    order of the contract's table.
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
    issue_fields: tuple[str, ...] = ("issue",)  # fields naming declared issues (one, or a list); "a.b": field b of each element of a
    correction: bool = False  # the analyst correcting the record (ReportRetracted), not said by a party
    ref_word: str | None = None  # what it does to the event its ref_field names, in the timeline's words
    _issue_paths: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        paths = tuple((name, sub) for name, _, sub in (f.partition(".") for f in self.issue_fields))
        object.__setattr__(self, "_issue_paths", paths)


RETRACTION = "ReportRetracted"  # the analyst's correction: takes the event it names out of view

# fmt: off
VOCABULARY: dict[str, EventType] = {t.name: t for t in (
    EventType("PositionStated", ("stance",)),
    EventType("DemandIssued", ("demand", "of", "precondition"),
              item_kind="demand", text_field="demand", party_fields=("of",)),
    EventType("ProposalTabled", ("title", "provisions", "revises"),
              item_kind="proposal", text_field="title", ref_field="revises", ref_names="proposal", ref_word="revises",
              issue_fields=("issue", "provisions.issue")),
    EventType("ConcessionMade", ("concession", "in_exchange_for", "conditions"),  # conditions: contract v1.1
              item_kind="concession", text_field="concession"),
    EventType("GuaranteeOffered", ("guarantee", "to", "form", "conditions"),
              item_kind="guarantee", text_field="guarantee", party_fields=("to",)),
    EventType("ThreatIssued", ("threat", "unless"), item_kind="threat", text_field="threat"),
    EventType("Accepted", ("ref", "qualifier"), answer=True, response="accepted", ref_field="ref", ref_names="item",
              ref_word="answers"),
    EventType("Rejected", ("ref", "reason"), answer=True, response="rejected", ref_field="ref", ref_names="item",
              ref_word="answers"),
    EventType("Withdrawn", ("ref",), answer=True, by_owner=True, ref_field="ref", ref_names="item", ref_word="withdraws"),
    EventType("AgreementReached", ("parties", "terms", "ref", "issues"),  # issues: contract v1.1, instead of `issue`
              ref_field="ref", ref_names="item", ref_word="adopts", party_fields=("parties",),
              issue_fields=("issue", "issues")),
    # the analyst correcting the record, not a party's statement: it names no issue
    EventType(RETRACTION, ("ref", "reason"), ref_field="ref", ref_names="event", ref_word="retracts", issue_fields=(),
              correction=True),
)}
# fmt: on

STATEMENT_TYPES: tuple[str, ...] = tuple(VOCABULARY)  # the types a timeline file's events may have, in order
ITEM_KINDS: dict[str, str] = {t.name: t.item_kind for t in VOCABULARY.values() if t.item_kind}  # type -> kind
ITEM_TEXT_FIELD: dict[str, str] = {  # kind -> the field holding an item's text
    t.item_kind: t.text_field for t in VOCABULARY.values() if t.item_kind and t.text_field
}
KINDS: tuple[str, ...] = tuple(ITEM_KINDS.values())  # demand, proposal, concession, guarantee, threat
ANSWERS: frozenset[str] = frozenset(t.name for t in VOCABULARY.values() if t.answer)
RESPONSE_OF: dict[str, str] = {t.name: t.response for t in VOCABULARY.values() if t.response}  # type -> response
OWN_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for t in VOCABULARY.values() for f in t.fields))

# contract v1.1's optional common fields (on every type but ReportRetracted), beside the v1 ones
V11_COMMON_FIELDS: tuple[str, ...] = ("time", "order", "reported_by")

STANCES: tuple[str, ...] = ("supports", "opposes", "conditional", "undecided")
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")


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
            for issue in value if isinstance(value, list | tuple) else (value,):  # a list: AgreementReached's issues
                if issue not in out:
                    out.append(issue)
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
