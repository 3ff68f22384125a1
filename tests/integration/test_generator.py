"""The benchmark generator makes what it promises: valid timelines with every event type, late reports,
retractions, same-date events and long quotes, in each of the three formats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from negotrack.app import ingest as app_ingest
from negotrack.app import queries
from negotrack.store.store import Store
from negotrack.store.recorder import forget

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # noqa: E402

TYPES = {
    "PositionStated", "DemandIssued", "ProposalTabled", "ConcessionMade", "GuaranteeOffered", "ThreatIssued",
    "Accepted", "Rejected", "Withdrawn", "AgreementReached", "ReportRetracted",
}


@pytest.mark.parametrize("fmt", ["ndjson", "json", "yaml"])
def test_a_generated_timeline_ingests_and_uses_every_type(tmp_path, fmt):
    gen = generate.ThreadGenerator("gen-t", 3_000, seed=7)
    path = generate.write_thread(gen, tmp_path, fmt)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    try:
        report = app_ingest.ingest(Store(url), [path])
        assert report.threads["gen-t"]["events"] == 3_000
        rows = queries.timeline(Store.open(url), "gen-t")
    finally:
        forget(url)
    assert {r["type"] for r in rows} == TYPES
    events = list(generate.ThreadGenerator("gen-t", 3_000, seed=7).events())
    dates = [e["date"] for e in events if "date" in e]
    late = sum(1 for a, b in zip(dates, dates[1:]) if b < a)
    assert late > 50  # reports of earlier statements recorded after later ones
    assert len(dates) - len(set(dates)) > 1_000  # many events share a date
    quotes = [s.get("quote", "") for e in events for s in ([e["source"]] if isinstance(e.get("source"), dict) else e.get("source", []))]
    assert max(len(q) for q in quotes) >= 1_000


def test_a_thread_in_parts_ingests_file_by_file(tmp_path):
    gen = generate.ThreadGenerator("gen-p", 2_500, seed=3)
    parts = generate.write_parts(gen, tmp_path, 1_000)
    assert [p.name for p in parts] == ["gen-p.part000.ndjson", "gen-p.part001.ndjson", "gen-p.part002.ndjson"]
    assert json.loads(parts[1].read_text().splitlines()[0]) == {"negotrack": 1, "thread": {"id": "gen-p"}}
    url = f"sqlite:///{tmp_path / 'p.db'}"
    try:
        counts = [app_ingest.ingest(Store(url), [p]).threads["gen-p"]["events"] for p in parts]
    finally:
        forget(url)
    assert counts == [1_000, 1_000, 500]


def test_the_uniform_profile_has_the_shape_it_promises_and_ingests(tmp_path):
    gen = generate.generator("uniform", "uni-t", 3_000, seed=5)
    header = gen.header()["thread"]
    assert len(header["issues"]) == 20 and len(header["parties"]) == 8
    events = list(generate.generator("uniform", "uni-t", 3_000, seed=5).events())
    assert events == list(generate.generator("uniform", "uni-t", 3_000, seed=5).events())  # deterministic
    answers = sum(1 for e in events if e["type"] in ("Accepted", "Rejected", "Withdrawn"))
    assert 0.28 < answers / len(events) < 0.38
    dates = sorted(e["date"] for e in events)
    assert dates[0] < "2016-03-01" and dates[-1] > "2025-10-01"  # spread over the ten years
    assert sum(1 for a, b in zip(events, events[1:]) if b["date"] < a["date"]) > 1_000  # not in date order
    path = generate.write_thread(gen, tmp_path, "ndjson")
    url = f"sqlite:///{tmp_path / 'u.db'}"
    try:
        assert app_ingest.ingest(Store(url), [path]).threads["uni-t"]["events"] == 3_000
    finally:
        forget(url)
