"""negotrack's own nesting limit refuses a deeply nested YAML file, whichever libyaml build is installed.

libyaml's scanner reads up to 1,024 characters of a line ahead of the events
it gives, and some builds (0.2.6) have a nesting limit of their own that then
fires first, with libyaml's message instead of negotrack's.  These tests
stand in for every kind of build: none at all (PyYAML's Python parser), and
one that refuses any line nested deeper than 100 levels (above negotrack's 32).
"""

from __future__ import annotations

import pytest
import yaml

from negotrack.domain import limits
from negotrack.timeline.reader import ReadError, load_yaml

HEADER = "negotrack: 1\nthread: {id: t}\n"
DEEP = f"nested deeper than the nesting limit of {limits.MAX_DEPTH}"


class StrictLibyaml(yaml.SafeLoader):
    """A libyaml build with a nesting limit of 100 (0.2.6: 1,000): used on a deep line, it refuses first."""

    def __init__(self, stream):  # type: ignore[no-untyped-def]
        text = stream.decode("utf-8") if isinstance(stream, bytes) else stream
        for line in text.splitlines():
            if line.count("[") + line.count("{") > 100:
                raise yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth", None)
        super().__init__(stream)


@pytest.fixture(params=["strict libyaml", "no libyaml", "installed libyaml"])
def libyaml(request, monkeypatch):
    if request.param == "strict libyaml":
        monkeypatch.setattr(yaml, "CSafeLoader", StrictLibyaml, raising=False)
    elif request.param == "no libyaml":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    return request.param


@pytest.mark.parametrize(
    "body",
    [
        "events: " + "[" * 20_000 + "]" * 20_000,
        "events: " + "{a: " * 20_000 + "1" + "}" * 20_000,
        "events: [" + "[ " * 40 + "]" * 41,
    ],
    ids=["flow sequences", "flow mappings", "spaced"],
)
def test_a_line_nested_deeper_than_the_limit_is_refused_by_negotracks_limit(libyaml, body):
    with pytest.raises(ReadError) as refused:
        load_yaml(HEADER + body + "\n", "deep.yaml")
    assert refused.value.problem.message == DEEP
    assert refused.value.problem.where == "line 3"


def test_nesting_up_to_the_limit_is_read(libyaml):
    depth = limits.MAX_DEPTH - 2  # the document and `events` are two levels
    data, _ = load_yaml(HEADER + "events: " + "[" * depth + "]" * depth + "\n", "ok.yaml")
    inner = data["events"]
    for _ in range(depth - 1):
        inner = inner[0]
    assert inner == []


def test_brackets_inside_a_quote_are_text_not_nesting(libyaml):
    quote = "[" * 40 + " {" * 40
    data, _ = load_yaml(HEADER + f"events: [{{id: e, summary: '{quote}'}}]\n", "quoted.yaml")
    assert data["events"][0]["summary"] == quote
