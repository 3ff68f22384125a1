"""The timeline file format of contract §2, checked field by field.

:func:`parse_document` turns a file's plain data into typed declarations and
statements, collecting every problem (it does not stop at the first) with the
file and the event id, or the line where the event has no usable id.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from negotrack.domain import events as ev
from negotrack.domain import limits
from negotrack.domain.inputs import InputEvent, ThreadSection, TimelineInput  # noqa: F401 - built here, read by the rules
from negotrack.domain.instants import parse_instant  # noqa: F401 - scenarios read `clock` with it
from negotrack.errors import Problem
from negotrack.timeline.reader import RawDocument

TOP_LEVEL_KEYS = ("negotrack", "thread", "sources", "events")
THREAD_KEYS = ("id", "title", "parties", "actors", "issues")


def describe_errors(error: ValidationError, prefix: str = "", data: Any = None) -> list[str]:
    """Pydantic's errors as short sentences: `field`: what is wrong (``data``: what was validated, for hints)."""
    from negotrack.timeline import hints

    out: list[str] = []
    for err in error.errors(include_url=False):
        loc = [str(x) for x in err["loc"] if not (isinstance(x, str) and x[:1].isupper() and "[" in x)]
        path = ".".join([p for p in [prefix, *loc] if p])
        kind = err["type"]
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if kind == "missing":
            out.append(f"missing required field `{path}`")
        elif kind == "extra_forbidden":
            hint = " (the date field is `date`)" if loc and loc[-1] in ("on", "True", "true") else ""
            comma = None if hint else hints.comma_split(path, err["loc"], err.get("input"), data)
            out.append(comma or f"unknown field `{path}`{hint}")
        elif kind == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length", limits.MAX_FIELD_CHARS)
            name = "identifier" if limit == limits.MAX_ID_CHARS else "field"
            out.append(f"`{path}`: over the {name} length limit of {limit:,} characters")
        elif kind == "literal_error":
            out.append(f"`{path}`: {msg}, not {err.get('input')!r}")
        elif kind == "string_type" and (one := hints.one_issue(path, err.get("input"))):
            out.append(one)
        else:
            out.append(f"`{path}`: {msg}" if path else msg)
    return out


def _validate(model: type[BaseModel], data: Any, prefix: str, name: str, where: str, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems.extend(Problem(name, where, m) for m in describe_errors(e, prefix, data))
        return None


def _mapping(data: Any, key: str, name: str, problems: list[Problem]) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(name, "", f"`{key}` must be a mapping"))
        return {}
    return data


def parse_document(
    doc: RawDocument,
    problems: list[Problem],
    *,
    allow_recorded_at: bool = False,
    extra_keys: tuple[str, ...] = (),
) -> TimelineInput | None:
    """The typed form of a document; its raw events are consumed (each let go once parsed)."""
    name = doc.name
    data = doc.data
    _unknown_keys([k for k in data if k not in TOP_LEVEL_KEYS and k not in extra_keys], name, "", "top-level key", problems)
    if "negotrack" not in data:
        problems.append(Problem(name, "", "missing `negotrack: 1` (the format version)"))
    elif data["negotrack"] != 1 or isinstance(data["negotrack"], bool):
        problems.append(Problem(name, "", f"`negotrack` must be 1 (the format version), not {data['negotrack']!r}"))

    thread = _parse_thread(data.get("thread"), name, problems)

    sources: dict[str, ev.SourceDecl] = {}
    for key, value in _mapping(data.get("sources"), "sources", name, problems).items():
        if not ev.NAME_RE.fullmatch(key):
            problems.append(Problem(name, "", f"source id {key!r} is not an identifier"))
            continue
        decl = _validate(ev.SourceDecl, value, f"sources.{key}", name, "", problems)
        if decl is not None:
            sources[key] = decl

    events: list[InputEvent] = []
    raw_events = data.get("events", [])
    if raw_events is None:
        raw_events = []
    if not isinstance(raw_events, list):
        problems.append(Problem(name, "", "`events` must be a list"))
        raw_events = []
    if len(raw_events) > limits.MAX_EVENTS:
        problems.append(Problem(name, "", f"{len(raw_events):,} events: over the limit of {limits.MAX_EVENTS:,} per input"))
        raw_events = []
    lines = doc.event_lines
    broken: set[str] = set()
    for index, raw in enumerate(raw_events):
        # Let each raw event go once it is parsed, so that a big file's events are
        # not held twice (raw and typed) at the peak: the document is consumed.
        raw_events[index] = None
        line = lines[index] if index < len(lines) else None
        if isinstance(raw, ev.Frozen):  # checked already, from its line's text (statement_from_json)
            events.append(InputEvent(statement=raw, file=name, where=f"event {raw.id}", line=line))  # type: ignore[attr-defined]
            continue
        event = parse_event(raw, name, index, line, problems, allow_recorded_at=allow_recorded_at)
        if event is not None:
            events.append(event)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str) and (event is None or event.statement.id != raw["id"]):
            broken.add(raw["id"])
        del raw
    if thread is None:
        return None
    # Returned even when some events were refused, so that the rules across
    # events can still be checked and every problem reported in one go.
    return TimelineInput(name=name, path=doc.path, thread=thread, sources=sources, events=events, broken_ids=broken)


_MAX_UNKNOWN_KEYS_SHOWN = 10


