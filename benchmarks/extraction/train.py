"""Train the draft confidence model (negotrack/draft/confidence.json), and cross-validate it.

    pip install scikit-learn        # for training only: negotrack applies the weights in pure Python
    python benchmarks/extraction/train.py            # leave-one-article-out figures, then write the weights
    python benchmarks/extraction/train.py --dry-run  # figures only

The examples are every draft event the rules make on the tuning sets (the seeds and
the threads of this folder, never the held-out ones: see ``HELD_OUT`` in
``benchmarks/extraction.py``), with the signals the extractor computes for it
(``Draft.signals``: cue, speaker, issue score, quotes, dates, ...).  A draft is a
positive example when the benchmark's rule matches it to a coded event (compatible
type, same party, same issue, date within the coded precision, one to one).

The weights are written only when the model, cross-validated, beats the rules'
own confidence (F1 of recall and precision over the tuning sets); otherwise the
extractor keeps the rules' confidence.  The figures printed are those of the benchmark's rule on the active drafts
(probability >= the extractor's ACTIVE threshold): the rules' own confidence,
then the model cross-validated by leaving one article out (each article's drafts
scored by a model that never saw that article), then the model trained on all
(in-sample, optimistic).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("extraction_benchmark", HERE.parent / "extraction.py")
bench = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

from negotrack.draft import extract as ex  # noqa: E402
from negotrack.draft import model  # noqa: E402

C_VALUES = (0.1, 0.3, 1.0, 3.0)
BALANCE = "balanced"  # right drafts are the fewer: weigh both classes alike, so 0.5 is the even point


def _drafts(coding: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """(coded facts, draft facts, drafts) for one coding file, drafted by the rules alone."""
    doc = yaml.safe_load(coding.read_text(encoding="utf-8"))
    thread = doc["thread"]
    decls = ex.Declarations(thread["id"], thread.get("title"), thread.get("parties") or {}, thread.get("actors") or {}, thread.get("issues") or {})
    articles = []
    for key, src in doc["sources"].items():
        text = (coding.parent / src["path"]).read_text(encoding="utf-8")
        articles.append(ex.Article(key, src["path"], text, date.fromisoformat(str(src["published"]))))
    saved = model.weights
    model.weights = lambda: None  # type: ignore[assignment]  # the rules' confidence: the signals don't depend on it
    try:
        result = ex.extract(articles, decls)
    finally:
        model.weights = saved  # type: ignore[assignment]
    events = []
    for d in result.events:
        e: dict[str, Any] = {"id": d.id, "type": d.type, "date": d.date.date.isoformat(), "source": [{"ref": p.source, "quote": p.quote} for p in d.places], **d.fields}
        if d.by:
            e["by"] = d.by
        if d.issue:
            e["issue"] = d.issue
        events.append(e)
    return bench._facts(doc), bench._facts({"thread": thread, "events": events}), result.events


def _score(coded: list[dict[str, Any]], facts: list[dict[str, Any]], keep: list[bool]) -> tuple[int, int, int]:
    active = [f for f, k in zip(facts, keep) if k]
    return len(bench.score(coded, active)), len(coded), len(active)


def _auc(scores: list[float], y: list[int]) -> float:
    pos = [s for s, v in zip(scores, y) if v]
    neg = [s for s, v in zip(scores, y) if not v]
    if not pos or not neg:
        return 0.5
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write no weights")
    parser.add_argument("--label", choices=("benchmark", "undated"), default="benchmark",
                        help="a positive example: matched by the benchmark's rule, or by it without comparing dates")
    parser.add_argument("--signals", help="only these signals, comma-separated ('type=*' for a family)")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    sets = []
    for label, coding in bench.corpora():
        if coding.stem in bench.HELD_OUT:
            continue
        coded, facts, drafts = _drafts(coding)
        window = dict.fromkeys(bench.WINDOW, 100_000) if args.label == "undated" else bench.WINDOW
        hit = {d["id"] for _, d in bench.score(coded, facts, window)}
        labels = [f["id"] in hit for f in facts]
        groups = [f"{coding.stem}:{d.places[0].source}" for d in drafts]
        sets.append((label, coded, facts, drafts, labels, groups))
    names = sorted({k for s in sets for d in s[3] for k in d.signals})
    if args.signals:
        wanted = args.signals.split(",")
        names = [n for n in names if any(n == w or (w.endswith("*") and n.startswith(w[:-1])) for w in wanted)]
    X = [[d.signals.get(n, 0.0) for n in names] for s in sets for d in s[3]]
    y = [int(v) for s in sets for v in s[4]]
    groups = [g for s in sets for g in s[5]]
    print(f"{len(X)} draft events ({sum(y)} right), {len(names)} signals, {len(set(groups))} articles")

    def report(title: str, keep: list[bool]) -> float:
        i, total_hit, total_coded, total_active, parts = 0, 0, 0, 0, []
        for label, coded, facts, _, _, _ in sets:
            h, c, a = _score(coded, facts, keep[i : i + len(facts)])
            i += len(facts)
            total_hit, total_coded, total_active = total_hit + h, total_coded + c, total_active + a
            parts.append(f"{label.split(' ')[0]} recall {h}/{c} = {100 * h / c:.1f}%, precision {h}/{a} = {100 * h / max(a, 1):.1f}%")
        print(f"  {title}: " + "; ".join(parts))
        f1 = 2 * total_hit / (total_coded + total_active) if total_coded + total_active else 0.0
        return f1

    rules = [d.confidence >= ex.ACTIVE for s in sets for d in s[3]]
    rules_f1 = report("rules' confidence (>= %.2f)" % ex.ACTIVE, rules)
    best = None
    for c in C_VALUES:
        oof = [0.0] * len(X)
        for g in sorted(set(groups)):
            train = [k for k, gg in enumerate(groups) if gg != g]
            test = [k for k, gg in enumerate(groups) if gg == g]
            if len({y[k] for k in train}) < 2:
                continue
            clf = LogisticRegression(C=c, max_iter=5000, class_weight=BALANCE).fit([X[k] for k in train], [y[k] for k in train])
            for k, p in zip(test, clf.predict_proba([X[k] for k in test])[:, 1]):
                oof[k] = float(p)
        f1 = report(f"model C={c}, leave one article out", [p >= ex.ACTIVE for p in oof])
        print(f"    ranking (AUC): model {_auc(oof, y):.3f}, rules {_auc([d.confidence for s in sets for d in s[3]], y):.3f}")
        if best is None or f1 > best[0]:
            best = (f1, c)
    assert best is not None
    c = best[1]
    clf = LogisticRegression(C=c, max_iter=5000, class_weight=BALANCE).fit(X, y)
    fitted = [float(p) >= ex.ACTIVE for p in clf.predict_proba(X)[:, 1]]
    report(f"model C={c}, trained on all (in-sample)", fitted)
    weights = {n: round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-4}
    out = {
        "about": "Logistic regression over Draft.signals, trained by benchmarks/extraction/train.py on the seeds and "
        "the tuning sets of benchmarks/extraction/ (never the held-out set); confidence = sigmoid(bias + sum(weight * signal)).",
        "examples": len(X), "positives": sum(y), "C": c,
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": dict(sorted(weights.items(), key=lambda kv: -abs(kv[1]))),
    }
    if args.dry_run:
        print(json.dumps(out, indent=1))
        return
    if best[0] <= rules_f1:
        # Weights that do worse on articles they never saw than the rules do would make drafts worse.
        print(f"not written: the cross-validated F1 ({best[0]:.3f}) does not beat the rules' ({rules_f1:.3f})")
        if model.WEIGHTS.exists():
            model.WEIGHTS.unlink()
            print(f"removed {model.WEIGHTS.relative_to(ROOT)}: the rules' confidence is used")
        return
    model.WEIGHTS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {model.WEIGHTS.relative_to(ROOT)} (C={c}, chosen by the leave-one-article-out F1)")


if __name__ == "__main__":
    main()
