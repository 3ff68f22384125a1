"""A thread as PLOVER event data: JSONL, one record a line (``export --format plover``).

The fields are those of the PLOVER manual's "Data Fields" chapter
(``openeventdata/PLOVER``, ``PLOVER_MANUAL.tex``); negotrack's own fields are
named extension fields (``negotrack_*``), which the manual allows ("Providers
should feel free to include named fields beyond those provided here").  The
mapping of the 11 event types onto PLOVER ``event``/``mode``/``context`` and
onto CAMEO codes (from the PLOVER repository's ``CAMEO2PLOVER-2021.txt``) is
:data:`MAPPING`, documented in ``docs/interop.md``.
"""

from __future__ import annotations

import json
from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from negotrack.domain.state import Rec
from negotrack.domain.vocabulary import ANSWERS, ITEM_KINDS, ITEM_TEXT_FIELD, RETRACTION, VOCABULARY, named_issues


# (PLOVER event, mode, context, CAMEO code, CAMEO name); an empty event means PLOVER has no category for it.
Row = tuple[str | None, str | None, str | None, str | None, str]

MAPPING: dict[str, Row] = {
    "PositionStated/supports": ("SUPPORT", None, "diplomatic", "051", "Praise or endorse"),
    "PositionStated/opposes": ("REJECT", None, None, "120", "Reject"),
    "PositionStated/conditional": ("AGREE", None, "diplomatic", "030", "Express intent to cooperate"),
    "PositionStated/undecided": (None, None, None, "010", "Make statement (not in CAMEO2PLOVER)"),
    "DemandIssued": ("REQUEST", None, None, "100", "Demand (not specified below)"),
    "ProposalTabled": ("AGREE", None, "diplomatic", "037", "Express intent to settle dispute"),
    "ConcessionMade": ("CONCEDE", None, None, "080", "Yield"),
    "GuaranteeOffered": ("AGREE", None, "diplomatic", "030", "Express intent to cooperate"),
    "ThreatIssued": ("THREATEN", None, None, "130", "Threaten"),
    "Accepted": ("AGREE", None, "diplomatic", "030", "Express intent to cooperate"),
    "Rejected": ("REJECT", "meet", "diplomatic", "127", "Reject plan, agreement to settle dispute"),
    "Withdrawn": ("CONCEDE", None, None, "080", "Yield"),
    "AgreementReached": ("SUPPORT", None, "diplomatic", "057", "Sign formal agreement"),
    "ReportRetracted": (None, None, None, None, "no CAMEO code: the analyst's correction, not an event"),
}

CODEBOOK = "negotrack-plover-1 (PLOVER manual, Data Fields; CAMEO2PLOVER-2021)"


def mapping_key(rec: Rec) -> str:
    if rec.type == "PositionStated":
        return f"PositionStated/{rec.body.get('stance')}"
    return rec.type


def _entity(decls: Any, who: str) -> dict[str, Any]:
    """A PLOVER entity object for an actor or a party id: ``code`` is the party's id in the thread."""
    actor = decls.actors.get(who)
    if actor is not None:
        party = decls.parties.get(actor["party"], {})
        entity = {"code": actor["party"], "entity_text": actor["name"], "identifier_text": party.get("name")}
        if actor.get("role"):
            entity["office"] = actor["role"]
        return {k: v for k, v in entity.items() if v is not None}
    party = decls.parties.get(who)
    return {"code": who, "entity_text": party["name"]} if party else {"code": who}


def _end_date(day: str, precision: str) -> str | None:
    start = date.fromisoformat(day)
    if precision == "week":
        return (start + timedelta(days=6)).isoformat()
    if precision == "month":
        return start.replace(day=monthrange(start.year, start.month)[1]).isoformat()
    if precision == "year":  # contract v1.1
        return start.replace(month=12, day=31).isoformat()
    return None


