"""A stored conversation read back: follow-ups in context through the rewrites searched,
and questions left with no answer said to be so."""

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


def test_a_question_with_no_answer_after_it_says_so_or_that_it_is_being_written() -> None:
    from ui.controllers.history import UNANSWERED, render_history

    messages = [
        Message("user", "Who is Mohammed Deif?", None, ""),  # the server stopped here
        Message("user", "What did Gallant call him?", None, ""),
        Message("assistant", "**Could not answer:** store down", None, ""),
        Message("user", "Where is Gaza?", None, ""),  # its answer is being written
    ]
    shown, _ = render_history(messages)
    assert [m["role"] for m in shown] == ["user", "assistant"] * 3
    assert shown[1]["content"] == UNANSWERED and shown[5]["content"] == UNANSWERED
    written, _ = render_history(messages, writing=True)
    assert written[1]["content"] == UNANSWERED
    assert "Still being written" in written[5]["content"] and "working" in written[5]["content"]


def test_a_question_shows_as_typed_never_as_markup() -> None:
    from ui.controllers.history import render_history

    typed = 'What is <img src="http://127.0.0.1:9/q.png"> **Zarqa**?'
    shown, _ = render_history([Message("user", typed, None, "")], writing=True)
    assert "<img" not in shown[0]["content"] and "&lt;img" in shown[0]["content"]
    assert "\\*\\*Zarqa\\*\\*" in shown[0]["content"]
