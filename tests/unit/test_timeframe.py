"""Month- and year-level times in questions become publication ranges; others do not."""

from __future__ import annotations

from datetime import date

import pytest

from rag.text.timeframe import Timeframe, news_window, parse_timeframe, recent_window

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "question, since, until",
    [
        ("What did Gallant say in January 2024?", date(2024, 1, 1), date(2024, 1, 31)),
        ("What was reported during 2023?", date(2023, 1, 1), date(2023, 12, 31)),
        ("What happened last October?", date(2026, 10, 1), date(2026, 10, 31)),
        ("What happened in March?", date(2026, 3, 1), date(2026, 3, 31)),
        ("What happened in December?", date(2025, 12, 1), date(2025, 12, 31)),  # the last one
        ("Any news since March 2024?", date(2024, 3, 1), None),
        ("What was said before June 2024?", None, date(2024, 5, 31)),
        ("What was agreed by February 2024?", None, date(2024, 2, 29)),
        ("What happened last month?", date(2026, 10, 1), date(2026, 10, 31)),
        ("What did they say this year?", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_named_times_become_ranges(question: str, since: date | None, until: date | None) -> None:
    found = parse_timeframe(question, TODAY)
    assert isinstance(found, Timeframe)
    assert (found.since, found.until) == (since, until)


@pytest.mark.parametrize(
    "question",
    [
        "What happened on October 7, 2023?",  # a day: an event, not when to read
        "Who won the 2024 US presidential election?",  # a year used as a name
        "In what year did Israel and Lebanon demarcate a maritime border?",
        "What did Gallant tell Hochstein?",
    ],
)
def test_other_questions_name_no_range(question: str) -> None:
    assert parse_timeframe(question, TODAY) is None


@pytest.mark.parametrize(
    "question, pinned, phrase",
    [
        ("Which country was shaken by an earthquake this week?", True, "this week"),
        ("Which university recently admitted submitting wrong data?", False, "recently"),
        ("Which team won the Stanley Cup Final?", False, ""),  # no time named: news as it stands
    ],
)
def test_every_question_has_news_days_only_those_naming_them_are_pinned(
    question: str, pinned: bool, phrase: str
) -> None:
    days = news_window(question, date(2022, 6, 29))
    assert (days.since, days.until) == (date(2022, 6, 19), date(2022, 6, 30))
    assert (days.pinned, days.phrase) == (pinned, phrase)
    assert (recent_window(question, date(2022, 6, 29)) is None) == (phrase == "")
