"""A question typed in lower case reads its names as the passages write them."""

from __future__ import annotations

from rag.text.question import Question
from rag.text.truecase import WrittenNames, cased_like, typed_in_lower_case

GOLF = (
    "Cameron Smith won the British Open at St Andrews on Sunday, two shots clear of Cameron "
    "Young. The Open is golf's oldest major, and the course will open to the public on Monday."
)
VOTES = (
    "Rishi Sunak won the first two rounds of voting, British lawmakers said on Thursday. "
    "Shops in Westminster stay open late."
)
SHOOTING = (
    "Five people were killed at Club Q, a gay nightclub in Colorado Springs. The club had "
    "hosted a drag show. Police said the suspect entered Club Q just before midnight. "
    "Monkeypox cases in the US rose again, the US health agency said."
)


def test_a_name_typed_in_lower_case_is_written_as_the_passages_write_it() -> None:
    passages = [GOLF, VOTES, SHOOTING]
    assert cased_like("who won the british open", passages) == "who won the British Open"
    assert cased_like("what happened at club q?", passages) == "what happened at Club Q?"
    assert cased_like("monkeypox cases in the us", passages) == "monkeypox cases in the US"
    # a name met only where a sentence starts is told by its later words' capitals
    assert cased_like("who is rishi sunak", passages) == "who is Rishi Sunak"


def test_words_the_passages_also_write_in_lower_case_stay_as_typed() -> None:
    passages = [GOLF, VOTES, SHOOTING]
    # "open" and "club" are common words there too, and "us" a pronoun more than the acronym
    assert cased_like("when will the course open", passages) == "when will the course open"
    assert cased_like("which club hosted a drag show", passages) == "which club hosted a drag show"
    told = '"Tell us what you saw," an officer said. "They told us," she said of US officials.'
    assert cased_like("what did the officer tell us", [told]) == "what did the officer tell us"
    # after "the" it is never the pronoun
    assert cased_like("how many cases in the us", [told]) == "how many cases in the US"


def test_the_askers_own_capitals_and_unmentioned_words_stand() -> None:
    passages = [GOLF, VOTES]
    assert cased_like("Who won the British open?", passages) == "Who won the British open?"
    assert cased_like("who won the masters", passages) == "who won the masters"
    # one capitalised mention of a single word is not enough: headings capitalise words too
    assert cased_like("where is westminster", passages) == "where is westminster"
    # words are a phrase only when typed next to each other; alone, "british" is written as a
    # name of its own once ("British lawmakers"): in "British Open" it is part of another
    assert cased_like("british, open", passages) == "british, open"
    assert cased_like("new york", ["He flew to New York. New York is big."]) == "New York"
    assert cased_like("a new plan", ["The New York plan. The New York Times. New Jersey."]) == (
        "a new plan"
    )


def test_a_question_cased_by_its_passages_depends_on_the_name() -> None:
    typed = Question.parse("who won the british open")
    assert typed.entities == ()
    cased = typed.cased_like([GOLF, VOTES])
    assert cased.text == "who won the British Open"
    assert set(cased.entities) == {"British", "Open"}
    assert cased.missing_in("Cameron Smith won the British Open at St Andrews.") == []
    assert typed.cased_like(["nothing about golf"]) is typed


def test_a_name_no_passage_mentions_is_written_as_the_store_writes_it() -> None:
    """The store's `WrittenNames` case what the passages do not mention, so that the answerer
    can say none of them mentions it."""
    store = WrittenNames()
    store.count(
        "Voters in Delaware went to the polls. Officials in Delaware said turnout rose, and "
        "Delaware's governor voted early. In Delaware, polls close at 8 p.m. Shinzo Abe spoke, "
        "and Abe left. Reporters said Abe's car waited. Abe said."
    )
    names = store.names()
    assert names["delaware"] == "Delaware" and names["abe"] == "Abe"
    assert "voters" not in names and "shinzo" not in names  # a first name is not a name's end
    asked = "who won the delaware handicap after abe's death"
    assert cased_like(asked, ["Nothing about horses."], names) == (
        "who won the Delaware handicap after Abe's death"
    )
    assert cased_like("Who won the delaware handicap", [], names) == "Who won the Delaware handicap"
    assert cased_like("Who won in Delaware", [], {"won": "Won"}) == "Who won in Delaware"


def test_a_question_with_capitals_after_its_first_letter_stands_as_typed() -> None:
    """Casing the other words of a question typed with capitals cost right answers on
    RealTime QA as written; its asker writes names with capitals."""
    assert not typed_in_lower_case("Who won the British open?")
    assert typed_in_lower_case("Who won the british open?")
    assert cased_like("Which airline is New?", [GOLF], {"airline": "Airline"}) == (
        "Which airline is New?"
    )
