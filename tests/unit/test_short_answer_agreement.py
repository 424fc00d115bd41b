"""The short answer the close sentences agree on (`rag.answering.short`), not the best one's."""

from __future__ import annotations

from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.reading import Calibration
from rag.answering.scoring import Sentence
from rag.answering.short import agreed_answer, answer_first
from rag.text.question import Question

CAL = Calibration(scale=0.1, bias=0.0, answer_bar=0.3, bold_bar=0.6, agreement=0.15)
QUESTION = Question("Which automaker recalled 2.9 million vehicles this week?")
BUYBACK = (
    "Regulators imposed the largest vehicle buyback program in its history on Fiat Chrysler "
    "Automobiles."
)
RECALL = "Ford Motor Co. is recalling 2.9 million vehicles that may roll away while parked."
COPY = "Ford said the recall covers 2.9 million vehicles in the United States."


def sentence(text: str, span: str, score: float) -> Sentence:
    """A scored sentence as the reader leaves it (no reading: the span is the answer)."""
    node = NodeWithScore(node=TextNode(text=text), score=1.0)
    return Sentence(text, 0, len(text), node, 0, score=score, span=span)


def test_the_answer_written_by_several_close_sentences_beats_the_best_ones_alone() -> None:
    best = sentence(BUYBACK, "Fiat Chrysler Automobiles", 0.50)
    recall = sentence(RECALL, "Ford Motor Co", 0.47)
    copy = sentence(COPY, "Ford", 0.45)
    short, holder = agreed_answer([best, recall, copy], QUESTION, CAL) or ("", None)
    assert short == "Ford"
    # the best sentence writing it is quoted, though its own span was longer
    assert holder is recall


def test_the_sentence_quoted_first_writes_the_answer_letter_for_letter() -> None:
    """RealTime QA: "Thwaites Glacier" was supported by a sentence writing "Thwaites glacier";
    the bold answer must be a verbatim span of the sentence its citation follows."""
    question = Question("Which glacier could raise sea levels by several feet?")
    lower = sentence("Antarctica's Thwaites glacier is melting fast, scientists said.", "", 0.6)
    upper = sentence("The Thwaites Glacier could raise sea levels by several feet.", "", 0.5)
    upper.span = "Thwaites Glacier"
    short, holder = agreed_answer([lower, upper], question, CAL) or ("", None)
    assert short == "Thwaites Glacier" and holder is upper


def test_sentences_far_below_the_best_or_under_the_bar_lend_no_support() -> None:
    best = sentence(BUYBACK, "Fiat Chrysler Automobiles", 0.50)
    far = [sentence(RECALL, "Ford Motor Co", 0.34), sentence(COPY, "Ford", 0.33)]
    assert agreed_answer([best, *far], QUESTION, CAL) == ("Fiat Chrysler Automobiles", best)
    low = Calibration(answer_bar=0.48, bold_bar=0.6, agreement=0.15)
    near = [sentence(RECALL, "Ford Motor Co", 0.47), sentence(COPY, "Ford", 0.45)]
    assert agreed_answer([best, *near], QUESTION, low) == ("Fiat Chrysler Automobiles", best)


def test_no_agreement_margin_keeps_the_best_sentences_own_answer() -> None:
    best = sentence(BUYBACK, "Fiat Chrysler Automobiles", 0.50)
    rest = [sentence(RECALL, "Ford Motor Co", 0.47), sentence(COPY, "Ford", 0.45)]
    alone = Calibration(answer_bar=0.3, bold_bar=0.6, agreement=0.0)
    assert agreed_answer([best, *rest], QUESTION, alone) == ("Fiat Chrysler Automobiles", best)


def test_the_sentence_holding_the_agreed_answer_is_quoted_first_and_bold_follows_it() -> None:
    best = sentence(BUYBACK, "Fiat Chrysler Automobiles", 0.65)
    recall = sentence(RECALL, "Ford Motor Co", 0.55)
    copy = sentence(COPY, "Ford", 0.52)
    quoted, short, sure = answer_first([best, recall], [best, recall, copy], QUESTION, CAL, 2)
    assert [s.text for s in quoted] == [RECALL, BUYBACK]
    assert (short, sure) == ("Ford", False)  # 0.55 is under the bold bar, though 0.65 was not


def test_without_any_short_answer_the_quotes_stay_as_picked() -> None:
    plain = [sentence(RECALL, "", 0.5), sentence(COPY, "", 0.45)]
    assert answer_first(plain, plain, QUESTION, CAL, 2) == (plain, None, False)
