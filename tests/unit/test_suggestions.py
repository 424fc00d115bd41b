"""Suggested questions for the empty chat: drawn from the newest titles' names, deterministic."""

from __future__ import annotations

from rag import suggested_questions
from rag.index.registry_records import ArticleRecord
from rag.suggestions import question_about, title_names


def test_names_are_runs_of_capitalised_words_without_calendar_words_or_the_opening_word() -> None:
    title = (
        "Israeli Defense Minister Yoav Gallant and US Defense Secretary Lloyd Austin were "
        "again on the phone overnight Monday into Tuesday"
    )
    assert title_names(title) == ["Defense Minister Yoav Gallant", "Defense Secretary Lloyd Austin"]
    assert title_names(
        "Gallant tells US envoy Hochstein there’s a ‘short window’ for a deal with Hezbollah"
    ) == ["Hochstein", "Hezbollah"]
    assert title_names("Talks with Hezbollah, Hezbollah’s reply") == ["Hezbollah"]


def test_a_question_asks_the_outlet_when_known_and_skips_titles_that_name_nothing() -> None:
    assert (
        question_about("Envoy Amos Hochstein meets Hezbollah", "Reuters")
        == "What did Reuters report about Amos Hochstein and Hezbollah?"
    )
    assert (
        question_about("Envoy Amos Hochstein meets Hezbollah")
        == "What do the articles say about Amos Hochstein and Hezbollah?"
    )
    assert question_about("Prices rose again this week") is None


def test_the_newest_articles_come_first_and_questions_are_not_repeated() -> None:
    records = {
        "a.txt": ArticleRecord(title="Talks on Gaza with Qatar", date="2024-01-02"),
        "b.txt": ArticleRecord(title="More talks on Gaza with Qatar", date="2024-03-01"),
        "c.txt": ArticleRecord(title="Storm hits Bergen", date="2024-02-01", source="NRK"),
        "d.txt": ArticleRecord(title="Nothing named here", date="2024-04-01"),
        "e.txt": ArticleRecord(title="Undated note on Oslo"),
    }
    assert suggested_questions(records) == [
        "What do the articles say about Gaza and Qatar?",  # b, newest; a repeats it
        "What did NRK report about Bergen?",
        "What do the articles say about Oslo?",  # undated ones come last
    ]
    assert suggested_questions(records, count=1) == suggested_questions(
        dict(reversed(records.items())), count=1
    )  # the order records arrive in does not matter
    assert suggested_questions({}) == []
