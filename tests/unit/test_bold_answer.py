"""The short answer: the reader's span when it stands on its own, bold only when sure."""

from __future__ import annotations

from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.reading import Calibration
from rag.answering.scoring import Sentence
from rag.answering.short import short_and_sure

SURE = Calibration(scale=0.1, bias=0.0, answer_bar=0.3, bold_bar=0.5)
TEXT = (
    "For his part, Gallant detailed the strike targeting Mohammed Deif, calling him the "
    "“Osama bin Laden of Gaza,” according to the readout."
)


def sentence(span: str, score: float = 0.9) -> Sentence:
    node = NodeWithScore(node=TextNode(text=TEXT), score=1.0)
    return Sentence(TEXT, 0, len(TEXT), node, 1, score=score, span=span)


def test_a_span_cut_out_of_a_quotation_is_no_short_answer() -> None:
    question = "Who is the head of Hamas's terror army?"
    assert short_and_sure([sentence("Osama bin Laden")], question, SURE) == (None, False)
    assert short_and_sure([sentence("Mohammed Deif")], question, SURE) == ("Mohammed Deif", True)


def test_a_whole_quotation_is_a_short_answer_bold_only_when_the_reader_is_sure() -> None:
    question = "What did Gallant call Deif?"
    sure = short_and_sure([sentence("Osama bin Laden of Gaza")], question, SURE)
    assert sure == ("Osama bin Laden of Gaza", True)
    unsure = short_and_sure([sentence("Osama bin Laden of Gaza", score=0.4)], question, SURE)
    assert unsure == ("Osama bin Laden of Gaza", False)


def test_the_short_answer_comes_from_the_first_quoted_sentence_that_holds_one() -> None:
    question = "Who is the head of Hamas's terror army?"
    quoted = [sentence("Osama bin Laden", score=0.9), sentence("Mohammed Deif", score=0.4)]
    assert short_and_sure(quoted, question, SURE) == ("Mohammed Deif", False)


def test_a_possessive_stays_with_the_sentence_not_the_short_answer() -> None:
    """RealTime QA: "Northeastern University’s" was scored wrong against "Northeastern
    University"; the name is the answer, the possessive the sentence's grammar."""
    text = "Northeastern University’s admissions office sent 4,000 acceptance letters by mistake."
    node = NodeWithScore(node=TextNode(text=text), score=1.0)
    said = Sentence(text, 0, len(text), node, 1, score=0.9, span="Northeastern University’s")
    question = "Which university sent out 4,000 acceptance letters by mistake?"
    assert short_and_sure([said], question, SURE) == ("Northeastern University", True)
