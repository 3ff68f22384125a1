"""The confidence model: our own weights, applied in pure Python; without them, the rules' confidence."""

from __future__ import annotations

import json
import math

import pytest

from negotrack.draft import model
from negotrack.draft.extract import extract

from draft_support import article, declarations

SENTENCE = "Azerbaijani officials demanded an extraterritorial corridor through Armenia last week.\n"


@pytest.fixture
def weights_file(tmp_path, monkeypatch):
    path = tmp_path / "confidence.json"
    monkeypatch.setattr(model, "WEIGHTS", path)
    model.weights.cache_clear()
    yield path
    model.weights.cache_clear()


def test_without_weights_the_rules_confidence_is_kept(weights_file):
    (event,) = extract([article(SENTENCE)], declarations()).events
    assert event.confidence == 0.55  # demonym 0.65 × "demanded" 0.85, issue found
    assert event.active


def test_weights_decide_the_confidence_and_so_what_is_commented_out(weights_file):
    # A draft whose speaker was found by a demonym only, weighed down hard: now below the threshold.
    weights_file.write_text(json.dumps({"bias": 0.5, "weights": {"how=demonym": -2.0, "unknown-signal": 9.0}}), encoding="utf-8")
    (event,) = extract([article(SENTENCE)], declarations()).events
    assert event.signals["how=demonym"] == 1.0
    assert event.confidence == round(1 / (1 + math.exp(-(0.5 - 2.0))), 2)  # a signal the weights don't name counts 0
    assert not event.active


@pytest.mark.parametrize("text", ["{not json", '{"bias": 1, "weights": {"rule": "high"}}', '{"bias": null, "weights": {}}', "[]"])
def test_unreadable_weights_fall_back_to_the_rules(weights_file, text):
    weights_file.write_text(text, encoding="utf-8")
    (event,) = extract([article(SENTENCE)], declarations()).events
    assert event.confidence == 0.55
