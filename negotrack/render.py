"""Everything negotrack prints: readable text for a terminal, JSON for scripts.

Text that comes from a timeline (names, summaries, quotes) is passed through
:func:`safe` before it is printed: control characters become visible escapes
(``\\x1b``), so no escape sequence from a source reaches the terminal, and
nothing is ever interpreted as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import click

from negotrack.domain.state import Change, Rec, response_text
from negotrack.domain.vocabulary import RETRACTION, VOCABULARY

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


def state_text(doc: dict[str, Any], precision: Mapping[str, str] | None = None) -> str:
    """The state document as text; ``precision``: each event's date precision where not a day (as timeline shows it)."""
    precision = precision or {}

    def when(day: str | None, event: str | None, inside: bool = False) -> str:
        """A date as timeline shows it, ``2025-04-15 (week)``; within parentheses, ``week of 2025-04-15``."""
        p = precision.get(event or "")
        if not p or p == "day" or not day:
            return str(day)
        return f"{p} of {day}" if inside else f"{day} ({p})"

    known = f"as known at {doc['known_at']}" if doc["known_at"] else "everything recorded so far"
    lines = [style(f"{safe(doc['thread'])}: as of {doc['as_of']} ({known})", bold=True)]
    for key, issue in doc["issues"].items():
        lines.append("")
        lines.append(f"{style(safe(key), bold=True)}  {safe(issue['title'])}  {_status(issue['status'])}")
        last = issue["last_event"]
        lines.append(f"  last event: {safe(last['id'])} ({when(last['date'], last['id'], True)})" if last else "  last event: none")
        if issue["stances"]:
            lines.append("  stances:")
            width = max(len(safe(p)) for p in issue["stances"])
            for party, s in issue["stances"].items():
                # `since` is when it was last stated; `held_since` when the stance took this value
                held = issue.get("held_since", {}).get(party)
                held_text = f", held since {held}" if held and held != s["since"] else ""
                lines.append(
                    f"    {safe(party):<{width}}  {s['stance']:<11}  last stated {when(s['since'], s['event'])}"
                    f"{held_text}  ({safe(s['event'])}{_reported(s)})"
                )
        else:
            lines.append("  stances: none")
        if issue["items"]:
            lines.append("  items:")
            for item_id, item in issue["items"].items():
                lines.append(
                    f"    {safe(item_id)}  {item['kind']} by {safe(item['by'])}, {when(item['date'], item_id)}"
                    f"  {_status(item['status'])}"
                )
                if item.get("text"):
                    lines.append(f"      {safe(item['text'])}")
                if item["responses"]:
                    for party, r in item["responses"].items():
                        lines.append(
                            f"      {safe(party)} {_response(r)} ({when(r['date'], r['event'], True)}, "
                            f"{safe(r['event'])}{_reported(r)})"
                        )
                else:
                    lines.append("      no answers")
        else:
            lines.append("  items: none")
        agreement = issue["agreement"]
        if agreement:
            adopts = f", adopts {safe(agreement['ref'])}" if agreement.get("ref") else ""
            lines.append(
                f"  agreement: {safe(agreement['event'])} ({when(agreement['date'], agreement['event'], True)}) between "
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
        who = f"{safe(party)} ({safe(by)})"
    else:
        who = safe(party or by or "")
    return who + _reported(row.get("body") or {}) if who else ""


def _reported(body: Any) -> str:
    """Contract v1.1: ", reported by X" where the event says who reported the statement."""
    reporter = body.get("reported_by")
    return f", reported by {safe(reporter)}" if reporter else ""


def timeline_text(slug: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"{safe(slug)}: no events match."
    lines = []
    for row in rows:
        date = row["date"] or "(retraction)"
        if row["precision"] != "day" and row["date"]:
            date += f" ({row['precision']})"
        elif row["body"].get("time"):  # contract v1.1
            date += f" {row['body']['time']}"
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
            lines.append(f"    {VOCABULARY[row['type']].ref_word or 'answers'}: {safe(row['ref'])}")
        if row["type"] == RETRACTION:
            lines.append(f"    reason: {safe(row['body'].get('reason'))}")
        if row["body"].get("conditions"):  # a guarantee's, and (contract v1.1) a concession's
            lines.append(f"    conditions: {safe(row['body']['conditions'])}")
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
        reason = f": {safe(c.after['reason'])}" if c.after and c.after.get("reason") else ""
        return f"{safe(c.issue)}: {safe(c.subject)} by {safe(c.party)}: {_answered(c.before)} -> {_answered(c.after)}{reason}"
    if c.what == "item-status":
        return f"{safe(c.issue)}: {safe(c.subject)} {c.before} -> {c.after}"
    if c.what == "agreement":
        if c.after is None:
            return f"{safe(c.issue)}: agreement no longer in view"
        return f"{safe(c.issue)}: agreement reached by {', '.join(safe(p) for p in c.subject)}: {safe(c.after)}"
    if c.what == "removed":
        return f"{safe(c.issue)}: {safe(c.subject)} no longer in view"
    if c.what == "status":
        return f"{safe(c.issue)}: status {c.before} -> {c.after}"
    return f"{safe(c.issue)}: {c.what} {safe(c.subject)}"


def _answered(r: dict[str, Any] | None) -> str:
    """A response in a change: its words, and which event gave it when (a restatement differs only there)."""
    if r is None:
        return "no answer"
    return f"{response_text(r)} ({r['date']}, {safe(r['event'])})"


def replay_text(slug: str, steps: Iterable[tuple[Rec, list[Change]]]) -> str:
    lines: list[str] = []
    count = 0
    for rec, changes in steps:
        count += 1
        who = safe(rec.party or rec.body.get("by") or "")
        by = rec.body.get("by")
        if by and by != rec.party:
            who = f"{who} ({safe(by)})"
        if who:
            who += _reported(rec.body)
        precision = rec.body.get("precision", "day")
        date = f"{rec.date} {rec.body['time']}" if rec.body.get("time") else str(rec.date)  # v1.1's time, if given
        date = f"{date} ({precision})" if precision != "day" else date
        lines.append(f"{date}  {style(safe(rec.id), bold=True)}  {rec.type}" + (f" by {who}" if who else ""))
        lines.append(f"    {safe(rec.body.get('summary'))}")
        for change in changes:
            lines.append("    " + style("* ", fg="cyan") + describe(change))
        if not changes:
            lines.append("    (no change to any issue)")
    if count == 0:
        return f"{safe(slug)}: no events in view."
    return "\n".join(lines)


def replay_document(head: dict[str, Any], steps: Iterable[tuple[Rec, list[Change]]]) -> dict[str, Any]:
    """``replay --json``: ``head`` (thread, until, known_at, issue), then each step: the event and what it changed.

    Each change has the shape of ``diff --json``'s (see ``Change.as_dict``).
    """
    return {
        **head,
        "steps": [
            {
                "id": rec.id,
                "type": rec.type,
                "date": rec.date,
                "precision": rec.body.get("precision", "day"),
                "party": rec.party,
                "by": rec.body.get("by"),
                "summary": rec.body.get("summary"),
                "changes": [c.as_dict() for c in changes],
            }
            for rec, changes in steps
        ],
    }


def diff_text(doc: dict[str, Any]) -> str:
    known = f", as known at {doc['known_at']}" if doc["known_at"] else ""
    head = style(f"{safe(doc['thread'])}: from {doc['from']} to {doc['to']}{known}", bold=True)
    if not doc["changes"]:
        return head + "\nno changes"
    lines = [head]
    for c in doc["changes"]:
        change = Change(**c)
        line = describe(change)
        if change.event and change.what != "answered":  # an answer's line names its event already
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


# ---------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------


def show_text(doc: dict[str, Any]) -> str:
    """A thread's declarations: parties and their actors, issues and their propositions, sources and their grades."""
    title = f": {safe(doc['title'])}" if doc.get("title") else ""
    n = doc["events"]
    span = f", {doc['first']} .. {doc['last']}" if doc.get("first") else ""
    lines = [style(f"{safe(doc['thread'])}{title}", bold=True), f"{n} event{'s' if n != 1 else ''}{span}", ""]
    lines.append(style("Parties and their actors", bold=True))
    width = max([len(p["id"]) for p in doc["parties"]] + [len(a["id"]) + 2 for p in doc["parties"] for a in p["actors"]] + [1])
    for party in doc["parties"]:
        lines.append(f"  {safe(party['id']).ljust(width)}  {safe(party['name'])}")
        for actor in party["actors"]:
            role = f", {safe(actor['role'])}" if actor.get("role") else ""
            lines.append(f"    {safe(actor['id']).ljust(width - 2)}  {safe(actor['name'])}{role}")
    if not doc["parties"]:
        lines.append("  (none declared)")
    lines += ["", style("Issues and their propositions", bold=True)]
    width = max([len(i["id"]) for i in doc["issues"]] + [1])
    for issue in doc["issues"]:
        lines.append(f"  {safe(issue['id']).ljust(width)}  {safe(issue['title'])}")
        if issue.get("proposition"):
            lines.append(f"  {' ' * width}  proposition: {safe(issue['proposition'])}")
    if not doc["issues"]:
        lines.append("  (none declared)")
    lines += ["", style("Sources and their grades", bold=True)]
    width = max([len(s["id"]) for s in doc["sources"]] + [1])
    for s in doc["sources"]:
        grade = s.get("reliability") or "-"
        published = s.get("published") or "-"
        name = safe(s.get("title") or s.get("url") or s.get("path") or "")
        lines.append(f"  {safe(s['id']).ljust(width)}  {grade}  {published:<10}  {name}")
    if not doc["sources"]:
        lines.append("  (none declared)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# search
# ---------------------------------------------------------------------------


def marked(text: str, spans: list[list[int]], colour: bool) -> str:
    """``text`` with the spans marked: in colour on a terminal, else between ``**`` (no colour codes)."""
    out, at = [], 0
    for start, end in spans:
        word = safe(text[start:end])
        out.append(safe(text[at:start]))
        out.append(style(word, bold=True, fg="yellow") if colour else f"**{word}**")
        at = end
    out.append(safe(text[at:]))
    return "".join(out)


def search_text(doc: dict[str, Any], colour: bool) -> str:
    words = ", ".join(doc["words"])
    where = f" in {safe(doc['thread'])}" if doc.get("thread") else ""
    if not doc["results"]:
        return f"No event{where} has every word of {safe(doc['query'])!r} ({words}) in its summary or quotes."
    lines = []
    for r in doc["results"]:
        date = r["date"] or "(retraction)"
        if r["date"] and r.get("precision") not in (None, "day"):
            date += f" ({r['precision']})"
        head = f"{date}  {style(safe(r['id']), bold=True)}  {r['type']}"
        who = _who(r)
        if who:
            head += f"  {who}"
        head += f"  {safe(r['thread'])}"
        if r.get("retracted_by"):
            head += "  " + style(f"RETRACTED by {safe(r['retracted_by'])}", fg="red")
        lines.append(head)
        for m in r["matches"]:
            label = "summary" if m["field"] == "summary" else f"quote [{safe(m['source'])}]"
            text = marked(m["text"], m["marks"], colour)
            lines.append(f"    {label}: {text}" if m["field"] == "summary" else f'    {label}: "{text}"')
    n, total = len(doc["results"]), doc["total"]
    count = f"{total} event{'s' if total != 1 else ''}{where} match"
    if total == 1:
        count += "es"
    shown = f"; the first {n} are shown (give --limit N, or --limit 0 for all)" if n < total else ""
    lines.append(f"{count} {safe(doc['query'])!r} ({words}){shown}.")
    return "\n".join(lines)


_PLURAL = {"party": "parties", "actor": "actors", "issue": "issues", "source": "sources"}


def report_lines(report: Any, store: str) -> list[str]:
    """The text ``ingest --check`` prints: per thread what would be written, and that nothing was."""
    lines: list[str] = []
    for t in report.threads:
        n = sum(t.events.values())
        head = f"{safe(t.thread)}{' (a new thread)' if t.new_thread else ''}: would record "
        head += f"{n} new event{'s' if n != 1 else ''}"
        d = sum(t.declarations.values())
        if d:
            head += f" and {d} declaration{'s' if d != 1 else ''}"
        if t.skipped:
            head += f"; {t.skipped} already in the store"
        lines.append(head)
        if t.title is not None:
            lines.append(f"  title: {safe(t.title)}")
        if t.declarations:
            parts = [f"{c} {kind if c == 1 else _PLURAL[kind]}" for kind, c in t.declarations.items()]
            lines.append(f"  declarations: {', '.join(parts)}")
        if t.events:
            lines.append("  events: " + ", ".join(f"{c} {kind}" for kind, c in t.events.items()))
    where = store if report.store_exists else f"{store} (which does not exist yet)"
    if report.would_write:
        lines.append(f"Checked: the input is valid. Nothing was written to {where}.")
    else:
        lines.append(f"Checked: the input is valid; the store {where} already has all of it. Nothing was written.")
    return lines
