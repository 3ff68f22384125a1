"""The draft as a timeline file: YAML that ingests as it is, with a comment on every event.

Values are written by PyYAML's safe dumper (quotes full of colons, quotes and
``#`` come out quoted); the comments are ours, one ``#`` line each, with any
line break of the article folded away so a comment never ends early.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from negotrack.draft.extract import Draft, Unattributed


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)


def _flow(value: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(value), sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=True).strip()


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def event_body(e: Draft) -> dict[str, Any]:
    body: dict[str, Any] = {"id": e.id, "type": e.type, "date": e.date.date.isoformat()}
    if e.date.precision != "day":
        body["precision"] = e.date.precision
    body["by"] = e.by
    answer = e.type in ("Accepted", "Rejected")
    if e.issue and not answer and e.type != "ProposalTabled":
        body["issue"] = e.issue
    fields = dict(e.fields)
    stance = fields.pop("stance", None)
    if e.type == "ProposalTabled" and not fields.get("provisions"):
        fields["provisions"] = [{"issue": "?", "text": fields.get("title", "")}]
    if e.issue is None and not answer and e.type != "ProposalTabled":
        body["issue"] = "?"
    body.update(fields)
    if stance is not None:
        body["stance"] = stance
    body["summary"] = e.summary
    sources = [{"ref": p.source, "quote": p.quote} for p in e.places]
    body["source"] = sources[0] if len(sources) == 1 else sources
    return body


def render(
    header: Mapping[str, Any],
    sources: Mapping[str, Mapping[str, Any]],
    events: Sequence[Draft],
    unattributed: Sequence[Unattributed],
    intro: Sequence[str],
    refused: Mapping[str, str] | None = None,
) -> str:
    """The draft's text.  ``refused``: event id → why ingest would refuse it (it is then commented out)."""
    refused = refused or {}
    out = [f"# {_comment(line)}" if line else "#" for line in intro]
    out.append(_dump({"negotrack": 1}).rstrip())
    thread = dict(header)
    out.append("thread:")
    for key in ("id", "title"):
        if thread.get(key) is not None:
            out.append(f"  {_dump({key: thread[key]}).rstrip()}")
    for section in ("parties", "actors", "issues"):
        entries = thread.get(section) or {}
        if entries:
            out.append(f"  {section}:")
            for k, v in entries.items():
                out.append(f"    {_flow({k: {kk: vv for kk, vv in v.items() if vv is not None}})[1:-1]}")
    out.append("sources:")
    for key, src in sources.items():
        out.append(f"  {_flow({key: {k: v for k, v in src.items() if v is not None}})[1:-1]}")
    out.append("events:")
    active = 0
    for e in events:
        on = e.active and e.id not in refused
        active += on
        where = ", ".join(
            f"{p.source} line {p.line}" + (f" (printed again at line {', '.join(map(str, p.also_at))})" if p.also_at else "")
            for p in e.places
        )
        out.append("")
        out.append(
            f"  # confidence {e.confidence:.2f} · cue {e.cue!r} · speaker by {e.how} · date "
            + (f"from {e.date.cue!r}" if e.date.cue else "of the report")
            + f" · {_comment(where)}"
        )
        out.append(f"  # sentence: {_comment(e.sentence)}")
        for note in e.notes:
            out.append(f"  # note: {_comment(note)}")
        if e.id in refused:
            out.append(f"  # commented out: ingest would refuse it: {_comment(refused[e.id])}")
        elif not e.active:
            out.append("  # commented out: low confidence; uncomment it if it is right")
        lines = _dump([event_body(e)]).rstrip("\n").split("\n")
        for line in lines:
            out.append(f"  {line}" if on else f"  # {line}")
    if not active:  # every event commented out (or none): the list is empty
        out[out.index("events:")] = "events: []"
    if unattributed:
        out.append("")
        out.append("# Statements whose speaker could not be attributed to a declared actor or party")
        out.append("# (declare the speaker, or code them by hand):")
        for u in unattributed:
            out.append(f"#   {u.source} line {u.line} (cue {u.cue!r}): {_comment(u.sentence)}")
    return "\n".join(out) + "\n"


def summary(outcome: Any, output: Any) -> list[str]:
    """The lines of the summary the command prints on standard error."""
    counts = outcome.counts()
    active, commented = counts["active"], counts["commented"]
    where = f"written to {output}" if output is not None else "written to standard output"
    lines = [f"draft: {sum(active.values())} events, {sum(commented.values())} commented out; {where}"]
    for kind in sorted(set(active) | set(commented)):
        lines.append(f"  {kind}: {active.get(kind, 0)}" + (f" (+{commented[kind]} commented out)" if commented.get(kind) else ""))
    if outcome.unattributed:
        lines.append(f"unattributed: {len(outcome.unattributed)} statement{'s' if len(outcome.unattributed) != 1 else ''} (listed at the end of the draft)")
        for u in outcome.unattributed:
            text = " ".join(u.sentence.split())
            lines.append(f"  {u.name}:{u.line}: {text[:110] + '…' if len(text) > 110 else text}")
    for key, why in outcome.refused.items():
        lines.append(f"commented out, ingest would refuse {key or 'the draft'}: {why}")
    lines += [f"note: {n}" for n in outcome.notes]
    return lines
