"""Ingest encodes a statement's stored state itself: the very bytes the mapper writes for its domain event.

Stored bytes are the record (old stores must stay readable and re-ingestable),
so ``application.recorded_state`` must give exactly what
``PydanticMapper.to_stored_event`` gives for the recorded event built from the
same statement, for every type, with and without contract v1.1's fields.
"""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest

from negotrack.domain import events as ev
from negotrack.store.application import JsonTranscoder, PydanticMapper, recorded_state, recorded_topic

COMMON = {"id": "e-1", "date": "2025-02-03", "by": "ua-fm", "summary": "Said — «это» 🙂 \"quoted\"\n\x01.", "source": {"ref": "s1"}}
V11 = {"time": "09:05", "order": -3, "reported_by": "ru-fm"}
CASES = {
    "PositionStated": {"issue": "i1", "stance": "opposes"},
    "DemandIssued": {"issue": "i1", "demand": "Leave", "of": ["RU", "BY"], "precondition": True},
    "ProposalTabled": {"title": "Plan", "provisions": [{"issue": "i1", "text": "x"}, {"issue": "i2", "text": "y"}]},
    "ConcessionMade": {"issue": "i1", "concession": "some", "in_exchange_for": "other", "conditions": "if"},
    "GuaranteeOffered": {"issue": "i1", "guarantee": "g", "to": "UA", "form": "treaty"},
    "ThreatIssued": {"issue": "i1", "threat": "t", "unless": "u"},
    "Accepted": {"ref": "p-1", "qualifier": "in_principle"},
    "Rejected": {"ref": "p-1", "reason": "no"},
    "Withdrawn": {"ref": "p-1"},
    "AgreementReached": {"by": None, "issues": ["i1", "i2"], "parties": ["UA", "RU"], "terms": "t"},
}


def _mapper_state(statement: ev.Statement | ev.ReportRetracted, party: str | None, now: datetime) -> tuple[str, bytes]:
    mapper = PydanticMapper(transcoder=JsonTranscoder())
    cls = ev.RECORDED_TYPES[statement.type]
    event = cls.model_construct(**dict(statement), originator_id=uuid4(), originator_version=7, timestamp=now, party=party)
    stored = mapper.to_stored_event(event)
    return stored.topic, stored.state


def _statements() -> list[ev.Statement | ev.ReportRetracted]:
    out: list[ev.Statement | ev.ReportRetracted] = []
    for kind, fields in CASES.items():
        cls = ev.STATEMENT_TYPES[kind]
        data = {**COMMON, "type": kind, **fields}
        if kind == "AgreementReached":
            data.pop("by")
        out.append(cls.model_validate(data))
        out.append(cls.model_validate({**data, **V11, "source": [{"ref": "s1", "quote": "q"}, {"ref": "s2"}]}))
    out.append(ev.ReportRetracted.model_validate({"id": "r-1", "type": "ReportRetracted", "ref": "e-1", "reason": "r", "summary": "s"}))
    return out


@pytest.mark.parametrize("statement", _statements(), ids=lambda s: f"{s.type}-{len(s.model_fields_set)}")
@pytest.mark.parametrize("party", ["UA", None])
def test_recorded_state_is_the_mappers_bytes(statement: ev.Statement | ev.ReportRetracted, party: str | None) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
    topic, state = _mapper_state(statement, party, now)
    assert recorded_topic(statement.type) == topic
    assert recorded_state(statement, party, now) == state


def test_recorded_state_of_a_whole_second() -> None:
    """pydantic writes a time without microseconds without its fraction: the encoding is its own."""
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    statement = _statements()[0]
    assert recorded_state(statement, "UA", now) == _mapper_state(statement, "UA", now)[1]
