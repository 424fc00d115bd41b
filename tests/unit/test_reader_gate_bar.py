"""The relevance gate's own bar: chosen on pairs of a right and a wrong sentence, then used."""

from __future__ import annotations

import random

from eval.reader_calibrate import choose_gate_bar, sentence_pairs
from eval.reader_data import Example
from rag.answering.reading import Calibration

PASSAGE = (
    "The council approved a $12 million repair of the harbour pier on Tuesday. "
    "Mayor Ana Ruiz said work would start in May. "
    "Residents had asked for the repair for years."
)


def test_a_pair_holds_the_answering_sentence_and_another_that_does_not() -> None:
    ex = Example("q", "t-a01", "pier repair cost?", PASSAGE, [("$12 million", 24)])
    [(question, right, wrong)] = sentence_pairs([ex], random.Random(1))
    assert question == "pier repair cost?"
    assert right.startswith("The council approved") and "$12 million" in right
    assert "$12 million" not in wrong and wrong in PASSAGE


def test_unanswerable_questions_and_one_sentence_passages_give_no_pair() -> None:
    none = Example("q1", "t", "Who did the work?", PASSAGE, [])
    alone = Example("q2", "t", "cost?", "The pier cost $12 million.", [("$12 million", 14)])
    assert sentence_pairs([none, alone], random.Random(1)) == []


def test_the_gate_bar_is_the_highest_keeping_the_share_asked() -> None:
    right = [0.1, 0.3, 0.5, 0.7, 0.9]
    assert choose_gate_bar(right, keep=0.8) == 0.3  # 0.3, 0.5, 0.7, 0.9 reach it: 4 of 5
    assert choose_gate_bar(right, keep=1.0) == 0.1
    assert choose_gate_bar(right, keep=0.2) == 0.9


def test_the_gate_uses_its_own_bar_when_one_was_chosen_else_the_answer_bar() -> None:
    assert Calibration(answer_bar=0.37).relevance_bar == 0.37
    assert Calibration(answer_bar=0.33, gate_bar=0.24).relevance_bar == 0.24
