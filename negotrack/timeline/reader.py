"""Reading timeline files into plain data, safely.

YAML is read with PyYAML's safe parser (its C parser when available) and
built into plain data straight from the parser's events, without a node
graph; scalars are resolved by YAML 1.2 core rules (so ``on``, ``yes`` and
``no`` stay strings), duplicate keys are refused, and depth, alias uses, field
length and the number of values *after* alias expansion are limited as the
parser goes, so a hostile file is refused before it is built.
JSON and NDJSON are read with the standard library.  Every refusal is a
:class:`~negotrack.errors.Problem` naming the file, the line when known, and
the limit or syntax rule it broke.
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotrack.domain import limits
from negotrack.errors import Problem
from negotrack.timeline import hints


class ReadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class RawDocument:
    """A file's top-level mapping, and where each event starts (1-based line, or None)."""

    name: str
    path: Path
    data: dict[str, Any]
    event_lines: list[int | None] = field(default_factory=list)
    fmt: str = "yaml"
    expect_lines: list[int | None] = field(default_factory=list)  # a scenario's expectations (YAML only)


def format_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(suffix)


def regular_file(path: Path, name: str) -> os.stat_result:
    """Refuse what is not a regular file (a directory, a device, a pipe) before opening it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError(Problem(name, "", "no such file")) from None
    except OSError as e:
        raise ReadError(Problem(name, "", f"cannot read: {e.strerror}")) from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(Problem(name, "", "is a directory, not a timeline file"))
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(Problem(name, "", "is not a regular file (a device, pipe or socket)"))
    return st


def read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes``; refuse directories, devices, pipes."""
    st = regular_file(path, name)
    if st.st_size > max_bytes:
        raise ReadError(
            Problem(name, "", f"file is {st.st_size:,} bytes: over the file size limit of {max_bytes:,} bytes")
        )
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise ReadError(Problem(name, "", f"cannot read: {e.strerror}")) from None
    if len(data) > max_bytes:
        raise ReadError(Problem(name, "", f"file is over the file size limit of {max_bytes:,} bytes"))
    return data


def decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ReadError(Problem(name, f"line {line}", "binary data (a NUL byte): not a text file"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ReadError(Problem(name, f"line {line}", f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})")) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_document(path: Path, name: str, *, typed: Any = None) -> RawDocument:
    """A file's plain data; ``typed``: see :func:`load_ndjson` (NDJSON only)."""
    fmt = format_of(path)
    if fmt is None:
        regular_file(path, name)
        raise ReadError(Problem(name, "", "unknown file type: expected .yaml, .yml, .json or .ndjson"))
    max_bytes = limits.MAX_YAML_BYTES if fmt == "yaml" else limits.MAX_FILE_BYTES
    if fmt != "yaml":
        count_json_values(path, name, max_bytes, lines=fmt == "ndjson")
    # Only one copy of a big file is kept at a time (a hostile file is refused within the memory limit).
    raw = read_bytes(path, name, max_bytes)
    text = decode_text(raw, name)
    if fmt == "yaml":
        del text  # checked; the C parser reads the bytes themselves, without a copy
        expect_lines: list[int | None] = []
        data, lines = load_yaml(raw, name, expect_lines=expect_lines)
    elif fmt == "json":
        del raw
        data = load_json(text, name)
        events = data.get("events") if isinstance(data, dict) else None
        lines = [None] * len(events) if isinstance(events, list) else []
    else:
        del raw
        split = text.split("\n")
        del text
        data, lines = load_ndjson(split, name, typed)
    if not isinstance(data, dict):
        raise ReadError(Problem(name, "", "the file must hold a mapping with `negotrack`, `thread` and `events`"))
    doc = RawDocument(name=name, path=path, data=data, event_lines=lines, fmt=fmt)
    if fmt == "yaml":
        doc.expect_lines = expect_lines
    return doc


# ---------------------------------------------------------------------------
# JSON and NDJSON
# ---------------------------------------------------------------------------

_VALUE_MARKS = (b",", b":")
_CONTAINER_MARKS = (b"[", b"{")
_SCAN_CHUNK = 4 * 1024 * 1024


def count_json_values(path: Path, name: str, max_bytes: int, *, lines: bool = False) -> int:
    """Refuse a JSON or NDJSON file of more values than the JSON size limit, before one is built.

    The number of values, not the file's size, bounds the memory a file can
    take.  A mapping or array costs more to build than a scalar (a one-key
    mapping about 200 bytes, a short string 60-80), so each ``[`` and ``{``
    counts as ``JSON_CONTAINER_WEIGHT`` values, and each ``,`` and ``:`` (and,
    in NDJSON, every line) as one: the costliest shape then stays within
    300 MB (benchmarks/hostile.py).  They are counted in the file's bytes, a
    few MiB at a time, those inside strings too, which only overestimates.  The scan stops at the limit, so a breadth
    bomb is refused after reading its first few MiB.
    """
    limit = limits.MAX_JSON_VALUES
    weight = limits.JSON_CONTAINER_WEIGHT
    total = 0
    regular_file(path, name)
    try:
        with open(path, "rb") as f:
            read = 0
            while read <= max_bytes:
                chunk = f.read(_SCAN_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                total += sum(chunk.count(mark) for mark in _VALUE_MARKS)
                total += weight * sum(chunk.count(mark) for mark in _CONTAINER_MARKS)
                if lines:
                    total += chunk.count(b"\n")
                if total > limit:
                    raise ReadError(Problem(name, "", too_many_json_values()))
    except OSError as e:
        raise ReadError(Problem(name, "", f"cannot read: {e.strerror}")) from None
    return total


def too_many_json_values() -> str:
    return (
        f"more than {limits.MAX_JSON_VALUES:,} values: over the JSON size limit of {limits.MAX_JSON_VALUES:,} values"
        f" per file, a mapping or array counting as {limits.JSON_CONTAINER_WEIGHT}"
        " (about 100,000 events; split a larger input into several files)"
    )



def _check_depth(value: Any, name: str, where: str = "") -> None:
    """Nesting depth and field length of parsed JSON (keys count as fields)."""
    problem = _first_problem(value)
    if problem is not None:
        raise ReadError(Problem(name, where, problem))


def _first_problem(value: Any) -> str | None:
    """The first value of parsed JSON over the nesting or field length limit, as a message; None if all are within.

    Depth first, with a stack of iterators, one per open container, so that its
    memory is bounded by the nesting limit, not by the breadth of the value (a
    list of millions of items).  ``json.loads`` makes only exact dicts, lists
    and strings, so exact type tests suffice.
    """
    max_depth, max_chars = limits.MAX_DEPTH, limits.MAX_FIELD_CHARS
    t = type(value)
    if t is str:
        return _too_long(value) if len(value) > max_chars else None
    if t is not dict and t is not list:
        return None
    if value and max_depth <= 1:
        return _too_deep()
    # each entry: (iterator of a container's children, whether they are (key, value) pairs)
    stack: list[tuple[Any, bool]] = [(iter(value.items()), True) if t is dict else (iter(value), False)]
    while stack:
        it, pairs = stack[-1]
        depth = len(stack) + 1  # of the children of the container on top
        for x in it:
            if pairs:
                k, x = x
                if len(k) > max_chars:
                    return _too_long(k)
            t = type(x)
            if t is str:
                if len(x) > max_chars:
                    return _too_long(x)
            elif t is dict or t is list:
                if x:
                    if depth >= max_depth:
                        return _too_deep()
                    stack.append((iter(x.items()), True) if t is dict else (iter(x), False))
                    break
        else:
            stack.pop()
    return None


def _too_deep() -> str:
    return f"nested deeper than the nesting limit of {limits.MAX_DEPTH}"


def _line_within_limits(line: str) -> bool:
    """Can the JSON text of one line be over the nesting or field length limit at all?

    A parsed string is never longer than its JSON text, and a value can only
    be as deep as the containers opened before it, plus one: a short line with
    few ``{`` and ``[`` (counted even inside strings, which only overestimates)
    is within both limits without walking what it parses to.
    """
    return len(line) <= limits.MAX_FIELD_CHARS and line.count("{") + line.count("[") < limits.MAX_DEPTH


def _too_long(value: str) -> str:
    return f"a value of {len(value):,} characters: over the field length limit of {limits.MAX_FIELD_CHARS:,}"


def _json_value(text: str, name: str, where: str, line_offset: int = 0, *, check: bool = True) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise ReadError(Problem(name, where, f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")) from None
    except json.JSONDecodeError as e:
        line = e.lineno + line_offset
        raise ReadError(Problem(name, f"line {line}", f"not valid JSON: {e.msg}")) from None
    if check and not _line_within_limits(text):
        _check_depth(value, name, where)
    return value


def load_json(text: str, name: str) -> Any:
    value = _json_value(text, name, "", check=False)
    events = value.get("events") if isinstance(value, dict) else None
    if isinstance(events, list) and len(events) > limits.MAX_EVENTS:
        raise ReadError(Problem(name, "", f"{len(events):,} events: over the limit of {limits.MAX_EVENTS:,} per input"))
    _check_depth(value, name, "")
    return value


def load_ndjson(text: str | list[str], name: str, typed: Any = None) -> tuple[dict[str, Any], list[int | None]]:
    """NDJSON: ``text`` is the file's text, or its lines.

    ``typed``, if given, is tried first on each event's line within the limits: it
    parses and validates the line's text in one step, and returns the typed event
    (put in ``events`` as it is) or None, for a line it does not take; such a line
    is read as JSON here, as every line is without ``typed``, and checked for form
    later, with every message of that path (``timeline.schema.statement_from_json``).
    """
    header: dict[str, Any] | None = None
    events: list[Any] = []
    lines: list[int | None] = []
    all_lines = text.split("\n") if isinstance(text, str) else text
    count = sum(1 for line in all_lines if line.strip()) - 1  # the header is not an event
    if count > limits.MAX_EVENTS:
        raise ReadError(Problem(name, "", f"{count:,} events: over the limit of {limits.MAX_EVENTS:,} per input"))
    for number, line in enumerate(all_lines, start=1):
        if not line.strip():
            continue
        all_lines[number - 1] = ""  # parsed: let its text go
        if header is not None:
            if len(events) >= limits.MAX_EVENTS:
                raise ReadError(Problem(name, f"line {number}", f"more events than the limit of {limits.MAX_EVENTS:,}"))
            if typed is not None and _line_within_limits(line):
                event = typed(line)
                if event is not None:
                    events.append(event)
                    lines.append(number)
                    continue
        value = _json_value(line, name, f"line {number}", number - 1)
        del line
        if header is None:
            if not isinstance(value, dict):
                raise ReadError(Problem(name, f"line {number}", "the first line must be an object with the top-level keys"))
            if "events" in value:
                raise ReadError(Problem(name, f"line {number}", "the first line holds every top-level key but `events`"))
            header = value
            continue
        events.append(value)
        lines.append(number)
    if header is None:
        raise ReadError(Problem(name, "", "empty file: no header line"))
    return {**header, "events": events}, lines


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


def _scalar(value: str, plain: bool) -> Any:
    """YAML 1.2 core schema: ``on``/``yes``/``no`` and dates stay strings."""
    if not plain:
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _OCT.fullmatch(value):
        return int(value[2:], 8)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def load_yaml(
    text: str | bytes, name: str, *, expect_lines: list[int | None] | None = None
) -> tuple[Any, list[int | None]]:
    """Build plain data straight from the parser's events, in one pass.

    Returns the data and the line each item of the top-level ``events`` list starts
    on; the lines of the top-level ``expect`` list's items (a scenario's) are
    appended to ``expect_lines`` when it is given.

    No node graph is composed: every limit (depth, alias uses, values counting
    alias expansions, field length, events) is checked as the parser goes, so
    hostile input is refused before it is built.  ``text`` may be the file's
    UTF-8 bytes (the C parser reads them without a copy).
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if loader_cls is not yaml.SafeLoader and _deep_flow_line(text):
        # libyaml's scanner reads up to 1,024 characters of a line ahead of the events it
        # gives (a flow collection may be a key), and some builds have a nesting limit of
        # their own (0.2.6: 1,000) that then fires before negotrack's: such a line is read
        # by PyYAML's Python parser instead, which has none, so the limit below decides.
        loader_cls = yaml.SafeLoader

    def refuse(mark: Any, message: str) -> ReadError:
        return ReadError(Problem(name, f"line {mark.line + 1}" if mark is not None else "", message))

    # Each open container: [value, size, anchor, pending key (mappings), key mark,
    # the list its items' lines go to (the `events` list, the `expect` list) or None].
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    aliases = 0
    nodes = 0
    documents = 0
    root: Any = None
    have_root = False
    lines: list[int | None] = []

    def add(value: Any, size: int, mark: Any, key_ok: bool = True) -> None:
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            return
        top = stack[-1]
        top[1] += size
        container = top[0]
        if isinstance(container, list):
            if top[5] is lines:
                if len(container) >= limits.MAX_EVENTS:
                    raise refuse(mark, f"more events than the limit of {limits.MAX_EVENTS:,} per input")
            if top[5] is not None:
                top[5].append(mark.line + 1)
            container.append(value)
            return
        if top[3] is _NO_KEY:
            if not key_ok:
                raise refuse(mark, "a mapping key must be a plain value")
            key = value
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in container:
                raise refuse(mark, f"duplicate key {key!r}")
            top[3], top[4] = key, mark
        else:
            container[top[3]] = value
            top[3] = _NO_KEY

    try:
        for event in yaml.parse(text, Loader=loader_cls):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                nodes += 1
                if nodes > limits.MAX_YAML_NODES:
                    raise refuse(event.start_mark, _too_many_nodes())
                tag = event.tag
                if tag is not None and tag != "!" and (tag.startswith("!") or tag not in _STANDARD_TAGS):
                    raise refuse(event.start_mark, f"YAML tag {tag} is not allowed")
                raw = event.value
                if len(raw) > limits.MAX_FIELD_CHARS:
                    raise refuse(
                        event.start_mark,
                        f"a value of {len(raw):,} characters: over the field length limit of {limits.MAX_FIELD_CHARS:,}",
                    )
                plain = not event.style
                if plain and tag is None and raw == "<<" and stack and isinstance(stack[-1][0], dict) and stack[-1][3] is _NO_KEY:
                    raise refuse(event.start_mark, "YAML merge keys (<<) are not allowed")
                value = raw if tag == "tag:yaml.org,2002:str" else _scalar(raw, plain)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                add(value, 1, event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                nodes += 1
                if nodes > limits.MAX_YAML_NODES:
                    raise refuse(event.start_mark, _too_many_nodes())
                if len(stack) >= limits.MAX_DEPTH:
                    raise refuse(event.start_mark, f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                    raise refuse(event.start_mark, f"YAML tag {tag} is not allowed")
                if stack and isinstance(stack[-1][0], dict) and stack[-1][3] is _NO_KEY:
                    raise refuse(event.start_mark, "a mapping key must be a plain value")
                item_lines = None
                if kind is yaml.SequenceStartEvent and len(stack) == 1 and isinstance(stack[0][0], dict):
                    if stack[0][3] == "events":
                        item_lines = lines
                    elif stack[0][3] == "expect" and expect_lines is not None:
                        item_lines = expect_lines
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                value = {} if kind is yaml.MappingStartEvent else []
                stack.append([value, 1, event.anchor, _NO_KEY, None, item_lines, event.start_mark])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, size, anchor, _key, _kmark, _item_lines, mark = stack.pop()
                if anchor is not None:
                    open_anchors.discard(anchor)
                    anchors[anchor] = (value, size)
                add(value, size, mark)
            elif kind is yaml.AliasEvent:
                aliases += 1
                if aliases > limits.MAX_YAML_ALIASES:
                    raise refuse(event.start_mark, f"more than {limits.MAX_YAML_ALIASES} aliases: over the YAML alias limit")
                if event.anchor in open_anchors:
                    raise refuse(event.start_mark, "a recursive YAML alias")
                if event.anchor not in anchors:
                    raise refuse(event.start_mark, f"not valid YAML: found undefined alias {event.anchor!r}")
                value, size = anchors[event.anchor]
                nodes += size
                if nodes > limits.MAX_YAML_NODES:
                    raise refuse(event.start_mark, f"aliases expand to {_too_many_nodes()} (alias bomb?)")
                add(copy.deepcopy(value), size, event.start_mark, key_ok=not isinstance(value, (dict, list)))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise refuse(event.start_mark, "more than one YAML document")
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "syntax error"
        raise refuse(mark, f"not valid YAML: {hints.yaml_flow(problem)}") from None
    except yaml.YAMLError as e:
        raise ReadError(Problem(name, "", f"not valid YAML: {e}")) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise ReadError(Problem(name, "", f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")) from None
    if not have_root:
        raise ReadError(Problem(name, "", "empty file"))
    return root, lines


_NO_KEY = object()

# A line holding more flow openers ("[" or "{") than the nesting limit allows; linear (no backtracking).
_DEEP_FLOW_LINE = re.compile(rb"(?:[\[{][^\[{\n]*){%d}" % (limits.MAX_DEPTH + 1))


def _deep_flow_line(text: str | bytes) -> bool:
    """Could one line of the file open flow collections deeper than the nesting limit?"""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return _DEEP_FLOW_LINE.search(data) is not None


def _too_many_nodes() -> str:
    return f"more than {limits.MAX_YAML_NODES:,} values: over the YAML size limit (larger inputs: use NDJSON)"
