"""A hypothesis strategy for small VALID timelines of contract §2-§4, cut into batches recorded at different times.

Parties AA, BB, CC (actor ``ann`` speaks for AA), issues ``i1`` and ``i2``, one
``url`` source (so no quote is needed).  Every event obeys §4: answers come
after their item, from another party (withdrawals from the item's own party),
revisions name an earlier proposal, retractions an earlier non-retraction.
Dates fall in 2024-01-01..10; batch ``b`` is recorded at 2024-02-01 + b hours,
so an early date in a later batch is a late report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from support.stores import dump_store  # noqa: F401 - the tests here import it from this module

PARTIES = ["AA", "BB", "CC"]
SPEAKERS = ["AA", "BB", "CC", "ann"]
PARTY_OF = {"AA": "AA", "BB": "BB", "CC": "CC", "ann": "AA"}
ISSUES = ["i1", "i2"]
STANCES = ["supports", "opposes", "conditional", "undecided"]
ITEM_TYPES = ["DemandIssued", "ProposalTabled", "ConcessionMade", "GuaranteeOffered", "ThreatIssued"]
DAY0 = date(2024, 1, 1)
CLOCK0 = datetime(2024, 2, 1, tzinfo=timezone.utc)

HEADER: dict[str, Any] = {
    "negotrack": 1,
    "thread": {
        "id": "t",
        "title": "Generated talks",
        "parties": {p: {"name": f"Party {p}"} for p in PARTIES},
        "actors": {"ann": {"name": "Ann", "party": "AA"}},
        "issues": {i: {"title": f"Issue {i}", "proposition": f"{i} happens"} for i in ISSUES},
    },
    "sources": {"web": {"url": "https://example.invalid/report", "title": "Report", "reliability": "C"}},
}


def day(offset: int) -> str:
    return (DAY0 + timedelta(days=offset)).isoformat()


def clock(batch: int) -> datetime:
    return CLOCK0 + timedelta(hours=batch)


@dataclass
class Timeline:
    events: list[dict[str, Any]]
    batches: list[int]  # the batch of each event, non-decreasing

    @property
    def batch_count(self) -> int:
        return (self.batches[-1] + 1) if self.batches else 1

    def batch(self, b: int) -> list[dict[str, Any]]:
        return [e for e, eb in zip(self.events, self.batches, strict=True) if eb == b]

    def write(self, folder: Path, events: list[dict[str, Any]], name: str, first: bool) -> Path:
        doc = dict(HEADER) if first else {"negotrack": 1, "thread": {"id": "t"}}
        doc["events"] = events
        path = folder / name
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return path

    def dates(self) -> list[str]:
        """Every date an answer can change at, and the days around them."""
        days = {e["date"] for e in self.events if "date" in e}
        grid = {"2023-12-31", "2024-01-11"}
        for d in days:
            grid.add(d)
            grid.add((date.fromisoformat(d) - timedelta(days=1)).isoformat())
        return sorted(grid)


def _source() -> dict[str, Any]:
    return {"ref": "web"}


@st.composite
def timelines(draw: st.DrawFn, max_events: int = 12, max_batches: int = 3) -> Timeline:
    n = draw(st.integers(1, max_events))
    events: list[dict[str, Any]] = []
    items: list[tuple[str, str, int, str]] = []  # id, party, day offset, type
    for i in range(n):
        eid = f"e{i}"
        kinds = ["PositionStated", *ITEM_TYPES, "AgreementReached"]
        if items:
            kinds += ["Accepted", "Rejected", "Withdrawn", "Accepted", "Rejected"]
        if any(e["type"] != "ReportRetracted" for e in events):
            kinds.append("ReportRetracted")
        kind = draw(st.sampled_from(kinds))
        by = draw(st.sampled_from(SPEAKERS))
        offset = draw(st.integers(0, 9))
        ev: dict[str, Any] = {"id": eid, "type": kind}
        if kind == "ReportRetracted":
            target = draw(st.sampled_from([e["id"] for e in events if e["type"] != "ReportRetracted"]))
            ev.update(ref=target, reason="misreported", summary=f"retracts {target}")
            events.append(ev)
            continue
        if kind in ("Accepted", "Rejected", "Withdrawn"):
            ref, owner, item_day, _ = draw(st.sampled_from(items))
            if kind == "Withdrawn":
                by = owner
            else:
                others = [s for s in SPEAKERS if PARTY_OF[s] != owner]
                by = draw(st.sampled_from(others))
            offset = draw(st.integers(item_day, 9))
            ev["ref"] = ref
            if kind == "Accepted":
                ev["qualifier"] = draw(st.sampled_from(["full", "in_principle"]))
            elif kind == "Rejected" and draw(st.booleans()):
                ev["reason"] = "no"
        ev.update(date=day(offset), summary=f"{kind} {eid}", source=_source())
        issue = draw(st.sampled_from(ISSUES))
        if kind == "AgreementReached":
            ev["parties"] = draw(st.lists(st.sampled_from(PARTIES), min_size=2, max_size=3, unique=True))
            ev["terms"] = "terms"
            ev["issue"] = issue
            adoptable = [it for it in items if it[2] <= offset]
            if adoptable and draw(st.booleans()):
                ev["ref"] = draw(st.sampled_from(adoptable))[0]
        else:
            ev["by"] = by
        if kind == "ProposalTabled":
            ev["title"] = f"plan {eid}"
            ev["provisions"] = [{"issue": x, "text": f"on {x}"} for x in draw(
                st.lists(st.sampled_from(ISSUES), min_size=1, max_size=2, unique=True))]
            earlier = [it for it in items if it[3] == "ProposalTabled" and it[2] <= offset]
            if earlier and draw(st.booleans()):
                ev["revises"] = draw(st.sampled_from(earlier))[0]
        elif kind not in ("Accepted", "Rejected", "Withdrawn", "AgreementReached"):
            ev["issue"] = issue
        if kind == "DemandIssued":
            ev["demand"] = f"demand {eid}"
            ev["of"] = draw(st.lists(st.sampled_from(PARTIES), max_size=2, unique=True))
        elif kind == "ConcessionMade":
            ev["concession"] = f"concession {eid}"
        elif kind == "GuaranteeOffered":
            ev["guarantee"] = f"guarantee {eid}"
            ev["to"] = draw(st.sampled_from(PARTIES))
        elif kind == "ThreatIssued":
            ev["threat"] = f"threat {eid}"
        if kind == "PositionStated":
            ev["stance"] = draw(st.sampled_from(STANCES))
        elif "by" in ev and draw(st.booleans()):
            ev["stance"] = draw(st.sampled_from(STANCES))
        if kind in ITEM_TYPES:
            items.append((eid, PARTY_OF[ev["by"]], offset, kind))
        events.append(ev)
    cuts = sorted(draw(st.lists(st.integers(1, n), max_size=max_batches - 1)))
    batches = [sum(1 for c in cuts if c <= i) for i in range(n)]
    # renumber so batches are 0, 1, 2, ... without gaps
    seen = {b: k for k, b in enumerate(sorted(set(batches)))}
    return Timeline(events=events, batches=[seen[b] for b in batches])
