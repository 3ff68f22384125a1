"""An NDJSON event line is validated from its text in one step: the same statement as the plain path, or nothing.

``schema.statement_from_json`` must give, for a valid line, the statement
``parse_event`` gives for the line's JSON data (same class, fields, values and
fields set), and take no line that path refuses or treats specially, so that
every message stays that path's.
"""

from __future__ import annotations

import json

import pytest

from negotrack.timeline.reader import load_ndjson
from negotrack.timeline.schema import parse_event, statement_from_json

BASE = {"id": "e-1", "date": "2025-02-03", "by": "ua-fm", "summary": "Said — «это» 🙂", "source": {"ref": "s1"}}
VALID = [
    {**BASE, "type": "PositionStated", "issue": "i1", "stance": "opposes"},
    {**BASE, "type": "DemandIssued", "issue": "i1", "demand": "Leave", "of": "RU", "precondition": 1},
    {**BASE, "type": "ProposalTabled", "title": "Plan", "provisions": [{"issue": "i1", "text": "x"}], "revises": "p-0"},
    {**BASE, "type": "ConcessionMade", "issue": "i1", "concession": "c", "conditions": "if", "order": -2, "time": "09:05"},
    {**BASE, "type": "GuaranteeOffered", "issue": "i1", "guarantee": "g", "to": "UA", "reported_by": "ru-fm"},
    {**BASE, "type": "ThreatIssued", "issue": "i1", "threat": "t", "unless": "u", "precision": "month"},
    {**BASE, "type": "Accepted", "ref": "p-1", "qualifier": "in_principle", "source": [{"ref": "s1", "quote": "q"}, {"ref": "s2"}]},
    {**BASE, "type": "Rejected", "ref": "p-1", "reason": "no"},
    {**BASE, "type": "Withdrawn", "ref": "p-1"},
    {k: v for k, v in BASE.items() if k != "by"} | {"type": "AgreementReached", "issues": ["a", "b"], "parties": ["UA", "RU"], "terms": "t"},
    {"id": "r-1", "type": "ReportRetracted", "ref": "e-1", "reason": "r", "summary": "s"},
]
REFUSED = [
    {**VALID[0], "recorded_at": "2025-01-01T00:00:00Z"},  # scenario files only: parse_event says so
    {**VALID[0], "date": "2025-13-01"},
    {**VALID[0], "date": "2025-01"},
    {**VALID[0], "type": "Said"},
    {k: v for k, v in VALID[0].items() if k != "type"},
    {**VALID[0], "id": "Not A Slug"},
    {**VALID[0], "on": "2025-01-01"},
    {**VALID[0], "order": True},
    {**VALID[0], "precision": "week", "time": "10:00"},
]


@pytest.mark.parametrize("data", VALID, ids=lambda d: d["type"])
def test_a_valid_line_gives_the_statement_of_the_plain_path(data):
    line = json.dumps(data, ensure_ascii=False)
    problems: list = []
    plain = parse_event(json.loads(line), "f.ndjson", 0, 2, problems)
    typed = statement_from_json(line)
    assert problems == [] and plain is not None
    assert type(typed) is type(plain.statement)
    assert list(typed.__dict__.items()) == list(plain.statement.__dict__.items())
    assert typed.model_fields_set == plain.statement.model_fields_set
    assert typed.content() == plain.statement.content()


@pytest.mark.parametrize("data", REFUSED, ids=lambda d: ",".join(sorted(set(d) ^ set(VALID[0]))) or d.get("date", "?"))
def test_a_line_the_plain_path_refuses_is_left_to_it(data):
    assert statement_from_json(json.dumps(data)) is None
    assert statement_from_json(json.dumps(data).replace("}", "", 1)) is None  # not JSON at all


def test_ndjson_lines_left_to_the_plain_path_keep_their_place():
    header = {"negotrack": 1, "thread": {"id": "t"}}
    lines = [json.dumps(header), json.dumps(VALID[0]), json.dumps(REFUSED[1]), "", json.dumps(VALID[1])]
    data, numbers = load_ndjson(lines, "f.ndjson", statement_from_json)
    assert numbers == [2, 3, 5]
    assert [type(e).__name__ for e in data["events"]] == ["PositionStated", "dict", "DemandIssued"]
