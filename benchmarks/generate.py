"""Synthetic but realistic timelines for the benchmarks (and for tests that need volume).

Every file is a valid timeline (contract §2-§4): one thread per file, with
parties, actors, issues and sources; sources with a ``path`` have an archived
text every quote is cut from (some quotes are long), others are ``url``
sources. The events use every type of §3:

- items (demands, proposals, concessions, guarantees, threats: about 12% of
  events, as in real talks where most statements restate a stance or answer
  what is on the table) and answers to them (accepted in full or in principle, rejected, withdrawn by their own
  party), revisions of proposals and agreements adopting an item;
- many events on the same date (dates advance slowly);
- late reports: about 5% of events carry a date well before the events
  recorded just before them;
- retractions: about 1% of events retract an earlier statement.

A second shape, ``--profile uniform`` (:class:`UniformThreadGenerator`), so that
no figure depends on one data shape: 20 issues, 8 parties, about a third of the
events answers (accepted, rejected, withdrawn), a third items, a third
positions, dates drawn uniformly over ten years (so most events are reported
out of date order), short quotes; no agreements, revisions or retractions.

Usage::

    python benchmarks/generate.py OUT_DIR --events 100000 [--threads 1] [--format ndjson|json|yaml] [--seed 1]
                                  [--profile project|uniform]

The output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PARTIES = ["AV", "BO", "CA", "DR", "EL", "FE"]
STANCES = ["supports", "opposes", "conditional", "undecided"]
GRADES = ["A", "B", "C", "D", "E", "F"]
WORDS = (
    "minister talks harbour fleet zone treaty guarantee border ceasefire troops withdrawal sanctions "
    "envoy summit delegation proposal demand concession plan security referendum sovereignty region "
    "monitors observers corridor grain energy prisoners exchange amnesty elections constitution "
    "neutral alliance membership guarantor parliament ratify timetable phase reconstruction fund"
).split()
DAY0 = date(2001, 1, 1)
LAST_DAY = date(2025, 12, 31)
ITEM_TYPES = ["DemandIssued", "ProposalTabled", "ConcessionMade", "GuaranteeOffered", "ThreatIssued"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def source_text(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        s = _sentence(rng)
        out.append(s)
        size += len(s) + 1
    return " ".join(out)


class ThreadGenerator:
    """The events of one generated thread, as plain dicts in file (recording) order."""

    def __init__(self, slug: str, events: int, seed: int, *, n_sources: int = 24, source_chars: int = 12_000):
        self.slug = slug
        self.n_events = events
        self.rng = random.Random(f"{seed}:{slug}")
        rng = self.rng
        self.parties = PARTIES
        self.actors = {f"{p.lower()}-{k}": p for p in PARTIES for k in ("head", "fm", "envoy")}
        n_issues = max(8, events // 2500)  # long threads range over more questions
        self.issues = [f"issue-{i}" for i in range(1, n_issues + 1)]
        self.texts: dict[str, str] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        for i in range(n_sources):
            key = f"s{i:03d}"
            published = (DAY0 + timedelta(days=rng.randint(0, (LAST_DAY - DAY0).days))).isoformat()
            if i % 4 == 3:  # a quarter are web reports without archived text
                self.sources[key] = {
                    "url": f"https://example.invalid/{slug}/{key}",
                    "title": f"Wire report {i}",
                    "published": published,
                    "reliability": rng.choice(GRADES),
                }
            else:
                self.texts[key] = source_text(rng, source_chars)
                self.sources[key] = {
                    "path": f"sources/{slug}-{key}.txt",
                    "title": f"Daily {rng.choice(WORDS).capitalize()} {i}",
                    "published": published,
                    "reliability": rng.choice(GRADES),
                }

    def header(self) -> dict[str, Any]:
        return {
            "negotrack": 1,
            "thread": {
                "id": self.slug,
                "title": f"Generated talks {self.slug}",
                "parties": {p: {"name": f"Party {p}"} for p in self.parties},
                "actors": {a: {"name": f"{a.title()}", "party": p, "role": "Spokesperson"} for a, p in self.actors.items()},
                "issues": {i: {"title": f"Issue {i}", "proposition": f"{i} is settled"} for i in self.issues},
            },
            "sources": self.sources,
        }

    def _source(self) -> dict[str, Any]:
        rng = self.rng
        key = rng.choice(list(self.sources))
        text = self.texts.get(key)
        if text is None:
            return {"ref": key}
        length = 1500 if rng.random() < 0.05 else rng.randint(30, 160)  # some long quotes
        start = rng.randint(0, max(0, len(text) - length - 1))
        quote = text[start : start + length].strip()
        return {"ref": key, "quote": quote}

    def events(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        span = (LAST_DAY - DAY0).days
        day = 0
        items: list[tuple[str, str, int, str]] = []  # (id, party, day, type) of recent open items
        proposals: list[tuple[str, int]] = []
        recorded: list[str] = []  # ids of non-retraction events, for retractions
        retracted: set[str] = set()
        for n in range(self.n_events):
            # Dates advance slowly, so many events share a date; spread the thread over the whole span.
            if rng.random() < 0.3:
                day = min(span, day + rng.randint(0, max(1, 2 * span // max(1, self.n_events) * 3)))
            when = day
            if rng.random() < 0.05 and day > 60:  # a late report: made well before what came just before
                when = day - rng.randint(1, min(day, 400))
            eid = f"e{n:07d}"
            speaker = rng.choice(list(self.actors) + self.parties)
            party = self.actors.get(speaker, speaker)
            issue = rng.choice(self.issues)
            roll = rng.random()
            base: dict[str, Any] = {"id": eid, "date": (DAY0 + timedelta(days=when)).isoformat()}
            if roll < 0.01 and recorded:
                ref = rng.choice(recorded[-500:])
                if ref not in retracted:
                    retracted.add(ref)
                    yield {"id": eid, "type": "ReportRetracted", "ref": ref, "reason": "misreported: " + _sentence(rng),
                           "summary": "The analyst retracts a misreported statement"}
                    continue
            event: dict[str, Any]
            if roll < 0.30:
                event = {**base, "type": "PositionStated", "by": speaker, "issue": issue, "stance": rng.choice(STANCES)}
            elif roll < 0.42 or not items:
                kind = rng.choice(ITEM_TYPES)
                event = {**base, "type": kind, "by": speaker}
                if kind == "DemandIssued":
                    others = [p for p in self.parties if p != party]
                    event.update(issue=issue, demand=_sentence(rng), of=rng.sample(others, rng.randint(1, 2)))
                    if rng.random() < 0.2:
                        event["precondition"] = True
                elif kind == "ProposalTabled":
                    named = rng.sample(self.issues, rng.randint(1, 3))
                    event.update(title=f"Plan {n}", provisions=[{"issue": i, "text": _sentence(rng)} for i in named])
                    own = [p for p in proposals[-50:] if p[1] <= when]
                    if own and rng.random() < 0.2:
                        event["revises"] = rng.choice(own)[0]
                    proposals.append((eid, when))
                elif kind == "ConcessionMade":
                    event.update(issue=issue, concession=_sentence(rng))
                    if rng.random() < 0.5:
                        event["in_exchange_for"] = _sentence(rng)
                elif kind == "GuaranteeOffered":
                    event.update(
                        issue=issue,
                        guarantee=_sentence(rng),
                        to=rng.choice([p for p in self.parties if p != party]),
                        form=rng.choice(["political", "legal", "treaty", "article-5-like"]),
                    )
                else:
                    event.update(issue=issue, threat=_sentence(rng), unless=_sentence(rng))
                if rng.random() < 0.6:
                    event["stance"] = rng.choice(STANCES)
                items.append((eid, party, when, kind))
                if len(items) > 400:
                    items = items[-400:]
            elif roll < 0.99:
                ref, item_party, item_day, _kind = rng.choice(items)
                when = max(when, item_day)
                base["date"] = (DAY0 + timedelta(days=when)).isoformat()
                if rng.random() < 0.1:
                    owners = [a for a, p in self.actors.items() if p == item_party] + [item_party]
                    event = {**base, "type": "Withdrawn", "by": rng.choice(owners), "ref": ref}
                else:
                    others = [s for s in list(self.actors) + self.parties if self.actors.get(s, s) != item_party]
                    who = rng.choice(others)
                    if rng.random() < 0.6:
                        event = {**base, "type": "Accepted", "by": who, "ref": ref}
                        if rng.random() < 0.4:
                            event["qualifier"] = "in_principle"
                    else:
                        event = {**base, "type": "Rejected", "by": who, "ref": ref, "reason": _sentence(rng)}
            else:
                ref, item_party, item_day, _kind = rng.choice(items)
                when = max(when, item_day)
                event = {
                    "id": eid,
                    "type": "AgreementReached",
                    "date": (DAY0 + timedelta(days=when)).isoformat(),
                    "parties": sorted(rng.sample(self.parties, rng.randint(2, 3))),
                    "issue": issue,
                    "terms": _sentence(rng),
                }
                if rng.random() < 0.5:
                    event["ref"] = ref
            event["summary"] = _sentence(rng)
            sources = [self._source()]
            if rng.random() < 0.1:
                sources.append(self._source())
            event["source"] = sources[0] if len(sources) == 1 else sources
            recorded.append(eid)
            yield event


class UniformThreadGenerator(ThreadGenerator):
    """A thread of another shape: 20 issues, 8 parties, a third answers, dates uniform over ten years.

    Every event's date is drawn uniformly over 2016-2025, whatever came before
    it in the file (an answer's from its item's date on, as the rules require),
    so the recording order is no guide to the date order.
    """

    PARTIES = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]
    FIRST_DAY = date(2016, 1, 1)
    SPAN_DAYS = 3652  # ten years, to 2025-12-31

    def __init__(self, slug: str, events: int, seed: int, *, n_sources: int = 16, source_chars: int = 8_000):
        super().__init__(slug, events, seed, n_sources=n_sources, source_chars=source_chars)
        self.rng = random.Random(f"uniform:{seed}:{slug}")
        self.parties = self.PARTIES
        self.actors = {f"{p.lower()}-spokes": p for p in self.parties}
        self.issues = [f"topic-{i:02d}" for i in range(1, 21)]

    def _source(self) -> dict[str, Any]:
        rng = self.rng
        key = rng.choice(list(self.sources))
        text = self.texts.get(key)
        if text is None:
            return {"ref": key}
        length = rng.randint(25, 90)
        start = rng.randint(0, max(0, len(text) - length - 1))
        return {"ref": key, "quote": text[start : start + length].strip()}

    def events(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        speakers = list(self.actors) + self.parties
        items: list[tuple[str, str, int]] = []  # (id, party, day) of every item so far
        for n in range(self.n_events):
            eid = f"u{n:07d}"
            day = rng.randrange(self.SPAN_DAYS)
            speaker = rng.choice(speakers)
            party = self.actors.get(speaker, speaker)
            issue = rng.choice(self.issues)
            roll = rng.random()
            event: dict[str, Any]
            if roll < 1 / 3 and items:  # an answer to an earlier item
                ref, item_party, item_day = items[rng.randrange(len(items))]
                day = rng.randint(item_day, self.SPAN_DAYS - 1)
                if rng.random() < 0.1:
                    owners = [a for a, p in self.actors.items() if p == item_party] + [item_party]
                    event = {"id": eid, "type": "Withdrawn", "by": rng.choice(owners), "ref": ref}
                else:
                    who = rng.choice([s for s in speakers if self.actors.get(s, s) != item_party])
                    if rng.random() < 0.55:
                        event = {"id": eid, "type": "Accepted", "by": who, "ref": ref}
                        if rng.random() < 0.3:
                            event["qualifier"] = "in_principle"
                    else:
                        event = {"id": eid, "type": "Rejected", "by": who, "ref": ref, "reason": _sentence(rng)}
            elif roll < 2 / 3:
                kind = rng.choice(ITEM_TYPES)
                event = {"id": eid, "type": kind, "by": speaker}
                if kind == "DemandIssued":
                    others = [p for p in self.parties if p != party]
                    event.update(issue=issue, demand=_sentence(rng), of=rng.sample(others, rng.randint(1, 2)))
                elif kind == "ProposalTabled":
                    named = rng.sample(self.issues, rng.randint(1, 2))
                    event.update(title=f"Plan {n}", provisions=[{"issue": i, "text": _sentence(rng)} for i in named])
                elif kind == "ConcessionMade":
                    event.update(issue=issue, concession=_sentence(rng))
                elif kind == "GuaranteeOffered":
                    to = rng.choice([p for p in self.parties if p != party])
                    event.update(issue=issue, guarantee=_sentence(rng), to=to, form="political")
                else:
                    event.update(issue=issue, threat=_sentence(rng))
                if rng.random() < 0.5:
                    event["stance"] = rng.choice(STANCES)
                items.append((eid, party, day))
            else:
                event = {"id": eid, "type": "PositionStated", "by": speaker, "issue": issue, "stance": rng.choice(STANCES)}
            event["date"] = (self.FIRST_DAY + timedelta(days=day)).isoformat()
            event["summary"] = _sentence(rng)
            event["source"] = self._source()
            yield event


PROFILES: dict[str, type[ThreadGenerator]] = {"project": ThreadGenerator, "uniform": UniformThreadGenerator}


def generator(profile: str, slug: str, events: int, seed: int) -> ThreadGenerator:
    """The generator of a profile: ``project`` (the default shape) or ``uniform``."""
    return PROFILES[profile](slug, events, seed)


def write_thread(gen: ThreadGenerator, out_dir: Path, fmt: str) -> Path:
    """Write one thread's timeline file (and its source texts) into ``out_dir``; return the file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "sources").mkdir(exist_ok=True)
    for key, text in gen.texts.items():
        (out_dir / gen.sources[key]["path"]).write_text(text, encoding="utf-8")
    path = out_dir / f"{gen.slug}.{fmt}"
    dumps = json.dumps
    with path.open("w", encoding="utf-8") as f:
        if fmt == "ndjson":
            f.write(dumps(gen.header(), ensure_ascii=False) + "\n")
            for event in gen.events():
                f.write(dumps(event, ensure_ascii=False) + "\n")
        elif fmt == "json":
            head = dumps(gen.header(), ensure_ascii=False)
            f.write(head[:-1] + ',"events":[\n')
            for i, event in enumerate(gen.events()):
                f.write(("," if i else "") + dumps(event, ensure_ascii=False) + "\n")
            f.write("]}\n")
        elif fmt == "yaml":
            # JSON is YAML 1.2 flow style, but real files are block style: write that.
            f.write(_yaml_block(gen.header()))
            f.write("events:\n")
            for event in gen.events():
                f.write(_yaml_event(event))
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return path


