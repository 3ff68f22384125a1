"""The event vocabulary of contract §3, and the declarations of a thread.

Every event is a frozen pydantic model that forbids unknown fields. A
*statement* class (``DemandIssued`` …) describes what a timeline file says; the
domain event recorded in the store is the same model plus the envelope the
event store needs (``originator_id``, ``originator_version``, ``timestamp``) and
the speaking party resolved from the actor.  Topics are ``module:qualname``:
never move or rename these classes without registering the old topic.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from negotrack.domain import vocabulary
from negotrack.domain.limits import MAX_FIELD_CHARS, MAX_ID_CHARS, MAX_LIST_ITEMS
from negotrack.domain.vocabulary import STANCES, named_issues, source_identity  # noqa: F401 - STANCES: read here

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
YEAR_RE = re.compile(r"\d{4}")
TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
MAX_ORDER = 999  # contract v1.1: `order` is an integer in [-MAX_ORDER, MAX_ORDER]


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a slug (lower-case letters, digits, '.', '_', '-')")
    return value


_NAMES_SEEN: set[str] = set()  # identifiers already found valid: a timeline repeats a few of them a lot


def _name(value: Any) -> Any:
    if type(value) is str and value in _NAMES_SEEN:
        return value
    if isinstance(value, str):
        if not NAME_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not an identifier (letters, digits, '.', '_', '-')")
        if len(_NAMES_SEEN) < 10_000:
            _NAMES_SEEN.add(value)
    return value


_DATES_SEEN: dict[str, date] = {}  # dates already parsed (immutable, so shared): events share days


def parse_iso_date(value: Any) -> Any:
    """Accept exactly ``YYYY-MM-DD`` (or a ``date``); anything else is a bad date."""
    if type(value) is str:
        seen = _DATES_SEEN.get(value)
        if seen is not None:
            return seen
    if isinstance(value, datetime):
        raise ValueError("a date must be YYYY-MM-DD, not a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and MONTH_RE.fullmatch(value):
        raise ValueError(f"bad date {value!r}: a date is YYYY-MM-DD; for a month, write {value}-01 with `precision: month`")
    if isinstance(value, int | str) and not isinstance(value, bool) and YEAR_RE.fullmatch(str(value)):
        raise ValueError(f"bad date {value!r}: a date is YYYY-MM-DD; for a year, write {value}-01-01 with `precision: year`")
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        raise ValueError(f"bad date {value!r}: expected YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"bad date {value!r}: no such day") from None
    if len(_DATES_SEEN) < 10_000:
        _DATES_SEEN[value] = day
    return day


def _time(value: Any) -> Any:
    """Accept exactly ``HH:MM`` (24-hour): contract v1.1's `time`."""
    if not isinstance(value, str) or not TIME_RE.fullmatch(value):
        raise ValueError(f"bad time {value!r}: expected HH:MM, 24-hour (e.g. 09:05 or 17:30)")
    return value


def _order(value: Any) -> Any:
    """Accept an integer in [-MAX_ORDER, MAX_ORDER] (not a boolean, not text): contract v1.1's `order`."""
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_ORDER <= value <= MAX_ORDER:
        raise ValueError(
            f"bad order {value!r}: expected a whole number from {-MAX_ORDER} to {MAX_ORDER} "
            "(0 is the place of an event without `order`; lower comes first within the day)"
        )
    return value


def _as_list(value: Any) -> Any:
    if value is None or isinstance(value, list | tuple):
        return value
    return [value]


Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_FIELD_CHARS)]
OptText = Annotated[str, StringConstraints(max_length=MAX_FIELD_CHARS)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS), BeforeValidator(_slug)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS), BeforeValidator(_name)]
IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
Stance = Literal["supports", "opposes", "conditional", "undecided"]  # vocabulary.STANCES (a test holds them equal)
Precision = Literal["day", "week", "month", "year"]  # vocabulary.PRECISIONS
Time = Annotated[str, BeforeValidator(_time)]
Order = Annotated[int, BeforeValidator(_order)]
NameList = Annotated[list[Name], BeforeValidator(_as_list), Field(max_length=MAX_LIST_ITEMS)]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def field_value(model: BaseModel, name: str) -> Any:
    """A field's value, or None where the model's class has no such field (``ref``, ``revises``).

    ``getattr(model, name, None)`` does the same, but a name a pydantic model
    lacks goes through its ``__getattr__`` and its class's before failing:
    slow enough to matter when asked of every event of a big ingest.
    """
    return model.__dict__.get(name)


# --------------------------------------------------------------------------
# Declarations (thread, parties, actors, issues, sources) as they appear in a file
# --------------------------------------------------------------------------


class PartyDecl(Frozen):
    name: Text


class ActorDecl(Frozen):
    name: Text
    party: Name
    role: OptText | None = None


class IssueDecl(Frozen):
    title: Text
    proposition: OptText | None = None


