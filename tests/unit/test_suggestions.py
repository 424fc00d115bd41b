"""Suggested questions for the empty chat: drawn from the newest titles' names, deterministic."""

from __future__ import annotations

from rag import Answer, Citation, Passage, follow_up_questions, suggested_questions
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
    assert (  # asked as a reader would, titles off
        question_about(
            "Israeli Defense Minister Yoav Gallant and US Defense Secretary Lloyd Austin"
        )
        == "What do the articles say about Yoav Gallant and Lloyd Austin?"
    )


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


def _passage(chunk: str, text: str) -> Passage:
    return Passage(1, chunk, "a.txt", "", "", "", "", text, 0.5)


def _answer(
    question: str, passages: list[Passage], cited: tuple[str, ...] = (), abstained: bool = False
) -> Answer:
    citations = [
        Citation(n, "a.txt", "", "", "", "", "q", 0.5, chunk_id=chunk)
        for n, chunk in enumerate(cited, start=1)
    ]
    return Answer(
        question, "a [1]", abstained, "extractive", citations=citations, passages=passages
    )


def test_follow_ups_ask_about_names_the_passages_hold_and_the_question_did_not() -> None:
    read = _passage(
        "p1",
        "On Monday Defense Minister Yoav Gallant met Minister Gallant's aides and then "
        "Amos Hochstein in Tel Aviv. Later, the IDF Chief of Staff told the United States "
        "envoy that Tel Aviv was calm.",
    )
    cited = _passage("p2", "After talks, Naim Qassem spoke as Amos Hochstein left the Gaza Strip.")
    elsewhere = _passage("p3", "In Paris, President Emmanuel Macron opened the Louvre Pyramid.")
    answer = _answer("Who is Amos Hochstein?", [cited, read, elsewhere], cited=("p2", "p1"))
    assert follow_up_questions(answer) == [
        "What do the articles say about Naim Qassem?",  # in the order the cited text has them
        "What do the articles say about the Gaza Strip?",
        "What do the articles say about Yoav Gallant?",  # titles taken off
    ]
    more = follow_up_questions(answer, count=10)
    assert len([q for q in more if "Gallant" in q]) == 1  # one person once
    assert not any("Hochstein" in q or "Chief" in q for q in more)  # asked already; a fragment
    assert "What do the articles say about the United States?" in more
    assert not any("Macron" in q or "Louvre" in q for q in more)  # a passage not cited


def test_a_refusal_offers_no_follow_ups() -> None:
    read = _passage("p1", "Naim Qassem spoke in Beirut.")
    assert follow_up_questions(_answer("Who won?", [read], abstained=True)) == []


def test_follow_up_links_are_escaped_text_in_the_chat() -> None:
    from ui.render import chat_message

    answer = _answer("q", [_passage("p1", "x")], cited=("p1",))
    shown = chat_message(answer, follow_ups=["What about <img src=x> Naim?"])
    assert "<img" not in shown and "&lt;img src=x&gt; Naim?</a>" in shown
    assert "class='follow-up'" in shown


def test_a_name_followed_by_its_acronym_is_asked_by_the_name() -> None:
    cited = _passage("p1", "On Sunday the Israel Defense Forces IDF confirmed the strike.")
    assert follow_up_questions(_answer("Who struck?", [cited], cited=("p1",))) == [
        "What do the articles say about the Israel Defense Forces?"
    ]


def test_a_name_after_an_abbreviated_title_is_asked_about_whole() -> None:
    """Walking the chat, "Ask next" offered "What do the articles say about Command Commander
    Gen?": the full stop of "Gen." ended the name, and what stood before it was taken for one."""
    cited = _passage(
        "p1",
        "Gallant spoke with U.S. Central Command Commander Gen. Michael Kurilla and with "
        "IDF Chief of Staff Lt. Gen. Herzi Halevi, Sen. Lindsey Graham said.",
    )
    assert follow_up_questions(_answer("Who did Gallant call?", [cited], cited=("p1",))) == [
        "What do the articles say about Michael Kurilla?",
        "What do the articles say about Herzi Halevi?",
        "What do the articles say about Lindsey Graham?",
    ]


def test_a_follow_up_is_not_offered_the_name_its_searched_question_leaned_on() -> None:
    """Walking the chat: after "Who is Mohammed Deif?" then "What did Gallant call him?",
    "Ask next" offered "What do the articles say about Mohammed Deif?"."""
    cited = _passage("p1", "Yoav Gallant called Mohammed Deif the Osama bin Laden of Gaza.")
    answer = _answer("What did Gallant call him?", [cited], cited=("p1",))
    assert follow_up_questions(answer) == ["What do the articles say about Mohammed Deif?"]
    searched = "Who is Mohammed Deif? What did Gallant call him?"
    assert follow_up_questions(answer, searched=searched) == []
