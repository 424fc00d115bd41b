"""Refusal trade-off: the extractive answerer's relevance bar (`RAG_MIN_ANSWER_SCORE`) swept
over a finished `rag eval` run, re-reading each question's stored passages (no retrieval
again, ~5 min for the 609 realtimeqa questions).

    RAG_DATA_DIR=… python -m eval.findings.refusal_sweep runs/NAME

At bar t a question is refused when a name it asks about is missing from its passages, when
the run refused it before reading (no passages: nothing from the asked-about days), or when
its best sentence scores below t; an answered one's "contains" is that of the answer given
with the bar at 0 (runner-ups are chosen relative to the best sentence, so they do not
depend on the bar). At the default bar it reproduces the run's own figures.

An analysis, not part of the harness: it reads the answerer's sentence scores, which no
public name of `rag` exposes (the harness itself uses only those).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from llama_index.core.schema import NodeWithScore, TextNode

from eval.metrics import contains
from rag.answering.extractive import ExtractiveAnswerer
from rag.answering.scoring import score_sentences, split_sentences
from rag.index.embedder import get_embed_model
from rag.settings import Settings
from rag.text.answer_kinds import answer_kind
from rag.text.lexicon import missing_entities

BARS = [0.30, 0.35, 0.40, 0.42, 0.45, 0.48, 0.50, 0.55, 0.60, 0.65, 0.70]


def question_scores(result: dict, answerer: ExtractiveAnswerer) -> dict:
    """For one stored result: answerable?, refused whatever the bar?, best sentence score,
    and whether the answer given at bar 0 contains the gold."""
    gold = result["gold"]
    item = {"answerable": gold["answerable"], "best": None, "always_refused": False,
            "hit": 0.0}
    if not result["passages"]:
        item["always_refused"] = True  # refused before reading (nothing from those days)
        return item
    nodes = [NodeWithScore(node=TextNode(text=p["text"], id_=p["chunk_id"], metadata={
        "doc_id": p["doc"], "title": p["title"], "date": p["date"] or "",
        "source": p["source"], "url": p["url"], "start": p["start"]}), score=p["score"])
        for p in result["passages"]]
    question = result["question"]
    if missing_entities(question, " ".join(n.node.get_content() for n in nodes)):
        item["always_refused"] = True
        return item
    sentences = split_sentences(nodes)
    score_sentences(question, sentences, answerer._embed, None, answer_kind(question))
    item["best"] = max((s.score for s in sentences), default=0.0)
    if gold["answerable"]:
        item["hit"] = contains(answerer.answer(question, nodes).answer, gold["answers"])
    return item


def sweep(items: list[dict]) -> str:
    """The table: per bar, refusal rates, contains and accuracy."""
    answerable = [i for i in items if i["answerable"]]
    unanswerable = [i for i in items if not i["answerable"]]
    lines = [f"{len(answerable)} answerable, {len(unanswerable)} unanswerable",
             "| bar | unanswerable refused | answerable refused | contains | accuracy |",
             "|---|---|---|---|---|"]
    for bar in BARS:
        def refused(i: dict) -> bool:
            return i["always_refused"] or i["best"] is None or i["best"] < bar
        right = sum(i["hit"] for i in answerable if not refused(i))
        unans = sum(map(refused, unanswerable))
        lines.append(f"| {bar:.2f} | {unans / len(unanswerable):.3f} | "
                     f"{sum(map(refused, answerable)) / len(answerable):.3f} | "
                     f"{right / len(answerable):.3f} | {(right + unans) / len(items):.3f} |")
    return "\n".join(lines)


def main(run: Path) -> None:
    settings = Settings()
    answerer = ExtractiveAnswerer(get_embed_model(settings), 0.0,
                                  settings.max_answer_sentences)
    rows = [json.loads(line) for line in (run / "results.jsonl").open(encoding="utf-8")]
    items = [question_scores(r, answerer) for r in rows]
    (run / "sweep-items.json").write_text(json.dumps(items), encoding="utf-8")
    print(sweep(items))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
