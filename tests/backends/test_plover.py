"""`export --format plover`: PLOVER JSONL, every record valid against a JSON Schema written from the manual."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "plover-record.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())

RETRACTION = """\
  - {id: bo-rejects, type: Rejected, date: 2024-02-01, by: BO, ref: av-closed, reason: no closure, summary: Borealis rejects the closure,
     source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: oops, type: ReportRetracted, ref: bo-rejects, reason: it was the plan they rejected, summary: misreported}
"""


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_every_record_of_the_seed_export_is_valid_plover(backend, tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert backend.run("ingest", "seeds/ukraine-peace.yaml").exit_code == 0
    result = backend.run("export", "ukraine-peace", "--format", "plover", "-o", "u.jsonl")
    assert result.exit_code == 0, result.output
    assert result.stderr == "ukraine-peace: 47 events written to u.jsonl\n"
    records = _records((tmp_path / "u.jsonl").read_text(encoding="utf-8"))
    assert len(records) == 47
    for record in records:
        errors = [e.message for e in VALIDATOR.iter_errors(record)]
        assert errors == [], (record["id"], errors)
    seed = (tmp_path / "seeds" / "ukraine-peace.yaml").read_text(encoding="utf-8")
    assert [r["id"] for r in records] == [line.split("id: ", 1)[1] for line in seed.splitlines() if line.startswith("  - id: ")]
    by_type = {r["negotrack_type"]: r for r in records}
    demand = by_type["DemandIssued"]
    assert (demand["event"], demand["mode"], demand["negotrack_cameo"], demand["has_event"]) == (["REQUEST"], None, "100", True)
    assert demand["negotrack_item"]["kind"] == "demand" and demand["link"] == demand["id"]
    accepted = by_type["Accepted"]
    assert accepted["link"] == accepted["negotrack_response"]["ref"]  # a response shares its item's link


def test_plover_records_carry_the_quote_the_actor_the_recipient_and_negotrack_s_fields(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(RETRACTION)
    assert backend.run("ingest", "more.yaml").exit_code == 0
    result = backend.run("export", "harbour", "--format", "plover")
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in _records(result.stdout)}
    for record in records.values():
        assert list(VALIDATOR.iter_errors(record)) == []
    closed = records["av-closed"]
    recorded = closed["coded_date"] + "T" + closed["coded_time"]
    assert recorded.endswith("Z") and len(closed["coded_time"]) == len("00:00:00.000000Z")
    assert {k: v for k, v in closed.items() if k not in ("coded_date", "coded_time", "negotrack_event")} == {
        "id": "av-closed", "has_event": True, "date": "2024-01-10",
        "actor": [{"code": "AV", "entity_text": "Alice Example", "identifier_text": "Avalon", "office": "Minister"}],
        "recipient": [{"code": "BO", "entity_text": "Borealis"}],
        "event": ["REQUEST"], "mode": None, "context": None,
        "event_text": ["the harbour must stay closed to foreign fleets"], "link": "av-closed",
        "cite_info": {"citation": "hw", "title": "Harbour Wire",
                      "codebook": "negotrack-plover-1 (PLOVER manual, Data Fields; CAMEO2PLOVER-2021)"},
        "coder": "negotrack (human-coded)", "comment": "Avalon demands the harbour stay closed",
        "negotrack_thread": "harbour", "negotrack_type": "DemandIssued", "negotrack_cameo": "100",
        "negotrack_cameo_name": "Demand (not specified below)", "negotrack_party": "AV",
        "negotrack_issue": ["fishing"], "negotrack_stance": "opposes",
        "negotrack_item": {"kind": "demand", "text": "harbour stays closed"}, "negotrack_response": None,
        "negotrack_precision": "day", "negotrack_reliability": ["B"], "negotrack_sources": ["hw"],
        "negotrack_retracted_by": None,
    }  # fmt: skip
    assert records["bo-zone"]["negotrack_issue"] == ["fishing", "port"]
    assert (records["bo-rejects"]["event"], records["bo-rejects"]["mode"]) == (["REJECT"], ["meet"])
    assert records["bo-rejects"]["negotrack_retracted_by"] == "oops"
    oops = records["oops"]
    assert (oops["has_event"], oops["event"], oops["actor"], oops["negotrack_cameo"]) == (False, [], [], None)
    assert (oops["date"], oops["link"], oops["negotrack_retracts"]) == (oops["coded_date"], "bo-rejects", "bo-rejects")


@pytest.mark.parametrize(
    "change",
    [
        {"event": ["DEMAND"]},  # the manual has REQUEST, not DEMAND
        {"actor": "AV"},  # a list of entity objects
        {"date": "10 January 2024"},
        {"mode": ["visit"]},  # not a REQUEST mode
        {"stance": "opposes"},  # not a manual field, not a named extension
        {"cite_info": {"source": "hw"}},
    ],
)
def test_the_schema_refuses_what_the_manual_does_not_allow(change):
    record = {"id": "x", "date": "2024-01-10", "actor": [{"code": "AV"}], "event": ["REQUEST"], "mode": None}
    assert list(VALIDATOR.iter_errors(record)) == []
    assert list(VALIDATOR.iter_errors({**record, **change})) != []
