"""A YAML export writes each event as PyYAML's own emitter does, whichever emitter wrote it.

``writer._yaml_event`` hands the events whose strings libyaml writes alike to
PyYAML's C emitter, and every other event to PyYAML's own: the text must be
``_yaml([event])`` in both cases.  The strings mix what YAML treats specially
(indicators, words a resolver reads as another type, quotes, leading and
trailing spaces, long text) with characters the two emitters write differently
(line breaks, controls, characters past U+FFFF).
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from negotrack.timeline import writer

WORDS = ["yes", "no", "null", "~", "true", "1.5", "0x1f", "1e3", "-", "---", "...", "2024-01-01", "12:30", "on", "",
         " ", "0o7", ".inf", "<<", "- a", ": b", "a: b", "a #b", "#x", "@x", "%x", "!x", "&x", "*x", "|", ">", "? x",
         "x ", " x", "'", '"', "1_000", "+1", "190:20:30"]  # fmt: skip
PLAIN = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from(list(" :-#&*!|>'\"%@`,[]{}?"))
UNICODE = st.characters(min_codepoint=0xA0, max_codepoint=0xFFFD, exclude_categories=("Cs",))
ODD = st.sampled_from(["\n", "\r", "\t", "\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "\x9b", "\x01", "🙂", "\U0010fffd"])
TEXT = (
    st.sampled_from(WORDS)
    | st.text(PLAIN | UNICODE, max_size=40)
    | st.text(PLAIN | UNICODE | ODD, max_size=40)
    | st.builds(lambda a, b, c: a + b + c, st.sampled_from(WORDS), st.text(PLAIN | UNICODE, max_size=3), st.sampled_from(WORDS))
    | st.text(st.sampled_from(list("ab :'\"-")), min_size=200, max_size=2000)
)
SOURCE = st.lists(st.fixed_dictionaries({"ref": TEXT}, optional={"quote": TEXT}), min_size=1, max_size=3)
EVENT = st.fixed_dictionaries(
    {"id": TEXT, "type": TEXT, "date": TEXT, "summary": TEXT, "source": SOURCE},
    optional={"of": st.lists(TEXT, max_size=3), "order": st.integers(-999, 999), "precondition": st.booleans(),
              "provisions": st.lists(st.fixed_dictionaries({"issue": TEXT, "text": TEXT}), min_size=1, max_size=2)},  # fmt: skip
)


@settings(max_examples=1500, deadline=None)
@given(EVENT)
def test_an_event_is_written_as_pyyamls_own_emitter_writes_it(event):
    assert writer._yaml_event(event) == writer._yaml([event])


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml: every event goes to its own emitter")
def test_libyaml_writes_only_what_it_writes_alike():
    assert writer._emitted_alike({"id": "e-1", "summary": "Said «это», 'quoted': #1", "source": [{"ref": "s"}], "order": -3})
    for odd in ["a\nb", "tab\there", "🙂", "\x85", "\u2028", "\ufeff", "\x7f"]:
        assert not writer._emitted_alike({"id": "e-1", "summary": odd})
    assert not writer._emitted_alike({"id": "e-1", "weight": 1.5})  # a float: none in an event, not tried
