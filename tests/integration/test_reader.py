"""The trained reader: where the answer is in a passage, whether there is one, and reranking.

Run against the shipped int8 model on the seed articles' real text; nothing is patched.
"""

from __future__ import annotations

import hashlib
import re

from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.answering.reading import clean_span, passage_probability, widened
from rag.reader.model import MODEL, Reader, shared_reader
from rag.reader.rerank import ReaderRerank
from tests.helpers import seed_texts

ARTICLES = seed_texts()
PIER = ARTICLES["002_0cdd084e739fcba0.txt"]
CARD = MODEL.with_name("MODEL_CARD.md")


def test_the_shipped_model_is_the_one_its_card_describes() -> None:
    recorded = re.search(r"sha256: `([0-9a-f]{64})`", CARD.read_text(encoding="utf-8"))
    assert recorded, f"{CARD} records no sha256"
    digest = hashlib.sha256(MODEL.read_bytes()).hexdigest()
    assert digest == recorded.group(1), "the model file changed without its card (retrain?)"
    assert MODEL.stat().st_size <= 30 * 2**20


def test_the_answer_span_is_found_in_plain_wording() -> None:
    at = PIER.index("The $230 million")
    passage = PIER[at - 600 : at + 600]  # about one stored chunk around the answer
    for question in (
        "How much did the pier cost?",
        "what did the gaza pier cost",
        "How much did the floating dock cost?",
    ):
        reading = shared_reader().read(question, [passage])[0]
        assert reading.span_text == "$230 million", question
        assert passage[reading.best.start : reading.best.end] == "$230 million"


def test_a_passage_on_the_subject_that_does_not_answer_scores_below_one_that_does() -> None:
    at = PIER.index("The $230 million")
    answers = PIER[at - 300 : at + 300]
    beside = PIER[:at]  # the ministers' call and the pier's closing, not its cost
    assert "$230" not in beside and "pier" in beside
    a, b = shared_reader().read("How much did the floating dock cost?", [answers, beside])
    assert a.margin > b.margin
    assert passage_probability(a) > passage_probability(b)


def test_a_long_passage_is_read_in_overlapping_windows_and_offsets_stay_true() -> None:
    question = "How much did the floating dock cost?"
    long = PIER * 3  # longer than one window of the model
    reading = Reader().read(question, [long])[0]
    assert len(reading.windows) > 1
    assert long[reading.best.start : reading.best.end] == reading.span_text
    inside = reading.best_within(0, len(PIER))
    assert inside and PIER[inside.start : inside.end] == inside.text


def test_no_span_from_markup_or_across_an_invisible_character() -> None:
    text = 'See <img src="http://127.0.0.1/pier.png"> The dock cost $4\u200b5 million to build.'
    assert not clean_span(text, text.index("127.0"), text.index("127.0") + 5)
    four = text.index("$4")
    assert not clean_span(text, four, four + 2)
    dock = text.index("The dock")
    assert clean_span(text, dock, dock + 8)


def test_the_reranker_keeps_the_answering_passage_retrieval_ranked_last() -> None:
    question = "How much did the floating dock cost?"
    at = PIER.index("The $230 million")
    answers = PIER[at - 300 : at + 300]
    others = [
        text[k : k + 600]
        for text in ARTICLES.values()
        for k in (0, 1200)
        if "$230" not in text[k : k + 600]
    ][:5]
    nodes = [NodeWithScore(node=TextNode(text=t), score=1.0) for t in [*others, answers]]
    kept = ReaderRerank(top_n=3).postprocess_nodes(nodes, query_bundle=QueryBundle(question))
    assert len(kept) == 3
    assert answers in [n.node.get_content() for n in kept]  # retrieved last, kept in the top 3


def test_a_figure_span_keeps_its_currency_and_per_cent_signs() -> None:
    text = "The dock cost $230 million and aid rose 12% in May."
    start = text.index("230")
    assert text[slice(*widened(text, start, start + len("230 million")))] == "$230 million"
    start = text.index("12")
    assert text[slice(*widened(text, start, start + 2))] == "12%"
    start = text.index("cost")
    assert widened(text, start, start + 4) == (start, start + 4)


def test_a_span_is_never_part_of_a_number_or_a_word() -> None:
    text = "Pilots need at least 1,500 hours of flying; the 2.5-mile pier cost $4.2 million."
    start = text.index("500")
    assert text[slice(*widened(text, start, start + 3))] == "1,500"
    start = text.index("5-mile")
    assert text[slice(*widened(text, start, start + 1))] == "2.5"
    start = text.index("ying")
    assert text[slice(*widened(text, start, start + 4))] == "flying"
    start = text.index("2 million")
    assert text[slice(*widened(text, start, start + 9))] == "$4.2 million"
    start = text.index("1,500")  # a whole number stays as it is, its comma unsplit
    assert widened(text, start, start + 5) == (start, start + 5)
