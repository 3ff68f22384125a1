"""How good are the drafts? `negotrack draft` scored against an analyst's hand coding.

    python benchmarks/extraction.py             # the seeds, then each thread of benchmarks/extraction/
    python benchmarks/extraction.py --show      # also list every miss and every false alarm (not on the held-out set)
    python benchmarks/extraction.py --tuning    # while trying a change: skip the held-out set
    python benchmarks/extraction.py --only ukraine-peace,us-china-trade   # only these sets

For each corpus: a fresh store gets the coding's declarations and sources (no
events), ``draft`` runs on its articles, and the draft is scored against the
coded events.  A draft event matches a coded one when their types are
compatible (the table below), their party is the same (an agreement's parties: the
same set, or one of them the other event's party), their issue is the same
(an answer's issue is the issue of the item it answers; a proposal's, any issue
of its provisions) and the draft's date is within the coded precision (day: the
same day; week: 7 days; month: 31 days).  Matching is one to one.

Printed: recall and precision of the active events, overall and per type (and
recall counting the commented-out ones too, as if the analyst uncommented them
all, and, as a diagnostic, the figures when dates are not compared: the seeds'
coding dates statements from the public record where the text gives no day); the share of draft quotes ingest's quote check accepts, and whether the
real ingest accepts the whole draft into a fresh store holding the declarations;
the time per article (in process, after start-up).  Nothing is asserted; the
targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NEGOTRACK = str(BIN / "negotrack") if (BIN / "negotrack").exists() else shutil.which("negotrack") or "negotrack"

# Types that record the same kind of move: a draft of one counts for a coding of the other.
COMPATIBLE = {
    frozenset({"Accepted", "AgreementReached"}),  # a party's yes, or both sides'
    frozenset({"ConcessionMade", "GuaranteeOffered"}),  # giving something
    frozenset({"Rejected", "PositionStated"}),  # an answer drafted without its item is a position
    frozenset({"Accepted", "PositionStated"}),
}
TARGETS = {"recall": 0.80, "precision": 0.60, "quotes": 1.0, "seconds": 1.0}
# Coded before the extractor ever ran on them and never tuned on: figures on unseen text (README there).
HELD_OUT = {"india-pakistan-ceasefire", "eu-us-trade", "colombia-eln-talks", "ethiopia-tigray-peace"}
# Held out until their misses were read to find the extractor's general faults: tuning sets since.
ONCE_HELD_OUT = {
    "armenia-azerbaijan-peace", "gaza-hostage-talks", "drc-rwanda-peace", "us-china-trade", "thailand-cambodia-ceasefire",
}
WINDOW = {"day": 0, "week": 7, "month": 31, "year": 366}  # days a date may be off, by the coded precision


def compatible(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in COMPATIBLE


def corpora() -> list[tuple[str, Path]]:
    out = [("seeds (tuned on)", ROOT / "seeds" / "ukraine-peace.yaml")]
    # Coded before the extractor first ran on them; its misses there have since been read while improving it.
    for path in sorted((ROOT / "benchmarks" / "extraction").glob("*.yaml")):
        if path.stem in HELD_OUT:
            out.append((f"{path.stem} (HELD OUT: never looked at while tuning)", path))
        elif path.stem in ONCE_HELD_OUT:
            out.append((f"{path.stem} (held out once, its misses read since)", path))
        else:
            out.append((f"{path.stem} (another negotiation, looked at while tuning)", path))
    return out


def _party(thread: dict[str, Any], by: str | None) -> str | None:
    if by is None:
        return None
    return thread["actors"][by]["party"] if by in thread.get("actors", {}) else by


def _issues(e: dict[str, Any], items: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if e["type"] in ("Accepted", "Rejected", "Withdrawn"):
        return items.get(e.get("ref", ""), ())
    if e["type"] == "ProposalTabled":
        return tuple(p["issue"] for p in e.get("provisions", []))
    return (e["issue"],) if e.get("issue") else ()


def _facts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    thread = doc["thread"]
    items: dict[str, tuple[str, ...]] = {}
    out = []
    for e in doc.get("events") or []:
        issues = _issues(e, items)
        items[e["id"]] = issues
        out.append({
            "id": e["id"], "type": e["type"], "party": _party(thread, e.get("by")), "issues": set(issues),
            "parties": frozenset(e["parties"]) if e["type"] == "AgreementReached" and e.get("parties") else None,
            "date": date.fromisoformat(str(e["date"])), "precision": e.get("precision", "day"),
            "quotes": [s.get("quote") for s in (e["source"] if isinstance(e["source"], list) else [e["source"]])],
            "stance": e.get("stance"),
        })
    return out


def same_party(c: dict[str, Any], d: dict[str, Any]) -> bool:
    """The same party: the same ``by``, or for an agreement (which needs no ``by``) the same parties.

    An agreement and a party's own move (an acceptance) are the same party's when
    that party is one of the agreement's.
    """
    if c["parties"] is not None and d["parties"] is not None:
        return c["parties"] == d["parties"] or (c["party"] is not None and c["party"] == d["party"])
    if c["parties"] is not None or d["parties"] is not None:
        agreement, other = (c, d) if c["parties"] is not None else (d, c)
        return other["party"] in agreement["parties"]
    return c["party"] == d["party"]


def score(
    coded: list[dict[str, Any]], drafted: list[dict[str, Any]], window: dict[str, int] = WINDOW
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = []
    for c in coded:
        for d in drafted:
            if not compatible(c["type"], d["type"]) or not same_party(c, d) or not (c["issues"] & d["issues"]):
                continue
            gap = abs((d["date"] - c["date"]).days)
            if gap <= window[c["precision"]]:
                pairs.append((gap, c["type"] != d["type"], c["id"], d["id"], c, d))
    pairs.sort(key=lambda p: p[:4])
    used_c, used_d, out = set(), set(), []
    for _, _, ci, di, c, d in pairs:
        if ci not in used_c and di not in used_d:
            used_c.add(ci)
            used_d.add(di)
            out.append((c, d))
    return out


def _why(coded: list[dict[str, Any]], drafted: list[dict[str, Any]], matched: list[tuple[dict[str, Any], dict[str, Any]]]) -> Counter[str]:
    """For each miss, the one criterion that fails against some unmatched draft event (else "no near draft")."""
    got = {c["id"] for c, _ in matched}
    free = [d for d in drafted if d["id"] not in {x["id"] for _, x in matched}]
    out: Counter[str] = Counter()
    for c in coded:
        if c["id"] in got:
            continue
        reason = "no draft event of that party within one criterion"
        for d in free:
            checks = {
                "type": compatible(c["type"], d["type"]),
                "party": same_party(c, d),
                "issue": bool(c["issues"] & d["issues"]),
                "date": abs((d["date"] - c["date"]).days) <= WINDOW[c["precision"]],
            }
            failing = [k for k, ok in checks.items() if not ok]
            if len(failing) == 1 and failing[0] != "party":
                reason = f"only the {failing[0]} differs"
                break
        out[reason] += 1
    return out


def _overlap(a: list[str | None], b: list[str | None]) -> bool:
    """Whether two events quote the same words (one quote holds the other, or they share most words)."""
    from negotrack.domain.rules import fold_text

    for x in a:
        for y in b:
            if not x or not y:
                continue
            fx, fy = fold_text(x), fold_text(y)
            if fx in fy or fy in fx:
                return True
            wx, wy = set(fx.split()), set(fy.split())
            if len(wx & wy) >= 0.6 * min(len(wx), len(wy)):
                return True
    return False


def _failing(c: dict[str, Any], d: dict[str, Any]) -> list[str]:
    checks = {
        "wrong attribution": same_party(c, d),
        "wrong type": compatible(c["type"], d["type"]),
        "wrong issue": bool(c["issues"] & d["issues"]),
        "wrong date": abs((d["date"] - c["date"]).days) <= WINDOW[c["precision"]],
    }
    return [k for k, ok in checks.items() if not ok]


def causes(
    coded: list[dict[str, Any]], active: list[dict[str, Any]], commented: list[dict[str, Any]],
    matched: list[tuple[dict[str, Any], dict[str, Any]]], unattributed: list[str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Each miss and each false alarm with its cause: what differs from the draft (coded) event quoting the same words."""
    got = {c["id"] for c, _ in matched}
    hit = {d["id"] for _, d in matched}
    misses, false = [], []
    for c in coded:
        if c["id"] in got:
            continue
        near = [d for d in active if _overlap(c["quotes"], d["quotes"])]
        if not near:
            if any(_overlap(c["quotes"], [u]) for u in unattributed):
                cause = "statement not found: unattributed"
            elif any(_overlap(c["quotes"], d["quotes"]) for d in commented):
                cause = "statement found, but commented out"
            else:
                cause = "statement not found: no draft from its sentence"
        else:
            free = [d for d in near if d["id"] not in hit] or near
            best = min(free, key=lambda d: len(_failing(c, d)))
            fails = _failing(c, best)
            if not fails:
                cause = "scoring quirk: its draft matched another coded event"
            else:
                cause = " + ".join(fails)
        misses.append((cause, c["id"]))
    for d in active:
        if d["id"] in hit:
            continue
        near = [c for c in coded if _overlap(c["quotes"], d["quotes"])]
        if not near:
            cause = "not a coded statement"
        else:
            best = min(near, key=lambda c: len(_failing(c, d)))
            fails = _failing(best, d)
            cause = " + ".join(fails) if fails else "duplicate: its coded event matched another draft"
        false.append((cause, d["id"]))
    return misses, false