class SourceDecl(Frozen):
    title: OptText | None = None
    path: Text | None = None
    url: Text | None = None
    published: IsoDate | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None

    @model_validator(mode="after")
    def _path_or_url(self) -> SourceDecl:
        if not self.path and not self.url:
            raise ValueError("a source needs a `path` or a `url`")
        return self


# --------------------------------------------------------------------------
# Statements: the types of contract §3
# --------------------------------------------------------------------------


class SourceRef(Frozen):
    ref: Name
    quote: Text | None = None


SourceRefs = Annotated[list[SourceRef], BeforeValidator(_as_list), Field(min_length=1, max_length=MAX_LIST_ITEMS)]


class Provision(Frozen):
    issue: Name
    text: Text


class Statement(Frozen):
    """Fields common to every event of §3.

    Subclasses tighten what is required. ``type`` is the discriminator.
    """

    id: Slug
    type: str
    date: IsoDate
    by: Name
    issue: Name | None = None
    summary: Text
    source: SourceRefs
    stance: Stance | None = None
    precision: Precision = "day"
    # contract v1.1 (each None when absent, so that an event without them keeps its content and digest)
    time: Time | None = None
    order: Order | None = None
    reported_by: Name | None = None

    @model_validator(mode="after")
    def _time_needs_a_day(self) -> Statement:
        if self.time is not None and self.precision != "day":
            raise ValueError(f"`time` needs `precision: day` (the date is known only to the {self.precision})")
        return self

    def item_issues(self) -> list[str]:
        """The issues the statement names (an item it tables is listed under them): vocabulary.named_issues."""
        return named_issues(self.type, self.__dict__)

    def content(self) -> dict[str, Any]:
        """The statement as plain JSON-able data (what the file said, normalised)."""
        return self.model_dump(mode="json", include=_content_fields(type(self)), exclude_none=True)


class _Issued(Statement):
    issue: Name


class PositionStated(_Issued):
    type: Literal["PositionStated"]
    stance: Stance


class DemandIssued(_Issued):
    type: Literal["DemandIssued"]
    demand: Text
    of: NameList = Field(default_factory=list)
    precondition: bool = False


class ProposalTabled(Statement):
    type: Literal["ProposalTabled"]
    title: Text
    provisions: list[Provision] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    revises: Slug | None = None


class ConcessionMade(_Issued):
    type: Literal["ConcessionMade"]
    concession: Text
    in_exchange_for: OptText | None = None
    conditions: OptText | None = None  # contract v1.1, as on GuaranteeOffered


class GuaranteeOffered(_Issued):
    type: Literal["GuaranteeOffered"]
    guarantee: Text
    to: Name
    form: OptText | None = None
    conditions: OptText | None = None


class ThreatIssued(_Issued):
    type: Literal["ThreatIssued"]
    threat: Text
    unless: OptText | None = None


class Accepted(Statement):
    type: Literal["Accepted"]
    ref: Slug
    qualifier: Literal["full", "in_principle"] = "full"


class Rejected(Statement):
    type: Literal["Rejected"]
    ref: Slug
    reason: OptText | None = None


class Withdrawn(Statement):
    type: Literal["Withdrawn"]
    ref: Slug


class AgreementReached(Statement):
    type: Literal["AgreementReached"]
    by: Name | None = None  # type: ignore[assignment]
    issue: Name | None = None
    parties: NameList = Field(min_length=2)
    terms: Text
    ref: Slug | None = None
    issues: Annotated[list[Name], Field(min_length=1, max_length=MAX_LIST_ITEMS)] | None = None  # contract v1.1

    @model_validator(mode="after")
    def _issue_or_issues(self) -> AgreementReached:
        if self.issue is None and self.issues is None:
            raise ValueError("missing required field `issue` (or `issues`, a list, for an agreement on several issues)")
        if self.issue is not None and self.issues is not None:
            raise ValueError("give `issue` or `issues`, not both (`issues` lists every issue the agreement settles)")
        if self.issues is not None and len(set(self.issues)) != len(self.issues):
            twice = sorted({i for i in self.issues if self.issues.count(i) > 1})
            raise ValueError(f"`issues` names {', '.join(map(repr, twice))} more than once")
        return self


class ReportRetracted(Frozen):
    """The analyst correcting the record: the event ``ref`` was misreported."""

    id: Slug
    type: Literal["ReportRetracted"]
    ref: Slug
    reason: Text
    summary: Text

    # uniform accessors, so code can treat every statement alike
    date: ClassVar[None] = None
    by: ClassVar[None] = None
    issue: ClassVar[None] = None
    stance: ClassVar[None] = None
    time: ClassVar[None] = None
    order: ClassVar[None] = None
    reported_by: ClassVar[None] = None
    source: ClassVar[list[SourceRef]] = []

    def item_issues(self) -> list[str]:
        return []

    def content(self) -> dict[str, Any]:
        return self.model_dump(mode="json", include=_content_fields(type(self)), exclude_none=True)


