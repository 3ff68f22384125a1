"""The confidence of a draft event: a logistic regression over the rules' own signals.

The weights are ours, trained offline by ``benchmarks/extraction/train.py`` on the
hand-coded tuning articles (the seeds and the tuning sets of benchmarks/extraction/, never the held-out sets) and
shipped beside this file as ``confidence.json``; nothing is downloaded and no
library is needed to apply them: ``p = 1 / (1 + exp(-(bias + Σ weight·signal)))``.
A signal the weights do not name counts nothing.  Without the file (or with one
this code cannot read) the rules' own confidence is used, unchanged.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

WEIGHTS = Path(__file__).with_name("confidence.json")


@lru_cache(maxsize=1)
def weights() -> dict[str, Any] | None:
    try:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        return None
    numbers = [data.get("bias", 0.0), *data["weights"].values()]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in numbers):
        return None  # weights this code cannot use: the rules' confidence, never a traceback
    return data


def probability(signals: dict[str, float], data: dict[str, Any]) -> float:
    z = float(data.get("bias", 0.0))
    w = data["weights"]
    for name, value in signals.items():
        z += float(w.get(name, 0.0)) * value
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def confidence(signals: dict[str, float], rule: float) -> float:
    """The model's probability that the draft is right (two decimals), else the rule's confidence."""
    data = weights()
    if data is None:
        return rule
    return round(probability(signals, data), 2)
