"""Draft events from raw articles: read the thread's declarations, extract, write, check.

``draft`` reads the articles (any text file: a bad one is refused by name, with
nothing written), reads the thread's parties, actors, issues, sources and items
from the store, extracts draft events (:mod:`negotrack.draft`), writes them as a
timeline file and runs ingest's own checks on that text against the same store:
an event ingest would refuse is commented out with the reason, so the draft
ingests as it is.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from negotrack.draft import extract as ex
from negotrack.draft import write
from negotrack.draft.dates import dateline
from negotrack.errors import InputRejected, NotFound, Problem, UsageError

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class DraftOutcome:
    text: str
    events: list[ex.Draft]
    unattributed: list[ex.Unattributed]
    refused: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {"active": Counter(), "commented": Counter()}
        for e in self.events:
            out["active" if e.active and e.id not in self.refused else "commented"][e.type] += 1
        return out


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """The UTF-8 text of a file the user named on the command line, or (None, what is wrong)."""
    from negotrack.domain import limits

    try:
        if not path.is_file():
            return None, f"source file {path.name!r} is not a readable file"
        with open(path, "rb") as f:
            data = f.read(limits.MAX_SOURCE_BYTES + 1)
    except OSError as e:
        return None, f"source file {path.name!r} cannot be read: {e.strerror}"
    if len(data) > limits.MAX_SOURCE_BYTES:
        return None, f"source file {path.name!r} is over the source size limit of {limits.MAX_SOURCE_BYTES:,} bytes"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, f"source file {path.name!r} is not UTF-8 text"


def read_article(path: Path) -> tuple[str | None, str | None]:
    """An article's text, or (None, what is wrong with the file): read as ingest reads a source."""
    name = _display(path)
    if not path.exists():
        return None, f"{name}: no such file"
    text, error = _read_text(path)
    if error is not None:
        return None, f"{name}: {error}"
    if "\x00" in text:  # type: ignore[operator]
        return None, f"{name}: not a text file (it holds NUL bytes)"
    return text, None


def declarations(store: Any, slug: str) -> tuple[ex.Declarations, dict[str, dict[str, Any]]]:
    """The thread's declarations and items, and its sources by text digest."""
    from negotrack.domain.vocabulary import ITEM_KINDS, ITEM_TEXT_FIELD
    from negotrack.store import readmodel

    with store.db.transaction() as conn:
        store.require_thread(conn, slug)
        parties = readmodel.declarations(conn, slug, "party")
        actors = readmodel.declarations(conn, slug, "actor")
        issues = readmodel.declarations(conn, slug, "issue")
        sources = readmodel.declarations(conn, slug, "source")
        title = readmodel.thread_title(conn, slug)
        recs = readmodel.records(conn, slug)
    items, taken = [], set()
    for r in recs:
        taken.add(r.id)
        kind = ITEM_KINDS.get(r.type)
        if kind is None or r.party is None or r.date is None:
            continue
        body = r.body
        issues_of = (body["issue"],) if body.get("issue") else tuple(p["issue"] for p in body.get("provisions", []))
        items.append(ex.Item(r.id, r.type, r.party, r.date, issues_of, f"{body.get(ITEM_TEXT_FIELD[kind], '')} {body.get('summary', '')}"))
    decls = ex.Declarations(slug, title, parties, actors, issues, items, taken)
    return decls, sources