_FIELDS_CACHE: dict[type, tuple[str, ...]] = {}
_CONTENT_FIELDS: dict[type, set[str]] = {}


def _content_fields(cls: type) -> set[str]:
    """``statement_fields`` as the set ``model_dump(include=...)`` takes, built once per class (never mutated)."""
    try:
        return _CONTENT_FIELDS[cls]
    except KeyError:
        fields = _CONTENT_FIELDS[cls] = set(statement_fields(cls))
        return fields


def statement_fields(cls: type) -> tuple[str, ...]:
    """The fields a statement class has in a timeline file (not the envelope)."""
    try:
        return _FIELDS_CACHE[cls]
    except KeyError:
        pass
    base = next(c for c in cls.__mro__ if c.__name__ in STATEMENT_TYPES and c.__module__ == __name__)
    names = tuple(n for n in base.model_fields if n not in ENVELOPE_FIELDS)
    _FIELDS_CACHE[cls] = names
    return names


# --------------------------------------------------------------------------
# The envelope: what turns a statement into a stored domain event
# --------------------------------------------------------------------------

ENVELOPE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "party"})


class DomainEvent(Frozen):
    """An event of the thread aggregate, as the event store keeps it.

    ``timestamp`` is the recorded time: set from the clock when the event is
    created, never by a user.
    """

    originator_id: UUID
    originator_version: int
    timestamp: datetime

    class_version: ClassVar[int] = 1


class Recorded(DomainEvent):
    """Base of the recorded statements: the envelope plus the speaking party."""

    party: Name | None = None


# Declarations ----------------------------------------------------------------


class ThreadOpened(DomainEvent):
    slug: Slug
    title: OptText | None = None


class ThreadRetitled(DomainEvent):
    title: Text


class PartyDeclared(DomainEvent):
    key: Name
    name: Text


class ActorDeclared(DomainEvent):
    key: Name
    name: Text
    party: Name
    role: OptText | None = None


class IssueDeclared(DomainEvent):
    key: Name
    title: Text
    proposition: OptText | None = None


class SourceDeclared(DomainEvent):
    """A source, with the text of its file archived when it is declared.

    Version 2 added ``text_sha256`` (the identity of the archived text);
    version-1 events are upcast by computing it.
    """

    key: Name
    title: OptText | None = None
    path: OptText | None = None
    url: OptText | None = None
    published: IsoDate | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    text: str | None = None
    text_sha256: str | None = None

    class_version: ClassVar[int] = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        import hashlib

        text = state.get("text")
        state["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None

    def declaration(self) -> dict[str, Any]:
        """What identifies the declaration: every field but where the file lay."""
        return source_identity(self.title, self.url, self.published, self.reliability, self.text_sha256)


# Recorded statements: one domain event class per type of §3 ----------------------


class PositionStatedEvent(Recorded, PositionStated):
    pass


class DemandIssuedEvent(Recorded, DemandIssued):
    pass


class ProposalTabledEvent(Recorded, ProposalTabled):
    pass


class ConcessionMadeEvent(Recorded, ConcessionMade):
    pass


class GuaranteeOfferedEvent(Recorded, GuaranteeOffered):
    pass


class ThreatIssuedEvent(Recorded, ThreatIssued):
    pass


class AcceptedEvent(Recorded, Accepted):
    pass


class RejectedEvent(Recorded, Rejected):
    pass


class WithdrawnEvent(Recorded, Withdrawn):
    pass


class AgreementReachedEvent(Recorded, AgreementReached):
    pass


class ReportRetractedEvent(Recorded, ReportRetracted):
    pass


def _type_of(cls: type[BaseModel]) -> str:
    return cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]


def _by_vocabulary(classes: list[type[Any]], what: str) -> dict[str, Any]:
    """The classes by the type they record, in the vocabulary's order; every type must have one."""
    found = {_type_of(cls): cls for cls in classes}
    missing = [name for name in vocabulary.STATEMENT_TYPES if name not in found]
    extra = [name for name in found if name not in vocabulary.VOCABULARY]
    if missing or extra:  # pragma: no cover - a type added to one place and not the other
        raise TypeError(f"{what} and domain/vocabulary.py disagree: no class for {missing}, not in the table: {extra}")
    return {name: found[name] for name in vocabulary.STATEMENT_TYPES}


# The recorded statement classes, by type (each a subclass of Recorded and of the type's payload model) ...
RECORDED_TYPES: dict[str, type[Recorded]] = _by_vocabulary(Recorded.__subclasses__(), "the recorded event classes")
# ... and the payload models (what a timeline file's event of that type is validated by).
STATEMENT_TYPES: dict[str, type[Statement] | type[ReportRetracted]] = {
    name: next(base for base in cls.__bases__ if base is not Recorded) for name, cls in RECORDED_TYPES.items()
}