def _commented_events(text: str) -> list[dict[str, Any]]:
    """The draft's commented-out events, uncommented (as an analyst would)."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("  # - id: "):
            current = [line[4:]]
            blocks.append(current)
        elif current is not None and line.startswith("  #   "):
            current.append(line[4:])
        else:
            current = None
    out = []
    for b in blocks:
        try:
            out.extend(yaml.safe_load("\n".join(b)) or [])
        except yaml.YAMLError:
            pass
    return out


def run(label: str, coding: Path, show: bool, keep: Path | None = None) -> dict[str, Any]:
    from negotrack.app.draft import draft
    from negotrack.domain.rules import fold_text
    from negotrack.store.store import Store

    doc = yaml.safe_load(coding.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        articles = []
        for key, src in doc["sources"].items():
            target = work / src["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(coding.parent / src["path"], target)
            articles.append(target)
        declarations = {"negotrack": 1, "thread": doc["thread"], "sources": doc["sources"], "events": []}
        (work / "declarations.yaml").write_text(yaml.safe_dump(declarations, allow_unicode=True, sort_keys=False), encoding="utf-8")

        def fresh(name: str) -> str:
            url = f"sqlite:///{work / name}"
            subprocess.run([NEGOTRACK, "ingest", str(work / "declarations.yaml"), "--db", url], check=True, capture_output=True)
            return url

        url = fresh("draft-from.db")
        store = Store.open(url)
        out = work / "draft.yaml"
        draft(store, articles[:1], doc["thread"]["id"], output=out)  # warm up: imports, first connection
        start = time.perf_counter()
        outcome = draft(store, articles, doc["thread"]["id"], output=out)
        seconds = (time.perf_counter() - start) / len(articles)
        out.write_text(outcome.text, encoding="utf-8")
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{coding.stem}.draft.yaml").write_text(outcome.text, encoding="utf-8")
        ingest = subprocess.run([NEGOTRACK, "ingest", str(out), "--db", fresh("ingest-into.db")], capture_output=True, text=True)
        drafted_doc = yaml.safe_load(outcome.text)
        texts = {k: fold_text((work / s["path"]).read_text(encoding="utf-8")) for k, s in drafted_doc["sources"].items()}
        active = list(drafted_doc.get("events") or [])
        commented = _commented_events(outcome.text)
        quotes = [(s["ref"], s["quote"]) for e in active + commented for s in (e["source"] if isinstance(e["source"], list) else [e["source"]])]
        accepted = sum(1 for ref, q in quotes if fold_text(q) in texts.get(ref, ""))
    thread = doc["thread"]
    coded = _facts(doc)
    full = {"negotrack": 1, "thread": thread, "events": active + commented}
    drafted_active = _facts({"thread": thread, "events": active})
    drafted_all = _facts(full)
    matched = score(coded, drafted_active)
    matched_all = score(coded, drafted_all)
    undated = score(coded, drafted_active, dict.fromkeys(WINDOW, 100_000))
    by_type_c = Counter(c["type"] for c in coded)
    by_type_d = Counter(d["type"] for d in drafted_active)
    hit_c = Counter(c["type"] for c, _ in matched)
    hit_d = Counter(d["type"] for _, d in matched)
    strict = sum(1 for c, d in matched if c["type"] == d["type"])
    r = {
        "label": label, "coded": len(coded), "drafted": len(drafted_active), "commented": len(commented),
        "matched": len(matched), "strict": strict, "matched_all": len(matched_all),
        "recall": len(matched) / len(coded) if coded else 0.0,
        "precision": len(matched) / len(drafted_active) if drafted_active else 0.0,
        "recall_all": len(matched_all) / len(coded) if coded else 0.0,
        "undated": len(undated),
        "quotes": (accepted, len(quotes)), "ingest": ingest.returncode, "ingest_out": (ingest.stdout + ingest.stderr).strip(),
        "seconds": seconds, "articles": len(articles),
        "types": sorted(set(by_type_c) | set(by_type_d)), "by_type": (by_type_c, by_type_d, hit_c, hit_d),
        "unattributed": len(outcome.unattributed),
        "stances": [(c["stance"], d["stance"]) for c, d in matched if c["stance"] and d["stance"]],
    }
    r["why"] = _why(coded, drafted_active, matched)
    if show:
        r["causes"] = causes(coded, drafted_active, _facts({"thread": thread, "events": commented}), matched, [u.sentence for u in outcome.unattributed])
        got = {c["id"] for c, _ in matched}
        hit = {d["id"] for _, d in matched}
        r["misses"] = [f"{c['id']} ({c['type']}, {c['party']}, {sorted(c['issues'])}, {c['date']} {c['precision']})" for c in coded if c["id"] not in got]
        r["false"] = [f"{d['id']} ({d['type']}, {d['party']}, {sorted(d['issues'])}, {d['date']})" for d in drafted_active if d["id"] not in hit]
    return r


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def report(r: dict[str, Any]) -> list[str]:
    ok = lambda good: "meets" if good else "MISSES"  # noqa: E731
    acc, total = r["quotes"]
    share = acc / total if total else 1.0
    lines = [
        f"== {r['label']}: {r['articles']} articles, {r['coded']} coded events; draft: {r['drafted']} active, {r['commented']} commented out, {r['unattributed']} unattributed statements",
        f"  recall     {_pct(r['recall'])}  ({r['matched']}/{r['coded']}; same type exactly: {r['strict']})   target >= {_pct(TARGETS['recall'])}: {ok(r['recall'] >= TARGETS['recall'])}",
        f"  precision  {_pct(r['precision'])}  ({r['matched']}/{r['drafted']})   target >= {_pct(TARGETS['precision'])}: {ok(r['precision'] >= TARGETS['precision'])}",
        f"  recall counting the commented-out events too: {_pct(r['recall_all'])} ({r['matched_all']}/{r['coded']})",
        f"  not counting dates (a diagnostic: what dates cost): recall {_pct(r['undated'] / r['coded'] if r['coded'] else 0.0)}, "
        f"precision {_pct(r['undated'] / r['drafted'] if r['drafted'] else 0.0)} ({r['undated']})",
        f"  quotes ingest accepts: {_pct(share)} ({acc}/{total})   target 100%: {ok(share >= 1.0)}; "
        f"the real ingest of the draft into a fresh store with the declarations: {'accepted' if r['ingest'] == 0 else 'REFUSED (exit %d)' % r['ingest']}",
        f"  time per article: {r['seconds'] * 1000:.0f} ms (in process, after start-up)   target <= {TARGETS['seconds']:.0f} s: {ok(r['seconds'] <= TARGETS['seconds'])}",
        "  per type          coded  recall    drafted  precision",
    ]
    if r["stances"]:
        same = sum(1 for c, d in r["stances"] if c == d)
        lines.insert(-1, f"  stance, where the coding and its matched draft both give one: the same in {_pct(same / len(r['stances']))} ({same}/{len(r['stances'])})")
    cc, dd, hc, hd = r["by_type"]
    for t in r["types"]:
        rec = f"{_pct(hc[t] / cc[t])}" if cc[t] else "    -"
        pre = f"{_pct(hd[t] / dd[t])}" if dd[t] else "    -"
        lines.append(f"    {t:<17} {cc[t]:>4}  {rec}   {dd[t]:>6}   {pre}")
    if r["why"]:
        lines.append("  misses: " + ", ".join(f"{n} {why}" for why, n in r["why"].most_common()))
    if r["ingest"] != 0:
        lines.append("  ingest said: " + r["ingest_out"][:800])
    if r.get("causes"):
        for title, rows in zip(("causes of the misses", "causes of the false alarms"), r["causes"]):
            lines.append(f"  {title}: " + ", ".join(f"{n} {k}" for k, n in Counter(k for k, _ in rows).most_common()))
            lines += [f"    {cause}: {i}" for cause, i in sorted(rows)]
    for key, title in (("misses", "missed"), ("false", "false alarms")):
        if r.get(key):
            lines.append(f"  {title}:")
            lines += [f"    {x}" for x in r[key]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="list every miss and every false alarm, with its cause")
    parser.add_argument("--tuning", action="store_true", help="skip the held-out set (while trying changes: figures on it are for the end)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write each set's draft to DIR/NAME.draft.yaml (not the held-out set's)")
    parser.add_argument("--only", metavar="NAMES", help="only these sets, comma-separated (seeds: ukraine-peace)")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    for label, coding in corpora():
        if args.tuning and coding.stem in HELD_OUT or only is not None and coding.stem not in only:
            continue
        # The held-out set's misses are never listed: reading them would be tuning on it.
        held_out = coding.stem in HELD_OUT
        print("\n".join(report(run(label, coding, args.show and not held_out, None if held_out else args.keep))))


if __name__ == "__main__":
    main()
