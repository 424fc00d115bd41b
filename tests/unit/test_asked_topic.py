"""Questions that ask what the articles say on a topic, told from questions asking for a fact."""

from __future__ import annotations

import pytest

from rag.suggestions import question_about
from rag.text.asked_kind import TopicAsked, asked_topic
from rag.text.question import Question


@pytest.mark.parametrize(
    "question, topic, outlet",
    [
        ("What do the articles say about Hochstein and Hezbollah?", "Hochstein and Hezbollah", ""),
        ("what does the coverage say on the Gaza pier", "the Gaza pier", ""),
        ("Tell me about the Gaza pier", "the Gaza pier", ""),
        ("Can you tell me more about Deif?", "Deif", ""),
        ("What's the latest on the shutdown?", "the shutdown", ""),
        ("Summarize the Gaza pier story.", "the Gaza pier story", ""),
        ("What did Reuters report about Amos Hochstein?", "Amos Hochstein", "Reuters"),
        ("What did the Times of Israel report about Gallant?", "Gallant", "Times of Israel"),
        ("What did apnews.com report about the water plant?", "the water plant", "apnews.com"),
        # as people ask to be caught up in a chat, apostrophe typed or not
        ("any news on the hostages?", "the hostages", ""),
        ("Is there any update on the pier?", "the pier", ""),
        ("whats the latest on hezbollah", "hezbollah", ""),
        ("what's going on with lebanon", "lebanon", ""),
        ("what's up with hochstein", "hochstein", ""),
        ("give me a rundown of the ceasefire talks", "the ceasefire talks", ""),
        ("catch me up on the gaza pier", "the gaza pier", ""),
        ("update me on the ceasefire talks", "the ceasefire talks", ""),
        ("what do we know about deif", "deif", ""),
        ("latest on the pier", "the pier", ""),
        ("recap the gallant austin call", "the gallant austin call", ""),
    ],
)
def test_a_question_about_a_topic_names_the_topic_and_the_outlet(
    question: str, topic: str, outlet: str
) -> None:
    assert asked_topic(question) == TopicAsked(topic, outlet)
    assert Question.parse(question).topic == TopicAsked(topic, outlet)


@pytest.mark.parametrize(
    "question",
    [
        "How much did the pier cost?",
        "What did Gallant say about Hezbollah?",  # what he said: the reader finds it
        "What did Gallant call Mohammed Deif?",
        "Who is Amos Hochstein?",
        "When will the pier close?",
        "What happened to the number of aid trucks?",
        "What is the latest figure for the death toll?",  # one figure, however it is asked
        "Is there any evidence that Hezbollah fired first?",
        "Who gave the update on the talks?",
        "What is going to happen to the pier?",
    ],
)
def test_a_question_asking_for_a_fact_has_no_topic(question: str) -> None:
    assert asked_topic(question) is None


@pytest.mark.parametrize("outlet", ["", "Reuters", "apnews.com"])
def test_every_question_the_chat_suggests_is_read_as_a_topic_question(outlet: str) -> None:
    suggested = question_about("Gallant tells US envoy Hochstein of a short window", outlet)
    assert suggested is not None
    asked = asked_topic(suggested)
    assert asked is not None and asked.outlet == outlet and "Hochstein" in asked.topic


def test_the_outlet_named_matches_the_stored_one_as_people_write_it() -> None:
    """Retrieval narrows to the stored outlet and the answerer keeps its passages by this one
    rule: case, a leading "the" and "www." aside."""
    asked = TopicAsked("Gallant", "Times of Israel")
    assert asked.from_outlet("The Times of Israel") and asked.from_outlet("times of israel")
    assert TopicAsked("x", "apnews.com").from_outlet("www.apnews.com")
    assert not asked.from_outlet("Israel Hayom") and not asked.from_outlet("")
    assert not TopicAsked("Gallant").from_outlet("Reuters")  # no outlet named
