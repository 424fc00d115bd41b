"""Chat shorthand is read as the words the articles write, and only where it means them."""

from __future__ import annotations

import pytest

from rag.text.question import Question
from rag.text.shorthand import spelled_out


@pytest.mark.parametrize(
    "typed, read",
    [
        ("french fm name", "french foreign minister name"),
        ("who is the new uk pm", "who is the new uk prime minister"),
        ("Who is the UK PM?", "Who is the UK prime minister?"),
        ("the pm’s office", "the prime minister’s office"),
        ("how much aid came thru the pier", "how much aid came through the pier"),
        ("what yr was the deal", "what year was the deal"),
        ("gov't shutdown", "government shutdown"),
        ("talks w/ hochstein", "talks with hochstein"),
        ("how many ppl were killed", "how many people were killed"),
        ("who's the state dept spokesman", "who's the state department spokesman"),
    ],
)
def test_shorthand_is_spelled_out(typed: str, read: str) -> None:
    assert spelled_out(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "Which fast food chain has the slowest drive-thru?",  # how the articles write it
        "The rally starts at 5 pm",  # a time
        "The vote is at 10:30 pm on Tuesday",
        "What is the engine's top rpm?",  # inside a word
        "How much did the pier cost?",  # nothing to spell out
    ],
)
def test_what_is_not_shorthand_stays_as_typed(typed: str) -> None:
    assert spelled_out(typed) == typed


def test_spelled_out_the_office_is_read() -> None:
    """Typed "fm", the question named no office, so someone of another office could answer
    (the French President for "french fm name"); spelled out, the foreign minister is asked."""
    assert Question.parse("who is the french fm").office is None
    office = Question.parse(spelled_out("who is the french fm")).office
    assert office is not None and office.title == "minister" and "foreign" in office.portfolio
