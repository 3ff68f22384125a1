"""The JSON and NDJSON readers enforce the nesting and field length limits exactly at the edge.

The readers skip the walk over a parsed value when its text shows it cannot
break a limit, and walk with a fast check first otherwise; these tests pin
what is refused and what is not, one step either side of each limit.
"""

from __future__ import annotations

import json

import pytest

from negotrack.domain import limits
from negotrack.timeline.reader import ReadError, load_json, load_ndjson

HEADER = json.dumps({"negotrack": 1, "thread": {"id": "t"}})
DEEP = f"nested deeper than the nesting limit of {limits.MAX_DEPTH}"


def nested(levels: int, inner: str = "1", *, opener: str = '{"a": ', closer: str = "}") -> str:
    """``levels`` containers, one inside the other, around ``inner`` (at depth ``levels + 1``)."""
    return opener * levels + inner + closer * levels


def ndjson(line: str) -> tuple[dict, list]:
    return load_ndjson(HEADER + "\n" + line + "\n", "t.ndjson")


def refusal(call, *args) -> str:
    with pytest.raises(ReadError) as e:
        call(*args)
    return str(e.value)


@pytest.mark.parametrize("opener,closer", [('{"a": ', "}"), ("[", "]")])
def test_a_line_exactly_at_the_nesting_limit_is_read(opener: str, closer: str):
    # MAX_DEPTH - 1 containers: the innermost value is at depth MAX_DEPTH
    data, lines = ndjson(nested(limits.MAX_DEPTH - 1, opener=opener, closer=closer))
    assert lines == [2] and len(data["events"]) == 1


@pytest.mark.parametrize("opener,closer", [('{"a": ', "}"), ("[", "]")])
def test_a_line_one_level_over_the_nesting_limit_is_refused(opener: str, closer: str):
    line = nested(limits.MAX_DEPTH, opener=opener, closer=closer)
    assert refusal(ndjson, line) == f"t.ndjson: line 2: {DEEP}"


def test_empty_containers_at_the_nesting_limit_are_read():
    # MAX_DEPTH containers, the innermost empty: no value is deeper than MAX_DEPTH
    data, _ = ndjson(nested(limits.MAX_DEPTH - 1, inner="{}"))
    assert data["events"]


def test_many_brackets_inside_strings_do_not_refuse_a_shallow_line():
    line = json.dumps({"id": "x", "summary": "{[" * 100, "source": {"ref": "s"}})
    data, _ = ndjson(line)
    assert data["events"][0]["summary"] == "{[" * 100


def test_a_deep_value_after_a_long_field_is_still_refused():
    line = '{"summary": "' + "a" * 5000 + '", "x": ' + nested(limits.MAX_DEPTH - 1) + "}"
    assert refusal(ndjson, line) == f"t.ndjson: line 2: {DEEP}"


@pytest.mark.parametrize("size,ok", [(limits.MAX_FIELD_CHARS, True), (limits.MAX_FIELD_CHARS + 1, False)])
def test_field_and_key_length_at_the_limit(size: int, ok: bool):
    for line in (json.dumps({"summary": "a" * size}), json.dumps({"k" * size: 1})):
        if ok:
            assert ndjson(line)[0]["events"]
        else:
            message = f"a value of {size:,} characters: over the field length limit of {limits.MAX_FIELD_CHARS:,}"
            assert refusal(ndjson, line) == f"t.ndjson: line 2: {message}"


def test_escapes_count_as_the_characters_they_stand_for():
    # the text is 6 times longer than the value: within the limit
    line = '{"summary": "' + "\\u0061" * limits.MAX_FIELD_CHARS + '"}'
    assert ndjson(line)[0]["events"][0]["summary"] == "a" * limits.MAX_FIELD_CHARS
    line = '{"summary": "' + "\\u0061" * (limits.MAX_FIELD_CHARS + 1) + '"}'
    assert "over the field length limit" in refusal(ndjson, line)


@pytest.mark.parametrize(
    "events,message",
    [
        # an event is at depth 3 (the file's mapping, then `events`): its innermost value at 3 + levels
        ([json.loads(nested(limits.MAX_DEPTH - 3))], None),
        ([json.loads(nested(limits.MAX_DEPTH - 2))], DEEP),
        ([[]] * 3 + [json.loads(nested(limits.MAX_DEPTH - 3, inner="[]"))], None),  # empty, at the limit
        ([json.loads(nested(limits.MAX_DEPTH - 3, inner="[0]"))], DEEP),
        ([{"s": "a" * limits.MAX_FIELD_CHARS}], None),
        ([{"s": ["a" * (limits.MAX_FIELD_CHARS + 1)]}], "over the field length limit"),
        ([{"k" * (limits.MAX_FIELD_CHARS + 1): None}], "over the field length limit"),
    ],
)
def test_json_limits(events: list, message: str | None):
    text = json.dumps({"negotrack": 1, "thread": {"id": "t"}, "events": events})
    if message is None:
        assert load_json(text, "t.json")["events"] == events
    else:
        assert message in refusal(load_json, text, "t.json")
