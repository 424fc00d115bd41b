"""The chat keeps follow-ups in context through the rewrites it searched, not what was typed."""

from __future__ import annotations

from ui.controllers.history import searched_so_far
from ui.conversations import Message


def test_a_searched_rewrite_stands_in_for_the_typed_follow_up() -> None:
    messages = [
        Message("user", "Who is Mohammed Deif?", None, ""),
        Message("assistant", "", {"answer": "He heads Hamas's army [1]"}, "Who is Mohammed Deif?"),
        Message("user", "What did Gallant call him?", None, ""),
        Message(
            "assistant",
            "",
            {"answer": "“Osama bin Laden of Gaza” [1]"},
            "Who is Mohammed Deif? What did Gallant call him?",
        ),
    ]
    assert searched_so_far(messages) == [
        "Who is Mohammed Deif?",
        "Who is Mohammed Deif? What did Gallant call him?",
    ]


def test_a_failed_answer_keeps_the_question_as_typed() -> None:
    messages = [
        Message("user", "What is searching?", None, ""),
        Message("assistant", "**Could not answer:** store down", None, ""),
    ]
    assert searched_so_far(messages) == ["What is searching?"]
