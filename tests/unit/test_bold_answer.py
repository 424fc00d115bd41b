"""The bold short answer: the reader's span, shown only when it stands on its own."""

from __future__ import annotations

from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.extractive import bold_answer
from rag.answering.reading import Calibration
from rag.answering.scoring import Sentence

SURE = Calibration(scale=0.1, bias=0.0, answer_bar=0.3, bold_bar=0.5)
TEXT = (
    "For his part, Gallant detailed the strike targeting Mohammed Deif, calling him the "
    "“Osama bin Laden of Gaza,” according to the readout."
)


def sentence(span: str, score: float = 0.9) -> Sentence:
    node = NodeWithScore(node=TextNode(text=TEXT), score=1.0)
    return Sentence(TEXT, 0, len(TEXT), node, 1, score=score, span=span)


def test_a_span_cut_out_of_a_quotation_is_not_bold() -> None:
    question = "Who is the head of Hamas's terror army?"
    assert bold_answer(sentence("Osama bin Laden"), "person", question, SURE) is None
    assert bold_answer(sentence("Mohammed Deif"), "person", question, SURE) == "Mohammed Deif"


def test_a_whole_quotation_and_a_sure_span_are_bold_and_an_unsure_one_is_not() -> None:
    question = "What did Gallant call Deif?"
    assert (
        bold_answer(sentence("Osama bin Laden of Gaza"), None, question, SURE)
        == "Osama bin Laden of Gaza"
    )
    assert bold_answer(sentence("Osama bin Laden of Gaza", score=0.4), None, question, SURE) is None