def _unknown_keys(keys: list[str], name: str, where: str, what: str, problems: list[Problem]) -> None:
    """One problem per unknown key, the first few only: a mapping of a million keys is one more problem, not a
    million (their messages took 550 MB for 1.25M keys, benchmarks/hostile.py ``distinct-keys.json``)."""
    for key in keys[:_MAX_UNKNOWN_KEYS_SHOWN]:
        problems.append(Problem(name, where, f"unknown {what} `{key}`"))
    if len(keys) > _MAX_UNKNOWN_KEYS_SHOWN:
        problems.append(Problem(name, where, f"and {len(keys) - _MAX_UNKNOWN_KEYS_SHOWN:,} more unknown {what}s"))


def _parse_thread(data: Any, name: str, problems: list[Problem]) -> ThreadSection | None:
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "missing `thread` (a mapping with at least `id`)"))
        return None
    _unknown_keys([k for k in data if k not in THREAD_KEYS], name, "thread", "field", problems)
    slug = data.get("id")
    if not isinstance(slug, str) or not ev.SLUG_RE.fullmatch(slug) or len(slug) > limits.MAX_ID_CHARS:
        what = "missing" if slug is None else f"{slug!r} is not a slug"
        problems.append(Problem(name, "thread", f"`id`: {what} (lower-case letters, digits, '.', '_', '-')"))
        return None
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > limits.MAX_FIELD_CHARS):
        problems.append(Problem(name, "thread", "`title` must be a line of text"))
    section = ThreadSection(id=slug, title=title)
    for kind, model, target in (
        ("parties", ev.PartyDecl, section.parties),
        ("actors", ev.ActorDecl, section.actors),
        ("issues", ev.IssueDecl, section.issues),
    ):
        for key, value in _mapping(data.get(kind), f"thread.{kind}", name, problems).items():
            if not ev.NAME_RE.fullmatch(str(key)) or len(str(key)) > limits.MAX_ID_CHARS:
                problems.append(Problem(name, "thread", f"{kind}: {key!r} is not an identifier"))
                continue
            decl = _validate(model, value, f"{kind}.{key}", name, "thread", problems)
            if decl is not None:
                target[key] = decl
    for key in section.parties.keys() & section.actors.keys():
        problems.append(Problem(name, "thread", f"{key!r} is declared both as a party and as an actor"))
    return section


def parse_event(
    raw: Any,
    name: str,
    index: int,
    line: int | None,
    problems: list[Problem],
    *,
    allow_recorded_at: bool = False,
) -> InputEvent | None:
    fallback = f"line {line}" if line is not None else f"event #{index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(name, fallback, "an event must be a mapping"))
        return None
    event_id = raw.get("id")
    where = f"event {event_id}" if isinstance(event_id, str) and event_id and len(event_id) <= limits.MAX_ID_CHARS else fallback
    recorded_at = None
    if "recorded_at" in raw:
        raw = dict(raw)
        value = raw.pop("recorded_at")
        if not allow_recorded_at:
            problems.append(Problem(name, where, "`recorded_at` is set by the store; only scenario files may give it"))
            return None
        try:
            recorded_at = parse_instant(value)
        except ValueError as e:
            problems.append(Problem(name, where, f"`recorded_at`: {e}"))
            return None
    kind = raw.get("type")
    cls = ev.STATEMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        if kind is None:
            problems.append(Problem(name, where, "missing required field `type`"))
        else:
            known = ", ".join(ev.STATEMENT_TYPES)
            problems.append(Problem(name, where, f"unknown type {kind!r} (one of: {known})"))
        return None
    statement = _validate(cls, raw, "", name, where, problems)
    if statement is None:
        statement = _despite_its_id(cls, raw, index)
        if statement is None:
            return None
    return InputEvent(statement=statement, file=name, where=where, line=line, recorded_at=recorded_at)


_STATEMENT: list[Any] = []  # the statement types as one union on `type` (built on first use)


def statement_from_json(text: str) -> ev.Statement | ev.ReportRetracted | None:
    """An NDJSON event line's statement, parsed and validated from its text in one step, or None.

    The line is never parsed into plain data first (``json.loads`` then
    ``model_validate`` was two passes over every event).  None for a line that is
    not a valid statement as it stands (bad JSON, a field's problem, an unknown or
    missing type, ``recorded_at``...): the reader then reads it as JSON and
    :func:`parse_event` checks it, with its messages, as without this.
    """
    if not _STATEMENT:
        from typing import Annotated, Union

        from pydantic import Field, TypeAdapter

        union = Union[tuple(ev.STATEMENT_TYPES.values())]  # type: ignore[valid-type]  # noqa: UP007
        _STATEMENT.append(TypeAdapter(Annotated[union, Field(discriminator="type")]))
    try:
        return _STATEMENT[0].validate_json(text)
    except ValidationError:
        return None


def _despite_its_id(cls: type[BaseModel], raw: dict[str, Any], index: int) -> Any:
    """An event refused for its id alone, read with a stand-in id, so that the rest of it is checked too.

    Its id's problem is reported already, so the input is refused whatever
    else is found; the stand-in is never written.  None if the id was not
    the problem, or not the only one (pydantic listed every field's problem).
    """
    event_id = raw.get("id")
    if isinstance(event_id, str) and ev.SLUG_RE.fullmatch(event_id) and len(event_id) <= limits.MAX_ID_CHARS:
        return None
    try:
        return cls.model_validate({**raw, "id": f"invalid-id.event-{index + 1}"})
    except ValidationError:
        return None
