"""The relevance gate on generated answers: supported is not the same as answering."""

from __future__ import annotations

import pytest

from rag.answering.relevance import off_question


@pytest.mark.parametrize(
    "question, answer",
    [
        ("How much did the temporary Gaza pier cost?", "The pier cost $230 million [1]."),
        ("How many hostages does Hamas hold?", "Hamas holds 133 hostages in Gaza [2]."),
        ("When did Gallant meet Hochstein?", "They met on January 4, 2024 [1]."),
        ("Who leads Hamas's military wing?", "Mohammed Deif leads it [3]."),
        ("Who is Mohammed Deif?", "Deif is the head of Hamas's military wing [1]."),
        ("How much did the pier cost and who is Deif?", "Deif heads the military wing [1]."),
        (  # the chat's own suggestion: no span to find, so the reader is not asked (it gives 0.14)
            "What do the articles say about Hochstein and Hezbollah?",
            "During his meeting with Gallant, Hochstein said that Washington favors a diplomatic "
            "solution and warned that an offensive against Hezbollah would not lead to the "
            "return of refugees [1].",
        ),
    ],
)
def test_answers_that_answer_pass(question: str, answer: str) -> None:
    assert off_question(question, answer) == ""


@pytest.mark.parametrize(
    "question, answer, reason",
    [
        (
            "How much did the temporary Gaza pier cost?",
            "Austin confirmed the temporary Gaza pier will soon cease operations [1].",
            "a figure",
        ),
        ("When did Gallant meet Hochstein?", "Gallant met Hochstein in Tel Aviv [1].", "a date"),
        (
            "Who leads Hamas's military wing?",
            "Hamas's military wing fought in Gaza [2].",
            "a person",
        ),
        (
            "How many hostages does Hamas hold?",
            "Hostages held by Hamas number [12] in total.",
            "a figure",
        ),  # a citation marker is not a figure
        ("Who is Mohammed Deif?", "The weather in Tel Aviv was sunny [2].", "shares no word"),
        (
            "What do the articles say about Hochstein and Hezbollah?",
            "The weather in Tel Aviv was sunny [2].",
            "shares no word",
        ),
    ],
)
def test_answers_beside_the_point_are_caught(question: str, answer: str, reason: str) -> None:
    assert reason in off_question(question, answer)
