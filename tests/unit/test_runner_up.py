"""How far below the best sentence a runner-up may score and still be quoted: the reader's
calibration carries it (a steeper calibration spreads the scores), and `pick` honours it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering import reading
from rag.answering.reading import Calibration
from rag.answering.scoring import RUNNER_UP_MARGIN, Sentence, pick
from rag.text.lexicon import terms

TEXTS = (
    "The pier cost $230 million to build and ship to the coast.",
    "Aid deliveries through the floating dock reached 8,100 tonnes by June.",
    "Storms twice broke the causeway apart, and engineers repaired it in Ashdod.",
)


def ranked(*scores: float) -> list[Sentence]:
    node = NodeWithScore(node=TextNode(text=" ".join(TEXTS)), score=1.0)
    return [Sentence(t, 0, len(t), node, 0, terms=terms(t), score=s) for t, s in zip(TEXTS, scores)]


def test_runners_up_are_quoted_only_within_the_margin() -> None:
    sentences = ranked(0.9, 0.86, 0.75)
    assert [s.text for s in pick(sentences, 0.5, 3)] == list(TEXTS[:2])
    assert [s.text for s in pick(sentences, 0.5, 3, margin=0.2)] == list(TEXTS)
    assert [s.text for s in pick(sentences, 0.5, 3, margin=0.0)] == [TEXTS[0]]
    assert pick(sentences, 0.95, 3, margin=0.2) == []  # nothing reaches the answer bar


def test_the_margin_comes_with_the_calibration_and_defaults_to_the_old_constant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Calibration().runner_up == RUNNER_UP_MARGIN
    shipped = tmp_path / "calibration.json"
    shipped.write_text(json.dumps({"scale": 0.2, "bias": 0.1, "runner_up": 0.11}))
    monkeypatch.setattr(reading, "CALIBRATION", shipped)
    reading.calibration.cache_clear()
    try:
        assert reading.calibration().runner_up == 0.11
        shipped.write_text(json.dumps({"scale": 0.2, "bias": 0.1}))
        reading.calibration.cache_clear()
        assert reading.calibration().runner_up == RUNNER_UP_MARGIN
    finally:
        reading.calibration.cache_clear()