def record(rec: Rec, decls: Any) -> dict[str, Any]:
    """One PLOVER record for one recorded statement."""
    body = rec.body
    event, mode, context, cameo, cameo_name = MAPPING[mapping_key(rec)]
    coded_date, coded_time = rec.recorded_at.split("T", 1)
    out: dict[str, Any] = {"id": body["id"], "has_event": event is not None}
    precision = body.get("precision", "day")
    if rec.date is not None:
        out["date"] = rec.date
        end = _end_date(rec.date, precision)
        if end is not None:
            out["enddate"] = end
    else:  # a retraction has no valid time: it is dated when it was recorded
        out["date"] = coded_date
    if rec.type == "AgreementReached":
        out["actor"] = [_entity(decls, p) for p in body.get("parties", [])]
    elif body.get("by") is not None:
        out["actor"] = [_entity(decls, body["by"])]
    else:
        out["actor"] = []
    recipients = body.get("of") or ([body["to"]] if body.get("to") else [])
    if recipients:
        out["recipient"] = [_entity(decls, p) for p in recipients]
    out["event"] = [event] if event else []
    out["mode"] = [mode] if mode else None
    out["context"] = [context] if context else None
    quotes = [s["quote"] for s in body.get("source", []) if s.get("quote")]
    if quotes:
        out["event_text"] = quotes
    ref_field = VOCABULARY[rec.type].ref_field
    ref = body.get(ref_field) if ref_field else None
    out["link"] = ref if ref else (body["id"] if rec.type in ITEM_KINDS else None)
    cites = body.get("source", [])
    if cites:
        src = decls.sources.get(cites[0]["ref"], {})
        cite = {"citation": cites[0]["ref"], "title": src.get("title"), "url": src.get("url"), "codebook": CODEBOOK}
        out["cite_info"] = {k: v for k, v in cite.items() if v is not None}
    out["coder"] = "negotrack (human-coded)"
    out["coded_date"] = coded_date
    out["coded_time"] = coded_time
    out["comment"] = body.get("summary")
    # negotrack's own fields
    out["negotrack_thread"] = decls.slug
    out["negotrack_type"] = rec.type
    out["negotrack_cameo"] = cameo
    out["negotrack_cameo_name"] = cameo_name
    out["negotrack_party"] = rec.party
    out["negotrack_issue"] = named_issues(rec.type, body)  # the issues it names (v1.1: an agreement's `issues`)
    out["negotrack_stance"] = body.get("stance")
    kind = ITEM_KINDS.get(rec.type)
    out["negotrack_item"] = {"kind": kind, "text": body.get(ITEM_TEXT_FIELD[kind])} if kind else None
    if rec.type in ANSWERS:
        response = {"ref": body["ref"], "response": rec.type.lower()}
        if "qualifier" in body:
            response["qualifier"] = body["qualifier"]
        if "reason" in body:
            response["reason"] = body["reason"]
        out["negotrack_response"] = response
    else:
        out["negotrack_response"] = None
    out["negotrack_precision"] = precision if rec.date is not None else None
    out["negotrack_reliability"] = [decls.sources.get(s["ref"], {}).get("reliability") for s in cites]
    out["negotrack_sources"] = [s["ref"] for s in cites]
    retracted = decls.retracted.get(body["id"])
    out["negotrack_retracted_by"] = retracted[0] if retracted else None
    if rec.type == RETRACTION:
        out["negotrack_retracts"] = body["ref"]
        out["negotrack_reason"] = body["reason"]
    if body.get("reported_by"):  # contract v1.1: who reported the statement (the actor stays its speaker)
        out["negotrack_reported_by"] = body["reported_by"]
    out["negotrack_event"] = body  # the event as negotrack records it, every field (v1.1's time and order too)
    return out


def write(decls: Any, recs: Iterable[Rec], out: Any) -> int:
    n = 0
    for rec in recs:
        out.write(json.dumps(record(rec, decls), ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n
