"""The question object reads what the parsers read, once, and parts and follow-ups keep
the kind of answer they ask for."""

from datetime import date

from rag.text.asked_kind import answer_kind
from rag.text.lexicon import counted_terms, missing_entities, question_entities, terms
from rag.text.question import Question
from rag.text.question_parts import split_question
from rag.text.timeframe import parse_timeframe

TODAY = date(2024, 6, 15)


def test_question_holds_what_the_parsers_read() -> None:
    text = "How many Israeli soldiers were wounded in January 2024?"
    q = Question.parse(text, TODAY)
    assert q.kind == answer_kind(text) == "quantity"
    assert q.terms == terms(text)
    assert q.counted == counted_terms(text)
    assert list(q.entities) == question_entities(text)
    assert q.timeframe == parse_timeframe(text, TODAY)
    assert q.missing_in("Gaza fighting") == missing_entities(text, "Gaza fighting")
    assert q.parts == (q,)
    assert q.terms is q.terms  # read once


def test_parts_and_follow_ups_keep_their_own_kind() -> None:
    text = "How much did the pier cost? When will it close?"
    q = Question.parse(text, TODAY)
    assert [p.text for p in q.parts] == split_question(text)
    later = q.parts[1].after(q.parts[0].text)
    assert later.text == f"{q.parts[0].text} {q.parts[1].text}"
    assert later.kind == "date" and later.today == TODAY
    follow_up = Question.parse("and how much did it cost").after("Why is the pier shutting down?")
    assert follow_up.kind == "quantity"
    assert follow_up.whole_kind == answer_kind(follow_up.text)


def test_the_reader_reads_a_follow_up_alone_when_it_asks_a_thing_of_its_own() -> None:
    cost = "How much did the port of Zarqa dredging cost?"
    read = {
        follow_up: Question(follow_up).after(cost).reader_text
        for follow_up in (
            "and who paid for it?",
            "And, so when did it finish?",
            "did the city pay for it?",
            "what about the channel?",
            "how about the silt?",
            "in 2023?",
        )
    }
    assert read["and who paid for it?"] == "who paid for it?"
    assert read["And, so when did it finish?"] == "when did it finish?"
    assert read["did the city pay for it?"] == "did the city pay for it?"
    # elliptical ones ask the earlier question again: read with it
    assert read["what about the channel?"] == f"{cost} what about the channel?"
    assert read["how about the silt?"] == f"{cost} how about the silt?"
    assert read["in 2023?"] == f"{cost} in 2023?"
    assert Question(cost).reader_text == cost  # a question with no context: as asked


def test_a_follow_up_asks_for_its_own_kind_whatever_word_it_leans_on() -> None:
    """ "and who paid for it?" asked for no kind: read with its "and", "who" did not open it,
    and the dredging's cost was given as who paid."""
    cost = "How much did the port of Zarqa dredging cost?"
    assert Question("and who paid for it?").after(cost).kind == "person"
    assert Question("And, so when did it finish?").after(cost).kind == "date"
    assert Question("and how much silt did it remove?").after(cost).kind == "quantity"
    assert Question("and who paid for it?").after(cost).asks_who_or_where
