"""The rows of ``negotrack timeline``: a thread's recorded statements listed in §5 rule 3's order, with what retracted them.

A pure projection of plain data (the fold's :class:`~negotrack.domain.state.Rec`
and the thread's declared sources): no store, no file.  The use case
(``app.queries.timeline``) reads what was recorded and hands it here; the
``--json`` rows and the text output are built from what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from negotrack.domain.state import Rec, apply_order
from negotrack.domain.vocabulary import ITEM_KINDS, RETRACTION, V11_COMMON_FIELDS, touched_issues


def timeline_rows(
    recs: Sequence[Rec],
    sources: Mapping[str, Mapping[str, Any]],
    *,
    issue: str | None = None,
    party: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> list[dict[str, Any]]:
    """The thread's events in date order (rule 3), filtered, each retraction after them where its target is shown.

    ``recs``: every statement recorded (as known at the instant asked for),
    in any order; ``sources``: the declared sources by id (their title and
    reliability are shown beside each quote).  ``issue``: only events touching
    it (an answer touches its item's issues); ``party``: only events whose
    party or ``by`` it is; ``start``/``end``: only events dated within them.
    A retraction has no date: it is listed at the end, in recording order,
    when its target is listed, and never otherwise, whatever the filters.
    """
    by_seq = sorted(recs, key=lambda r: r.seq)
    retracted = {r.body["ref"]: r.id for r in by_seq if r.type == RETRACTION}
    item_issues = {r.id: r.touched_issues() for r in by_seq if r.type in ITEM_KINDS}
    rows = []
    for r in sorted(recs, key=lambda r: (r.date is None, apply_order(r))):  # §5 rule 3's order
        if r.type == RETRACTION:
            continue  # shown where its target is (below)
        touched = touched_issues(r.type, r.body, item_issues)
        if issue is not None and issue not in touched:
            continue
        if party is not None and r.party != party and r.body.get("by") != party:
            continue
        if r.date is not None and ((start is not None and r.date < start) or (end is not None and r.date > end)):
            continue
        rows.append(_row(r, touched, retracted, sources))
    shown = {x["id"] for x in rows}
    rows += [_row(r, [], retracted, sources) for r in by_seq if r.type == RETRACTION and r.body["ref"] in shown]
    return rows


def _row(r: Rec, touched: list[str], retracted: Mapping[str, str], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "id": r.id,
        "type": r.type,
        "date": r.date,
        "precision": r.body.get("precision", "day"),
        "recorded_at": r.recorded_at,
        "party": r.party,
        "by": r.body.get("by"),
        "issues": touched,
        "summary": r.body.get("summary"),
        "ref": r.body.get("ref") or r.body.get("revises"),
        "retracted_by": retracted.get(r.id),
        "sources": [_quoted(s, sources) for s in r.body.get("source", [])],
        **{k: r.body[k] for k in V11_COMMON_FIELDS if k in r.body},  # contract v1.1, if given
        "body": dict(r.body),
    }


def _quoted(s: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    declared: Mapping[str, Any] = sources.get(s["ref"], {})
    return {"ref": s["ref"], "quote": s.get("quote"), "title": declared.get("title"), "reliability": declared.get("reliability")}

