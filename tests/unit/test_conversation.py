"""Follow-ups are rewritten only when they cannot stand alone (offline rules, no model)."""

from __future__ import annotations

import pytest

from rag.conversation import clean_rewrite, needs_context, next_turn, standalone, subject_of
from rag.settings import Settings


@pytest.mark.parametrize(
    "question",
    [
        "Who is Mohammed Deif?",
        "How much did the temporary Gaza pier cost?",
        "What did Gallant tell Hochstein about Hezbollah?",
        "Why did the Pentagon shut down the pier?",
        "Who is Mohammed Deif and what is his role?",  # the pronoun has its full name
        # found using the chat: "their" points at the question's own "Israelis"
        "How many Israelis have been displaced from their homes in the north?",
        "Why did the soldiers leave their posts?",
        # a later part points at the first part's subject: both parts are answered
        "How much did the Gaza pier cost and when will it close?",
        "Who is Deif and where was he killed?",
        # found walking the UI: short and lower case, yet it names whom it asks about (it was
        # searched with the question before and answered about Israel's ambassador)
        "who is kurilla",
    ],
)
def test_questions_that_stand_alone_are_left_alone(question: str) -> None:
    assert not needs_context(question)
    history = ["What did the Cyprus aid ship carry?"]
    assert standalone(history, question, Settings()) == question


@pytest.mark.parametrize(
    "question",
    [
        "and what did Austin say?",  # leans on the previous turn
        "why is it shutting down?",  # a pronoun with nothing named before it
        "What about Lebanon?",  # elliptical
        "how much did it cost?",
        "Who leads them?",
        "What did Gallant call him?",  # "him" is not Gallant
        "What did Gallant tell them?",  # no plural before "them"
        "What did the minister say about it?",  # one part: "it" is the last turn's
        "How much did it cost and when will it close?",  # no subject in the first part
    ],
)
def test_follow_ups_are_searched_with_the_previous_question(question: str) -> None:
    assert needs_context(question)
    history = ["What did the Cyprus aid ship carry?", "Why was the Gaza pier built?"]
    assert standalone(history, question, Settings()) == f"Why was the Gaza pier built? {question}"


def test_the_first_question_of_a_conversation_is_never_rewritten() -> None:
    assert standalone([], "and what did Austin say?", Settings()) == "and what did Austin say?"


@pytest.mark.parametrize(
    "reply, expected",
    [
        ("User: What is the port of Ashdod?", "What is the port of Ashdod?"),
        ('Standalone question: "Who is Yoav Gallant?"\n', "Who is Yoav Gallant?"),
        (
            "<Standalone question>\nWhat did Austin say about the pier?",
            "What did Austin say about the pier?",
        ),
        ("", ""),
    ],
)
def test_rewrites_lose_echoed_labels_but_keep_their_subject(reply: str, expected: str) -> None:
    assert clean_rewrite(reply) == expected


def _searched_chat(questions: list[str]) -> list[str]:
    """Each question of a chat as searched, each read in the chat so far (as the chat does)."""
    history: list[str] = []
    for question in questions:
        history.append(next_turn(history, question, Settings()).searched)
    return history


def test_a_chain_of_follow_ups_leans_on_the_question_that_named_the_subject() -> None:
    # found walking the demo: the third follow-up searched the first question and both
    # follow-ups before it, and "Searching for:" grew by a question each turn
    searched = _searched_chat(
        [
            "How much did the Gaza pier cost?",
            "and when did it start operating?",
            "why is it closing?",
            "who decided to shut it down?",
        ]
    )
    assert searched[1:] == [
        "How much did the Gaza pier cost? and when did it start operating?",
        "How much did the Gaza pier cost? why is it closing?",
        "How much did the Gaza pier cost? who decided to shut it down?",
    ]


def test_a_follow_up_that_names_something_stays_in_what_later_ones_lean_on() -> None:
    searched = _searched_chat(
        [
            "How many Israelis have been displaced from the north?",
            "what about Lebanon?",  # a subject of its own
            "and who is attacking them?",  # points back, names nothing: dropped next turn
            "and when did the attacks begin?",
        ]
    )
    assert searched[3] == (
        "How many Israelis have been displaced from the north? what about Lebanon? "
        "and when did the attacks begin?"
    )
    hochstein = _searched_chat(
        ["Who is Amos Hochstein?", "what did Gallant tell him?", "and where did they meet?"]
    )
    assert hochstein[2] == (
        "Who is Amos Hochstein? what did Gallant tell him? and where did they meet?"
    )


def test_what_a_follow_up_leans_on_keeps_a_text_with_no_question_marks_whole() -> None:
    assert subject_of("pier cost and when did it open") == "pier cost and when did it open"
    assert subject_of("Who is Deif? how old is he?") == "Who is Deif?"
