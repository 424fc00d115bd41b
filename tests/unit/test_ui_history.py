"""The chat keeps follow-ups in context through the rewrites it showed, not what was typed."""

from __future__ import annotations

from ui.app import _searched_questions


def test_a_shown_rewrite_stands_in_for_the_typed_follow_up() -> None:
    history = [
        {"role": "user", "content": "Who is Mohammed Deif?"},
        {"role": "assistant", "content": "He heads Hamas's army [1]"},
        {"role": "user", "content": "What did Gallant call him?"},
        {"role": "assistant", "content": "*Searching for: Who is Mohammed Deif? What did "
                                         "Gallant call him?*\n\n“Osama bin Laden of Gaza” [1]"},
    ]
    assert _searched_questions(history) == [
        "Who is Mohammed Deif?", "Who is Mohammed Deif? What did Gallant call him?"]


def test_an_answer_quoting_the_phrase_mid_text_is_not_taken_for_a_rewrite() -> None:
    history = [{"role": "user", "content": "What is searching?"},
               {"role": "assistant", "content": "An article says *Searching for: x* inline."}]
    assert _searched_questions(history) == ["What is searching?"]
