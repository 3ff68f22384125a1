"""Everything negotrack prints: readable text for a terminal, JSON for scripts.

Text that comes from a timeline (names, summaries, quotes) is passed through
:func:`safe` before it is printed: control characters become visible escapes
(``\\x1b``), so no escape sequence from a source reaches the terminal, and
nothing is ever interpreted as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click

from negotrack.domain.state import Change, Rec, response_text
from negotrack.domain.vocabulary import RETRACTION

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(value: Any, *, multiline: bool = False) -> str:
    """Text as it may reach a terminal: control characters shown as escapes."""
    if value is None:
        return ""
    text = str(value)
    return (_CONTROL if multiline else _CONTROL_ALL).sub(_escape, text)


class JSONText(str):
    """Output that is JSON: printed as it is, never wrapped to the terminal's width."""


def to_json(data: Any) -> str:
    """JSON for scripts, indented by 2; C1 controls, DEL and bidi controls are escaped too (json leaves them raw)."""
    from negotrack.speedups import dumps_for_scripts

    return JSONText(dumps_for_scripts(data))


def style(text: str, **kwargs: Any) -> str:
    return click.style(text, **kwargs)


STATUS_COLOURS = {
    "agreed": "green",
    "contested": "red",
    "open": "yellow",
    "not-raised": "bright_black",
    "withdrawn": "bright_black",
    "superseded": "bright_black",
    "adopted": "green",
}


def _status(status: str) -> str:
    return style(f"[{status}]", fg=STATUS_COLOURS.get(status))


# ---------------------------------------------------------------------------
# state
# ---------------------------------------------------------------------------


def state_text(doc: dict[str, Any]) -> str:
    known = f"as known at {doc['known_at']}" if doc["known_at"] else "everything recorded so far"
    lines = [style(f"{safe(doc['thread'])}: as of {doc['as_of']} ({known})", bold=True)]
    for key, issue in doc["issues"].items():
        lines.append("")
        lines.append(f"{style(safe(key), bold=True)}  {safe(issue['title'])}  {_status(issue['status'])}")
        last = issue["last_event"]
        lines.append(f"  last event: {safe(last['id'])} ({last['date']})" if last else "  last event: none")
        if issue["stances"]:
            lines.append("  stances:")
            width = max(len(safe(p)) for p in issue["stances"])
            for party, s in issue["stances"].items():
                lines.append(f"    {safe(party):<{width}}  {s['stance']:<11}  since {s['since']}  ({safe(s['event'])})")
        else:
            lines.append("  stances: none")
        if issue["items"]:
            lines.append("  items:")
            for item_id, item in issue["items"].items():
                lines.append(
                    f"    {safe(item_id)}  {item['kind']} by {safe(item['by'])}, {item['date']}  {_status(item['status'])}"
                )
                if item.get("text"):
                    lines.append(f"      {safe(item['text'])}")
                if item["responses"]:
                    for party, r in item["responses"].items():
                        lines.append(f"      {safe(party)} {_response(r)} ({r['date']}, {safe(r['event'])})")
                else:
                    lines.append("      no answers")
        else:
            lines.append("  items: none")
        agreement = issue["agreement"]
        if agreement:
            adopts = f", adopts {safe(agreement['ref'])}" if agreement.get("ref") else ""
            lines.append(
                f"  agreement: {safe(agreement['event'])} ({agreement['date']}) between "
                f"{', '.join(safe(p) for p in agreement['parties'])}: {safe(agreement['terms'])}{adopts}"
            )
    return "\n".join(lines)


def _response(r: dict[str, Any]) -> str:
    return (response_text(r) or "") + (f": {safe(r['reason'])}" if r.get("reason") else "")


# ---------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------


def _who(row: dict[str, Any]) -> str:
    by, party = row.get("by"), row.get("party")
    if by and party and by != party:
        return f"{safe(party)} ({safe(by)})"
    return safe(party or by or "")


