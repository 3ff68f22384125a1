"""Export reads a stored statement back from its state without building its event: the same Rec as decoding it.

``PydanticMapper.stored_rec`` must give exactly ``rec_of(to_domain_event(...))``
for every state the mapper writes (every type, with and without contract
v1.1's fields, a quote or none), and must decline (None: the caller decodes
the event, with its checks) any state of another shape.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from negotrack.domain import events as ev
from negotrack.domain.thread import rec_of
from negotrack.store.application import JsonTranscoder, PydanticMapper, recorded_state, recorded_topic
from test_recorded_state import _statements  # the same statements, every type with and without v1.1

NOW = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
MAPPER = PydanticMapper(transcoder=JsonTranscoder())


def _decoded(topic: str, state: bytes, version: int):
    return rec_of(MAPPER.to_domain_event(StoredEvent(originator_id=uuid4(), originator_version=version, topic=topic, state=state)))


@pytest.mark.parametrize("statement", _statements(), ids=lambda s: f"{s.type}-{len(s.model_fields_set)}")
@pytest.mark.parametrize("party", ["UA", None])
@pytest.mark.parametrize("now", [NOW, NOW.replace(microsecond=0)])
def test_a_stored_statement_reads_back_as_decoding_it_gives(statement, party, now) -> None:
    topic, state = recorded_topic(statement.type), recorded_state(statement, party, now)
    rec = MAPPER.stored_rec(topic, state, 7)
    expected = _decoded(topic, state, 7)
    assert rec == expected
    assert list(rec.body) == list(expected.body)  # the same key order: the exported text is the same
    assert json.dumps(rec.body) == json.dumps(expected.body)


def _reshaped(change) -> tuple[str, bytes]:
    statement = _statements()[1]  # PositionStated with v1.1's fields and a quote-less source
    topic, state = recorded_topic(statement.type), recorded_state(statement, "UA", NOW)
    data = json.loads(state)
    change(data)
    return topic, json.dumps(data).encode()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("precision"),  # a field with a default left out: the model fills it in
        lambda d: d.pop("summary"),  # a required field left out
        lambda d: d.update(extra=1),  # a field the class does not have
        lambda d: d.update(id=d.pop("id")),  # the fields out of order
        lambda d: d["source"].append({"quote": "q", "ref": "s2"}),  # a nested model's fields out of order
        lambda d: d["source"].append({"ref": "s2"}),  # a nested model without all its fields
        lambda d: d.update(source="s1"),  # not a list
        lambda d: d.update(type="Withdrawn"),  # another type than its topic's
        lambda d: d.update(class_version=2),
    ],
)
def test_a_state_of_another_shape_is_left_to_the_decoder(change) -> None:
    topic, state = _reshaped(change)
    assert MAPPER.stored_rec(topic, state, 7) is None


def test_a_declaration_is_left_to_the_decoder() -> None:
    from eventsourcing.utils import get_topic

    assert MAPPER.stored_rec(get_topic(ev.PartyDeclared), b'{"key":"UA","name":"U","timestamp":"2026-01-02T03:04:05Z"}', 1) is None
