"""Reading timeline files into plain data, safely.

YAML is read with PyYAML's safe loader (its C parser when available), but
scalars are resolved by YAML 1.2 core rules (so ``on``, ``yes`` and ``no``
stay strings), duplicate keys are refused, and depth, alias uses and the size
of the document *after* alias expansion are limited before anything is built.
JSON and NDJSON are read with the standard library.  Every refusal is a
:class:`~negotrack.errors.Problem` naming the file, the line when known, and
the limit or syntax rule it broke.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotrack.domain import limits
from negotrack.errors import Problem


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


def format_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(suffix)


def read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes``; refuse directories, devices, pipes."""
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


def read_document(path: Path, name: str) -> RawDocument:
    fmt = format_of(path)
    if fmt is None:
        raise ReadError(Problem(name, "", "unknown file type: expected .yaml, .yml, .json or .ndjson"))
    max_bytes = limits.MAX_YAML_BYTES if fmt == "yaml" else limits.MAX_FILE_BYTES
    text = decode_text(read_bytes(path, name, max_bytes), name)
    if fmt == "yaml":
        data, lines = load_yaml(text, name)
    elif fmt == "json":
        data = load_json(text, name)
        events = data.get("events") if isinstance(data, dict) else None
        lines = [None] * len(events) if isinstance(events, list) else []
    else:
        data, lines = load_ndjson(text, name)
    if not isinstance(data, dict):
        raise ReadError(Problem(name, "", "the file must hold a mapping with `negotrack`, `thread` and `events`"))
    return RawDocument(name=name, path=path, data=data, event_lines=lines, fmt=fmt)


# ---------------------------------------------------------------------------
# JSON and NDJSON
# ---------------------------------------------------------------------------


def _check_depth(value: Any, name: str, where: str = "") -> None:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > limits.MAX_DEPTH:
            raise ReadError(Problem(name, where, f"nested deeper than the nesting limit of {limits.MAX_DEPTH}"))
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)


def _json_value(text: str, name: str, where: str, line_offset: int = 0) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise ReadError(Problem(name, where, f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")) from None
    except json.JSONDecodeError as e:
        line = e.lineno + line_offset
        raise ReadError(Problem(name, f"line {line}", f"not valid JSON: {e.msg}")) from None
    _check_depth(value, name, where)
    return value


def load_json(text: str, name: str) -> Any:
    return _json_value(text, name, "")


def load_ndjson(text: str, name: str) -> tuple[dict[str, Any], list[int | None]]:
    header: dict[str, Any] | None = None
    events: list[Any] = []
    lines: list[int | None] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        value = _json_value(line, name, f"line {number}", number - 1)
        if header is None:
            if not isinstance(value, dict):
                raise ReadError(Problem(name, f"line {number}", "the first line must be an object with the top-level keys"))
            if "events" in value:
                raise ReadError(Problem(name, f"line {number}", "the first line holds every top-level key but `events`"))
            header = value
            continue
        if len(events) >= limits.MAX_EVENTS:
            raise ReadError(Problem(name, f"line {number}", f"more events than the limit of {limits.MAX_EVENTS:,}"))
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


def load_yaml(text: str, name: str) -> tuple[Any, list[int | None]]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    # 1. A flat pass over the parser's events: depth and alias uses, before any tree exists.
    depth = 0
    aliases = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    line = event.start_mark.line + 1
                    raise ReadError(
                        Problem(name, f"line {line}", f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.MAX_YAML_ALIASES:
                    line = event.start_mark.line + 1
                    raise ReadError(
                        Problem(name, f"line {line}", f"more than {limits.MAX_YAML_ALIASES} aliases: over the YAML alias limit")
                    )
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ReadError(Problem(name, f"line {event.start_mark.line + 1}", "more than one YAML document"))
        # 2. The node graph (aliases are shared nodes, not copies).
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = e.problem or e.context or "syntax error"
        raise ReadError(Problem(name, where, f"not valid YAML: {problem}")) from None
    except yaml.YAMLError as e:
        raise ReadError(Problem(name, "", f"not valid YAML: {e}")) from None
    if node is None:
        raise ReadError(Problem(name, "", "empty file"))

    # 3. Size after alias expansion, then build plain data.
    sizes: dict[int, int] = {}

    def size(n: Any) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias counts once; it is refused when built
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        sizes[key] = total
        return total

    total = size(node)
    if total > limits.MAX_YAML_NODES:
        raise ReadError(
            Problem(name, "", f"the document expands to {total:,} nodes: over the YAML size limit of {limits.MAX_YAML_NODES:,} (alias bomb?)")
        )

    building: set[int] = set()

    def build(n: Any) -> Any:
        if isinstance(n, yaml.ScalarNode):
            if n.tag.startswith("!") or (n.tag.startswith("tag:yaml.org,2002:") and n.tag not in _STANDARD_TAGS):
                raise ReadError(Problem(name, f"line {n.start_mark.line + 1}", f"YAML tag {n.tag} is not allowed"))
            if len(n.value) > limits.MAX_FIELD_CHARS:
                raise ReadError(
                    Problem(
                        name,
                        f"line {n.start_mark.line + 1}",
                        f"a value of {len(n.value):,} characters: over the field length limit of {limits.MAX_FIELD_CHARS:,}",
                    )
                )
            return _scalar(n.value, not n.style)
        if id(n) in building:
            raise ReadError(Problem(name, f"line {n.start_mark.line + 1}", "a recursive YAML alias"))
        if n.tag not in _STANDARD_TAGS:
            raise ReadError(Problem(name, f"line {n.start_mark.line + 1}", f"YAML tag {n.tag} is not allowed"))
        building.add(id(n))
        try:
            if isinstance(n, yaml.SequenceNode):
                return [build(v) for v in n.value]
            result: dict[Any, Any] = {}
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise ReadError(Problem(name, f"line {k.start_mark.line + 1}", "a mapping key must be a plain value"))
                if k.tag == "tag:yaml.org,2002:merge":
                    raise ReadError(Problem(name, f"line {k.start_mark.line + 1}", "YAML merge keys (<<) are not allowed"))
                key = build(k)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                if key in result:
                    raise ReadError(Problem(name, f"line {k.start_mark.line + 1}", f"duplicate key {key!r}"))
                result[key] = build(v)
            return result
        finally:
            building.discard(id(n))

    data = build(node)
    lines: list[int | None] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == "events" and isinstance(v, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in v.value]
    return data, lines