def timeline_text(slug: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"{safe(slug)}: no events match."
    lines = []
    for row in rows:
        date = row["date"] or "(retraction)"
        if row["precision"] != "day" and row["date"]:
            date += f" ({row['precision']})"
        head = f"{date}  {style(safe(row['id']), bold=True)}  {row['type']}"
        who = _who(row)
        if who:
            head += f"  {who}"
        if row["issues"]:
            head += f"  [{', '.join(safe(i) for i in row['issues'])}]"
        if row["retracted_by"]:
            head += "  " + style(f"RETRACTED by {safe(row['retracted_by'])}", fg="red")
        lines.append(head)
        lines.append(f"    {safe(row['summary'])}")
        if row["ref"]:
            lines.append(f"    answers: {safe(row['ref'])}")
        if row["type"] == RETRACTION:
            lines.append(f"    reason: {safe(row['body'].get('reason'))}")
        for s in row["sources"]:
            grade = f", {s['reliability']}" if s.get("reliability") else ""
            title = f" {safe(s['title'])}" if s.get("title") else ""
            quote = f'"{safe(s["quote"])}"' if s.get("quote") else "(no quote)"
            lines.append(f"    {quote} [{safe(s['ref'])}{title}{grade}]")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# replay and diff
# ---------------------------------------------------------------------------


def describe(change: Change) -> str:
    c = change
    if c.what == "stance":
        return f"{safe(c.issue)}: {safe(c.subject)} stance {c.before or 'none'} -> {c.after or 'none'}"
    if c.what == "tabled":
        return f"{safe(c.issue)}: {c.after} {safe(c.subject)} tabled"
    if c.what == "answered":
        return f"{safe(c.issue)}: {safe(c.subject)}: {c.before or 'no answer'} -> {c.after or 'no answer'}"
    if c.what == "item-status":
        return f"{safe(c.issue)}: {safe(c.subject)} {c.before} -> {c.after}"
    if c.what == "agreement":
        if c.after is None:
            return f"{safe(c.issue)}: agreement no longer in view"
        return f"{safe(c.issue)}: agreement reached by {safe(c.subject)}: {safe(c.after)}"
    if c.what == "removed":
        return f"{safe(c.issue)}: {safe(c.subject)} no longer in view"
    if c.what == "status":
        return f"{safe(c.issue)}: status {c.before} -> {c.after}"
    return f"{safe(c.issue)}: {c.what} {safe(c.subject)}"


def replay_text(slug: str, steps: Iterable[tuple[Rec, list[Change]]]) -> str:
    lines: list[str] = []
    count = 0
    for rec, changes in steps:
        count += 1
        who = safe(rec.party or rec.body.get("by") or "")
        by = rec.body.get("by")
        if by and by != rec.party:
            who = f"{who} ({safe(by)})"
        lines.append(f"{rec.date}  {style(safe(rec.id), bold=True)}  {rec.type}" + (f" by {who}" if who else ""))
        lines.append(f"    {safe(rec.body.get('summary'))}")
        for change in changes:
            lines.append("    " + style("* ", fg="cyan") + describe(change))
        if not changes:
            lines.append("    (no change to any issue)")
    if count == 0:
        return f"{safe(slug)}: no events in view."
    return "\n".join(lines)


def diff_text(doc: dict[str, Any]) -> str:
    known = f", as known at {doc['known_at']}" if doc["known_at"] else ""
    head = style(f"{safe(doc['thread'])}: from {doc['from']} to {doc['to']}{known}", bold=True)
    if not doc["changes"]:
        return head + "\nno changes"
    lines = [head]
    for c in doc["changes"]:
        change = Change(**c)
        line = describe(change)
        if change.event:
            line += f"  ({safe(change.event)})"
        lines.append("  " + line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# threads and sources
# ---------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]], whole: tuple[int, ...] = ()) -> str:
    from negotrack.terminal import table as layout

    return layout(headers, rows, whole=whole)


def threads_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "The store has no threads."
    body = [
        [
            safe(r["thread"]),
            str(r["events"]),
            f"{r['first'] or '-'} .. {r['last'] or '-'}",
            ", ".join(safe(p) for p in r["parties"]),
            ", ".join(safe(i) for i in r["issues"]),
        ]
        for r in rows
    ]
    return table(["thread", "events", "dates", "parties", "issues"], body, whole=(0, 1, 2))


def sources_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No sources."
    body = [
        [
            safe(r["thread"]),
            safe(r["id"]),
            r.get("published") or "-",
            r.get("reliability") or "-",
            f"{r['chars']:,} chars" if r.get("chars") is not None else "no text",
            safe(r.get("title") or r.get("url") or r.get("path") or ""),
        ]
        for r in rows
    ]
    return table(["thread", "source", "published", "grade", "archived", "title"], body, whole=(0, 1, 2, 3, 4))


def source_text(src: dict[str, Any]) -> str:
    lines = [
        f"source:      {safe(src['id'])} (thread {safe(src['thread'])})",
        f"title:       {safe(src.get('title') or '-')}",
    ]
    if src.get("path"):
        lines.append(f"path:        {safe(src['path'])}")
    if src.get("url"):
        lines.append(f"url:         {safe(src['url'])}")
    lines += [
        f"published:   {src.get('published') or '-'}",
        f"reliability: {src.get('reliability') or '-'}",
        f"archived:    {src['recorded_at']}",
        f"cited by:    {', '.join(safe(e) for e in src['cited_by']) or 'no event'}",
    ]
    if src.get("text") is not None:
        lines += ["", safe(src["text"], multiline=True).rstrip("\n")]
    return "\n".join(lines)
