"""How often is the draft's stance the analyst's? ``classify.stance`` on every coded quote.

    python benchmarks/extraction/stances.py        # the figures, per set and overall
    python benchmarks/extraction/stances.py --show # also every quote it gets wrong

For each coded event of the tuning sets (the seeds and the threads of this folder, never
the held-out ones: ``HELD_OUT`` in ``benchmarks/extraction.py``) that has a stance and an
issue, the stance rule is run on its first quote, the issue's proposition and its type,
and compared with the coded stance. Printed beside it, from the same events: the figure
of the plainest rule, "supports" always (keeping the rule's "conditional"). The drafting
benchmark cannot measure this well: it sees a stance only where a draft matched a coded
event, a few dozen in all. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("extraction_benchmark", HERE.parent / "extraction.py")
bench = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

from negotrack.draft import classify  # noqa: E402


def examples(coding: Path) -> list[tuple[str, str, str, str]]:
    """(coded stance, quote, proposition, type) for each coded event with a stance on an issue."""
    doc = yaml.safe_load(coding.read_text(encoding="utf-8"))
    issues = doc["thread"]["issues"]
    out = []
    for e in doc.get("events") or []:
        stance = e.get("stance")
        issue = e.get("issue") or next((p.get("issue") for p in e.get("provisions") or []), None)
        if stance in (None, "undecided") or issue not in issues:
            continue  # "undecided" is never drafted: the rule says for or against
        source = e["source"][0] if isinstance(e["source"], list) else e["source"]
        out.append((stance, source.get("quote", ""), issues[issue].get("proposition") or "", e["type"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="list every quote whose stance the rule gets wrong")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    for _, coding in bench.corpora():
        if coding.stem in bench.HELD_OUT:
            continue
        n = rule = plain = 0
        for coded, quote, proposition, kind in examples(coding):
            got = classify.stance(quote, proposition, kind)
            if got is None:
                continue  # a type that carries no stance in a draft
            n += 1
            rule += got == coded
            plain += ("conditional" if got == "conditional" else "supports") == coded
            if args.show and got != coded:
                print(f"  {coding.stem}: coded {coded}, rule {got} ({kind}): {quote[:100]}")
        total.update(n=n, rule=rule, plain=plain)
        if n:
            print(f"{coding.stem:<30} {n:>4} stances   rule {100 * rule / n:5.1f}%   'supports' always {100 * plain / n:5.1f}%")
    n = total["n"] or 1
    print(f"{'all tuning sets':<30} {total['n']:>4} stances   rule {100 * total['rule'] / n:5.1f}%   'supports' always {100 * total['plain'] / n:5.1f}%")


if __name__ == "__main__":
    sys.exit(main())
