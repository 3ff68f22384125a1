"""A thread as a TimelineJS3 timeline (``export --format timelinejs``).

The JSON of ``NUKnightLab/TimelineJS3``'s ``website/docs/json-format.njk``:
``{"title": slide, "events": [slide, ...], "eras": [era, ...]}``, written
slide by slide as the events come.  The choices (``docs/interop.md``):

- a title slide: the thread's title, its parties and issues;
- one slide per recorded statement, ``unique_id`` = the event id; a
  retraction is not a slide of its own: the slide of the event it retracts
  says "Retracted" and why;
- ``start_date`` honours the precision: a month has no ``day``, a year
  (contract v1.1) neither ``month`` nor ``day``; a week keeps its first day
  and ``display_date`` says "week of ...";
- ``text.headline`` is the summary, ``text.text`` the quote(s), HTML-escaped,
  after "Reported by ..." where the event has ``reported_by`` (v1.1); an
  event's ``time`` (v1.1) is the date's ``hour`` and ``minute``;
- ``group`` is the speaking party's name;
- ``media`` is the source: its title as a blockquote (TimelineJS's own media
  type for text, which loads nothing), the outlet's grade as ``credit``, and
  its URL (or the archived text's file beside the export) as ``link``;
- ``eras``: one per issue, from its first to its last event that names it
  (not counting retracted ones).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Any

from negotrack.domain.state import Rec
from negotrack.domain.vocabulary import RETRACTION

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _date(day: str, precision: str = "day") -> dict[str, Any]:
    d = date.fromisoformat(day)
    out: dict[str, Any] = {"year": d.year}
    if precision != "year":
        out["month"] = d.month
    if precision not in ("month", "year"):
        out["day"] = d.day
    return out


def display_date(day: str, precision: str) -> str:
    d = date.fromisoformat(day)
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"week of {text}" if precision == "week" else text


def title_slide(decls: Any) -> dict[str, Any]:
    parties = ", ".join(escape(p["name"]) for p in decls.parties.values())
    issues = "".join(f"<li>{escape(i['title'])}</li>" for i in decls.issues.values())
    text = f"<p>Parties: {parties}</p>" if parties else ""
    if issues:
        text += f"<p>Issues:</p><ul>{issues}</ul>"
    return {"text": {"headline": escape(decls.title or decls.slug), "text": text}, "unique_id": f"thread-{decls.slug}"}


def slide(rec: Rec, decls: Any, source_links: dict[str, str]) -> dict[str, Any]:
    body = rec.body
    precision = body.get("precision", "day")
    quotes = [s for s in body.get("source", []) if s.get("quote")]
    text = "".join(f"<blockquote>{escape(s['quote'])}</blockquote>" for s in quotes)
    retracted = decls.retracted.get(body["id"])
    headline = escape(body["summary"])
    reporter = body.get("reported_by")  # contract v1.1: who reported the statement, by its id
    if reporter:
        actor = decls.actors.get(reporter)
        name = actor["name"] if actor else decls.parties.get(reporter, {}).get("name", reporter)
        text = f"<p>Reported by {escape(name)}</p>" + text
    if retracted is not None:
        headline = f"Retracted: {headline}"
        text = f"<p><strong>Retracted</strong> by {escape(retracted[0])}: {escape(retracted[1])}</p>" + text
    party = rec.party
    if party is not None:
        group = decls.parties.get(party, {}).get("name", party)
    else:
        group = " / ".join(decls.parties.get(p, {}).get("name", p) for p in body.get("parties", [])) or "Agreement"
    start = _date(rec.date or "", precision)
    when = display_date(rec.date or "", precision)
    if body.get("time"):  # contract v1.1: TimelineJS dates take an hour and a minute
        hour, minute = body["time"].split(":")
        start.update(hour=int(hour), minute=int(minute))
        when = f"{when}, {body['time']}"
    out: dict[str, Any] = {
        "start_date": start,
        "display_date": when,
        "text": {"headline": headline, "text": text},
        "group": group,
        "unique_id": body["id"],
        "autolink": False,
    }
    cites = body.get("source", [])
    if cites:
        key = cites[0]["ref"]
        src = decls.sources.get(key, {})
        media: dict[str, Any] = {"url": f"<blockquote>{escape(src.get('title') or key)}</blockquote>"}
        grade = src.get("reliability")
        credit = [escape(src["published"]) if src.get("published") else None, f"reliability {grade}" if grade else None]
        if any(credit):
            media["credit"] = " · ".join(c for c in credit if c)
        link = src.get("url") or source_links.get(key)
        if link:
            media["link"] = link
            media["link_target"] = "_blank"
        out["media"] = media
    return out


def write(decls: Any, recs: Iterable[Rec], out: Any, source_links: dict[str, str] | None = None) -> int:
    """Write the timeline; returns the number of events written (retractions included)."""
    links = source_links or {}
    out.write('{"title":' + _json(title_slide(decls)) + ',\n"events":[')
    n = 0
    slides = 0
    spans: dict[str, list[str]] = {}  # issue -> [first date, last date]
    for rec in recs:
        n += 1
        if rec.type == RETRACTION or rec.date is None:
            continue
        out.write(("\n" if slides == 0 else ",\n") + _json(slide(rec, decls, links)))
        slides += 1
        body = rec.body
        if body["id"] in decls.retracted:
            continue  # shown, marked retracted, but not what an issue's span is measured by
        issues = [body["issue"]] if body.get("issue") else [p["issue"] for p in body.get("provisions", [])]
        for issue in issues:
            span = spans.setdefault(issue, [rec.date, rec.date])
            span[0], span[1] = min(span[0], rec.date), max(span[1], rec.date)
    out.write("\n],\n\"eras\":[")
    first = True
    for key, info in decls.issues.items():
        if key not in spans:
            continue
        start, end = spans[key]
        era = {"start_date": _date(start), "end_date": _date(end), "text": {"headline": escape(info["title"])}}
        out.write(("\n" if first else ",\n") + _json(era))
        first = False
    out.write("\n]}\n")
    return n