def draft(
    store: Any,
    paths: list[Path],
    slug: str,
    *,
    published: date | None = None,
    output: Path | None = None,
    today: date | None = None,
) -> DraftOutcome:
    today = today or datetime.now(timezone.utc).date()
    if published is not None and published > today:
        raise UsageError(f"--published {published.isoformat()} is after today ({today.isoformat()})")
    texts: list[tuple[Path, str]] = []
    problems: list[str] = []
    for path in paths:
        text, error = read_article(path)
        if error:
            problems.append(error)
        else:
            texts.append((path, text))  # type: ignore[arg-type]
    if problems:
        raise InputRejected([Problem("", "", p) for p in problems])
    decls, store_sources = declarations(store, slug)
    by_digest = {body.get("text_sha256"): key for key, body in store_sources.items() if body.get("text_sha256")}
    folder = (output.parent if output is not None else Path(".")).resolve()
    notes: list[str] = []
    articles: list[ex.Article] = []
    sources: dict[str, dict[str, Any]] = {}
    used = set(store_sources)
    missing: list[str] = []
    for path, text in texts:
        name = _display(path)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        rel = os.path.relpath(path.resolve(), folder)
        if rel.startswith(".."):
            notes.append(f"{name} is outside the draft's folder: ingest may refuse its path ({rel})")
        key = by_digest.get(sha)
        if key is not None:
            known = store_sources[key]
            when = published or (date.fromisoformat(known["published"]) if known.get("published") else None)
            entry = {"path": rel, **{k: known.get(k) for k in ("title", "url", "published", "reliability")}}
            entry = {k: v for k, v in entry.items() if v is not None and not (k == "url" and "path" in entry)}
            if known.get("url") is not None:
                entry["url"] = known["url"]
        else:
            key = _source_key(path, used)
            when = published or dateline(text, today)
            title = next((line.strip() for line in text.splitlines() if len(line.split()) >= 4), path.name)
            entry = {"path": rel, "title": title[:200]}
            if when is not None:
                entry["published"] = when.isoformat()
        if when is None:
            missing.append(name)
            continue
        used.add(key)
        sources[key] = entry
        articles.append(ex.Article(key, name, text, when))
    if missing:
        raise UsageError(
            "no published date for " + ", ".join(missing) + ": give --published DATE (the store has no source with that text)"
        )
    result = ex.extract(articles, decls)
    header = {
        "id": slug,
        "title": decls.title,
        "parties": decls.parties,
        "actors": decls.actors,
        "issues": decls.issues,
    }
    intro = [
        f"Draft events for thread {slug!r} from {len(articles)} article{'s' if len(articles) != 1 else ''}, written by `negotrack draft`.",
        "Every event is a proposal: check its speaker, type, issue, stance, date and summary against the sentence above it.",
        f"Events with a confidence under {ex.ACTIVE} are commented out: uncomment the right ones, delete the rest.",
        "The declarations are the store's, repeated identically (ingest skips them).",
    ]
    refused: dict[str, str] = {}
    text = write.render(header, sources, result.events, result.unattributed, intro)
    for _ in range(3):  # commenting out an item can strand an answer to it: check again
        found = _refusals(store, text, output)
        if not found:
            break
        refused.update(found)
        text = write.render(header, sources, result.events, result.unattributed, intro, refused)
    return DraftOutcome(text, result.events, result.unattributed, refused, notes)


def _source_key(path: Path, used: set[str]) -> str:
    base = _SLUG.sub("-", path.stem.lower()).strip("-")[:40] or "article"
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    return key


def _refusals(store: Any, text: str, output: Path | None) -> dict[str, str]:
    """Event id → why ingest would refuse it, checked by ingest's own reader and checker (nothing written)."""
    from negotrack.domain.rules import Checker
    from negotrack.timeline.reader import RawDocument, ReadError, load_yaml
    from negotrack.timeline.paths import Allowed, Budget, read_sources
    from negotrack.timeline.schema import parse_document

    name = str(output) if output is not None else "draft.yaml"
    path = (output if output is not None else Path("draft.yaml")).resolve()
    problems: list[Problem] = []
    try:
        data, lines = load_yaml(text.encode("utf-8"), name)
    except ReadError as e:
        return {"": str(e.problem)}
    parsed = parse_document(RawDocument(name=name, path=path, data=data, event_lines=lines, fmt="yaml"), problems)
    if parsed is not None:
        read_sources(parsed, Allowed.named(), Budget())  # as ingest reads them: the same folder rule
    if parsed is not None and not problems:
        try:
            with store.db.transaction():
                Checker(store, datetime.now(timezone.utc)).check([parsed], [])
        except InputRejected as e:
            problems = e.problems
    out: dict[str, str] = {}
    for p in problems:
        key = p.where[len("event ") :] if p.where.startswith("event ") else ""
        out.setdefault(key, p.message)
    return out