def write_parts(gen: ThreadGenerator, out_dir: Path, per_file: int) -> list[Path]:
    """One thread's events as several NDJSON files of ``per_file`` events: the first declares
    the thread and its sources, the others name the thread by id and cite what it declared."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "sources").mkdir(exist_ok=True)
    for key, text in gen.texts.items():
        (out_dir / gen.sources[key]["path"]).write_text(text, encoding="utf-8")
    paths: list[Path] = []
    f = None
    try:
        for n, event in enumerate(gen.events()):
            if n % per_file == 0:
                if f is not None:
                    f.close()
                paths.append(out_dir / f"{gen.slug}.part{len(paths):03d}.ndjson")
                f = paths[-1].open("w", encoding="utf-8")
                header = gen.header() if n == 0 else {"negotrack": 1, "thread": {"id": gen.slug}}
                f.write(json.dumps(header, ensure_ascii=False) + "\n")
            f.write(json.dumps(event, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
    finally:
        if f is not None:
            f.close()
    return paths


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a double-quoted YAML scalar


def _yaml_flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    return _yaml_scalar(value)


def _yaml_block(doc: dict[str, Any], indent: int = 0) -> str:
    pad = " " * indent
    out = []
    for key, value in doc.items():
        if isinstance(value, dict) and indent < 2:
            out.append(f"{pad}{key}:\n" + _yaml_block(value, indent + 2))
        else:
            out.append(f"{pad}{key}: {_yaml_flow(value)}\n")
    return "".join(out)


def _yaml_event(event: dict[str, Any]) -> str:
    lines = []
    for i, (key, value) in enumerate(event.items()):
        lines.append(("  - " if i == 0 else "    ") + f"{key}: {_yaml_flow(value)}\n")
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--events", type=int, default=10_000, help="events per thread")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--format", default="ndjson", choices=["ndjson", "json", "yaml"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="gen")
    parser.add_argument("--profile", default="project", choices=sorted(PROFILES), help="the shape of the threads")
    args = parser.parse_args()
    for t in range(args.threads):
        gen = generator(args.profile, f"{args.prefix}-{t:04d}", args.events, args.seed)
        path = write_thread(gen, args.out_dir, args.format)
        print(path)


if __name__ == "__main__":
    main()
