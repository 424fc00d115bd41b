"""Telling a one-sentence question without Punkt gives what Punkt gives."""

from __future__ import annotations

import json
from pathlib import Path

from rag.text.asked_kind import asked_sentence, last_asking_sentence

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold"
WRITTEN = [
    "How much did the pier cost?",
    "pier cost?",
    "Biden signed a $739 billion bill. What is the measure called?",
    "Biden signed a bill.What is it called?",  # no space: Punkt does not split either
    'He asked "why now?" What did she answer?',
    "He asked “why now?” What did she answer?",
    "What?! Who said that?",
    "Who is Mohammed Deif (Hamas)? Where was he killed?",
    "Which U.S. envoy met Gallant",
    "Which U.S. envoy met Gallant? Gen. Halevi said what?",
    "Headline\nWhat did the minister say?",
    "Is it 3.5 million or 4 million?",
    "  trailing spaces?   ",
]


def test_the_fast_path_agrees_with_punkt_on_every_gold_question() -> None:
    questions = list(WRITTEN)
    for gold in sorted(GOLD.glob("*.jsonl")):
        questions += [json.loads(line)["question"] for line in gold.open() if line.strip()]
    assert len(questions) > 100
    for question in questions:
        assert asked_sentence(question) == last_asking_sentence(question), question


def test_a_question_after_context_is_the_sentence_that_asks() -> None:
    asked = asked_sentence("Biden signed a $739 billion bill. What is the measure called?")
    assert asked == "What is the measure called?"
