"""A question asking what the articles say on a topic is answered with the lines reporting on
it, as a briefing's summary is, not refused for lacking an answer span; one naming an outlet
quotes that outlet's articles only; a topic no passage reports on is refused."""

from __future__ import annotations

import json
from pathlib import Path

from rag import Assistant
from rag.settings import Settings
from tests.helpers import seed_texts

ARTICLES = seed_texts()


def test_the_chats_suggested_question_is_answered_with_lines_on_the_topic(
    seeded: Assistant,
) -> None:
    answer = seeded.ask("What do the articles say about Hochstein and Hezbollah?")
    assert not answer.abstained
    assert answer.citations and all(
        ARTICLES[c.doc][c.start : c.end] == c.quote for c in answer.citations
    )
    assert "Hochstein" in answer.citations[0].quote
    assert answer.short_answer is None  # no span to put in bold: it asks for no one fact


def test_a_topic_no_passage_reports_on_is_refused_with_the_topic_named(
    seeded: Assistant,
) -> None:
    answer = seeded.ask("What do the articles say about climate change?")
    assert answer.abstained and not answer.citations
    assert "climate change" in answer.answer


RECORDS = [
    {
        "id": "ap-1",
        "title": "Ashford votes for water plant",
        "date": "2026-03-03",
        "source": "apnews.com",
        "text": "The city council of Ashford voted on Tuesday to build a new water treatment "
        "plant on the east bank of the river, ending a three-year dispute over the site. The "
        "plant will cost $48 million and is expected to open in 2027, the council said.",
    },
    {
        "id": "star-1",
        "title": "Ashford water plant faces flood questions",
        "date": "2026-03-05",
        "source": "ashfordstar.com",
        "text": "Residents of Ashford asked the council on Thursday whether the new water "
        "treatment plant on the east bank would flood, as the site did in 2019 and 2023. "
        "Engineers told the meeting that the plant would be raised above the flood line.",
    },
]


def test_a_question_naming_an_outlet_quotes_that_outlets_articles_only(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ingest([feed], progress=False)

    for outlet, doc in (("ashfordstar.com", "star-1"), ("apnews.com", "ap-1")):
        answer = assistant.ask(f"What did {outlet} report about the Ashford water plant?")
        assert not answer.abstained, answer.answer
        assert {c.doc for c in answer.citations} == {doc}
        assert {p.doc for p in answer.passages} == {doc}  # retrieval narrowed to the outlet
        assert f"Reading only articles from {outlet}" in answer.notice
    both = assistant.ask("What do the articles say about the Ashford water plant?")
    assert not both.abstained and {c.doc for c in both.citations} == {"ap-1", "star-1"}
    missing = assistant.ask("What did Reuters report about the Ashford water plant?")
    assert missing.abstained and "Reuters" in missing.answer
    assert "No stored article is from Reuters" in missing.notice


def test_a_topic_question_gives_an_overview_of_several_lines(seeded: Assistant) -> None:
    """Asked about the pier, the answer is not only the line that names it ("…will soon cease
    operations") but also what else the articles report on it (its $230 million cost)."""
    answer = seeded.ask("Tell me about the Gaza pier")
    assert not answer.abstained and len(answer.citations) >= 2
    quotes = " ".join(c.quote for c in answer.citations)
    assert "cease operations" in quotes and "$230 million" in quotes


def test_a_chat_asking_to_be_caught_up_on_a_topic_gets_the_lines_on_it(seeded: Assistant) -> None:
    """Asked "any news on the hostages?", the answer was a refusal: read as asking for one
    fact, no sentence answered it. It asks what the articles report, as "What do the articles
    say about…" does."""
    answer = seeded.ask("any news on the hostages?")
    assert not answer.abstained, answer.answer
    assert answer.short_answer is None
    assert all("hostage" in c.quote.lower() for c in answer.citations[:1])
    assert all(ARTICLES[c.doc][c.start : c.end] == c.quote for c in answer.citations)


def test_a_topic_of_one_name_the_embedder_does_not_know_is_reported_on(
    seeded: Assistant,
) -> None:
    """Asked "tell me about deif", the answer said no passage reported on him: a lone name the
    embedder does not know scored under the topic's floor in every line, those naming him too."""
    answer = seeded.ask("tell me about deif")
    assert not answer.abstained, answer.answer
    assert answer.citations and "Deif" in answer.citations[0].quote
    assert all(ARTICLES[c.doc][c.start : c.end] == c.quote for c in answer.citations)
