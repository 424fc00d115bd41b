"""Older news gives way to newer: an older article's sentence ranks below the news days'
one, is still quoted beside it when it read as well, and is never refused for its age."""

from __future__ import annotations

from datetime import date

from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.scoring import Sentence, pick
from rag.answering.staleness import discount_stale
from rag.text.question import Question

ASKED = Question("Who won the Stanley Cup?", date(2022, 6, 29))  # news days: June 19 to 30


def said(text: str, published: str | None, score: float) -> Sentence:
    meta = {"doc_id": text[:12], **({"date": published} if published else {})}
    node = NodeWithScore(node=TextNode(text=text, metadata=meta), score=1.0)
    return Sentence(text, 0, len(text), node, 1, score=score)


def test_an_older_articles_sentence_ranks_below_the_news_days_but_is_still_quoted() -> None:
    new = said("The Colorado Avalanche won the Stanley Cup on Sunday.", "2022-06-27", 0.60)
    old = said("The Tampa Bay Lightning won the Stanley Cup Final again.", "2021-07-08", 0.65)
    undated = said("The Stanley Cup is the oldest trophy in North American sport.", None, 0.55)
    discount_stale(ASKED, [new, old, undated], cost=0.2, floor=0.28)
    assert old.score < new.score and abs(old.stale_by - 0.13) < 1e-9
    assert (new.score, undated.score, new.stale_by) == (0.60, 0.55, 0.0)
    quoted = pick([old, undated, new], threshold=0.28, limit=3, margin=0.1)
    assert quoted == [new, old, undated]  # the old one read within the margin of the best


def test_an_older_article_that_alone_answers_still_answers() -> None:
    new = said("Fans lined the streets of Denver on Wednesday.", "2022-06-28", 0.10)
    old = said("The Tampa Bay Lightning won the Stanley Cup Final again.", "2021-07-08", 0.30)
    discount_stale(ASKED, [new, old], cost=0.5, floor=0.28)
    assert old.score == 0.28 and pick([new, old], threshold=0.28, limit=2) == [old]


def test_nothing_changes_without_a_passage_from_the_news_days_or_a_cost() -> None:
    old = said("The Tampa Bay Lightning won the Stanley Cup Final again.", "2021-07-08", 0.65)
    older = said("The Lightning won the Stanley Cup in 2020 too.", "2020-09-29", 0.60)
    discount_stale(ASKED, [old, older], cost=0.5, floor=0.28)
    assert (old.score, older.score) == (0.65, 0.60)
    new = said("The Colorado Avalanche won the Stanley Cup on Sunday.", "2022-06-27", 0.60)
    discount_stale(ASKED, [old, new], cost=0.0, floor=0.28)
    assert old.score == 0.65
