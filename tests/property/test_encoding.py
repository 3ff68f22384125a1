"""The fast JSON paths write the very text the plain ones write.

A statement's read-model body (``readmodel.body_json``), its digest
(``rules.digest``) and a recorded event's stored state (the mapper) are
written by pydantic; they must be byte for byte what ``json.dumps`` of
``content()`` / ``model_dump`` writes (with sorted keys, for the digest),
whatever the text holds (control characters, quotes, escapes, bidi, astral).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from negotrack.domain import events as ev
from negotrack.domain.rules import digest
from negotrack.domain.thread import ThreadChanges
from negotrack.store.application import _ADDED_IN_V11, JsonTranscoder, PydanticMapper
from negotrack.store.readmodel import body_json

NOW = datetime(2025, 12, 16, 9, 30, 1, 123456, tzinfo=timezone.utc)
TEXT = st.text(min_size=1, max_size=40) | st.sampled_from(["\x00\x1f\x7f\"\\/", "\u2028\u202e\ufeff", "é漢🎉", "a\nb\tc"])


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@st.composite
def statements(draw: st.DrawFn) -> ev.Statement | ev.ReportRetracted:
    kind = draw(st.sampled_from(sorted(ev.STATEMENT_TYPES)))
    text = draw(TEXT)
    raw = {
        "id": "e1", "type": kind, "date": "2025-11-27", "by": "AA", "issue": "i1", "summary": text,
        "source": [{"ref": "s1", "quote": draw(TEXT)}, {"ref": "s2"}],
        "stance": "supports", "demand": text, "of": ["BB"], "precondition": draw(st.booleans()),
        "title": text, "provisions": [{"issue": "i2", "text": text}], "concession": text,
        "in_exchange_for": draw(st.none() | TEXT), "guarantee": text, "to": "BB", "threat": text,
        "unless": draw(st.none() | TEXT), "ref": "e0", "reason": text, "parties": ["AA", "BB"], "terms": text,
        # contract v1.1's fields, present or not
        "time": draw(st.none() | st.sampled_from(["00:00", "09:05", "23:59"])),
        "order": draw(st.none() | st.integers(-999, 999)), "reported_by": draw(st.none() | st.just("BB")),
        "conditions": draw(st.none() | TEXT),
    }  # fmt: skip
    if kind == "AgreementReached" and draw(st.booleans()):
        raw["issues"], raw["issue"] = ["i1", "i2"], None
    cls = ev.STATEMENT_TYPES[kind]
    raw = {k: v for k, v in raw.items() if k in cls.model_fields and v is not None}
    if kind == "PositionStated" and "time" not in raw and draw(st.booleans()):  # `time` needs a day
        raw["precision"] = "month"
    try:
        return cls.model_validate(raw)
    except ValidationError:  # e.g. a text of only white space where one is required: not what this is about
        return ev.PositionStated.model_validate({**raw, "type": "PositionStated", "summary": "s", "source": {"ref": "s"}})


@settings(max_examples=300, deadline=None)
@given(statements())
def test_fast_json_is_the_plain_json(statement):
    assert body_json(statement.content()) == _dumps(statement.content())
    plain_digest = json.dumps(statement.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert digest(statement.content()) == hashlib.sha256(plain_digest.encode("utf-8")).hexdigest()

    event = ThreadChanges(None, "t", NOW).record(statement, party="AA")
    assert body_json(event.content()) == _dumps(event.content()) == _dumps(statement.content())
    mapper = PydanticMapper(transcoder=JsonTranscoder())
    stored = mapper.to_stored_event(event)
    plain = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    # contract v1.1's fields, when absent, are not stored (as version-1 code stored the event)
    added = _ADDED_IN_V11.get(event.type, ())
    plain = {k: v for k, v in plain.items() if not (k in added and v is None)}
    assert stored.state == _dumps(plain).encode("utf-8")
    assert mapper.to_domain_event(stored) == event
