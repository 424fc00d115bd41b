"""The reader's written training examples: answer-removed negatives and cloze questions."""

from __future__ import annotations

import random

from eval.reader_data import Example
from eval.reader_synth import answer_removed_negatives, cloze_questions

PARAGRAPH = (
    "The harbour bridge opened to traffic in 1932 after eight years of work. "
    "Its builders were paid from a toll that ran until 1988. "
    "The bridge carries eight lanes of road and two railway lines. "
    "Engineer John Bradfield said the arch would outlast the city around it."
)


def _answerable(question: str, answer: str) -> Example:
    return Example("q1", "Bridge", question, PARAGRAPH, [(answer, PARAGRAPH.index(answer))])


def test_answer_removed_negative_keeps_the_subject_and_drops_the_answer() -> None:
    [neg] = answer_removed_negatives(
        [_answerable("When did the bridge open?", "1932")], random.Random(1)
    )
    assert neg.answers == [] and neg.synthetic
    assert "1932" not in neg.context
    assert "eight lanes" in neg.context and "toll" in neg.context  # the neighbours stay
    assert neg.question == "When did the bridge open?"


def test_no_negative_when_the_answer_is_said_again_elsewhere() -> None:
    # "eight" is in the first sentence and the third: cutting one still leaves the answer
    ex = _answerable("How many lanes does the bridge carry?", "eight")
    assert answer_removed_negatives([ex], random.Random(1)) == []


def test_unanswerable_examples_get_no_negative() -> None:
    ex = Example("q2", "Bridge", "Who painted it?", PARAGRAPH, [])
    assert answer_removed_negatives([ex], random.Random(1)) == []


def test_cloze_questions_ask_for_a_span_of_the_paragraph_by_its_kind() -> None:
    found = cloze_questions([("Bridge", PARAGRAPH)], random.Random(3), per_kind=50)
    assert found, "the paragraph holds years, figures and a person"
    for ex in found:
        [(value, at)] = ex.answers
        assert PARAGRAPH[at : at + len(value)] == value
        assert value not in ex.question
        assert ex.question.endswith("?")
    asked = {ex.answers[0][0]: ex.question.split()[0] for ex in found}
    assert asked.get("1932") in (None, "When")
    assert asked.get("1988") in (None, "When")
    if "John Bradfield" in asked:
        assert asked["John Bradfield"] == "Who"  # a name that said something


def test_cloze_questions_are_capped_per_wh_word() -> None:
    paragraphs = [("Bridge", PARAGRAPH)] * 20
    found = cloze_questions(paragraphs, random.Random(3), per_kind=2)
    firsts = [
        " ".join(ex.question.split()[:2]) if ex.question[:3] == "How" else ex.question.split()[0]
        for ex in found
    ]
    assert max(firsts.count(w) for w in set(firsts)) <= 2
