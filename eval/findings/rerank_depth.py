"""How far reranking could lift passage hit@5: where each answerable question's gold passage
ranks among deeper candidates, and hit@5 when the trained reader reorders them.

For each answerable gold question, asked as of its day as `rag eval` asks it, retrieval is run
as the assistant runs it with `rerank_candidates` N (N = 6, 12, 20, 30: the same filters, news
days and per-article cap; deeper N also draws deeper candidate lists before fusion). Each list
is read by the shipped reader. Printed per N: hit@5 in retrieval's order, after the reader's
reranking as shipped (`ReaderRerank`: reciprocal-rank fusion of both orders), by the reader
alone, and the ceiling (a gold passage anywhere in the N: what a perfect reranker would reach);
then, at the deepest N, why the misses miss (the gold article among the candidates with
another of its passages, or not at all).

    RAG_DATA_DIR=… RAG_COLLECTION=… python -m eval.findings.rerank_depth GOLD [--out ROWS.jsonl]

It reads the store the settings name and writes nothing but ROWS. What it leaves out: the
answers (reranking changes which sentences compete; `rag eval` with `RAG_RERANK_CANDIDATES`
measures that) and multi-part questions' own per-part searches.
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import asdict
from pathlib import Path
from typing import Any

from llama_index.core.schema import NodeWithScore, QueryBundle

from eval.gold import load_gold
from eval.metrics import passage_is_relevant
from rag import Assistant, Question, ReaderRerank, Settings, shared_reader, to_passages

DEPTHS = (6, 12, 20, 30)


class _Searched(Exception):
    """Carries the candidate lists out of `Assistant.ask` before anything is answered."""


class _Probe(Assistant):
    """The assistant up to its search: `ask` narrows filters and news days as it always does,
    then this search raises the lists for every depth instead of answering."""

    def _passages(  # type: ignore[override]
        self,
        question: Question,
        filters: Any,
        top_k: int,
        prefer: Any,
        whole: bool = False,
        search_preferred: bool = True,
        must_name: Any = None,
    ) -> list[NodeWithScore]:
        bundle = QueryBundle(question.text)
        found = {
            n: self.retriever.search(
                bundle,
                filters,
                n,
                prefer=prefer,
                search_preferred=search_preferred,
                must_name=must_name,
            )
            for n in DEPTHS
        }
        raise _Searched(question.text, found)


def _hit(order: list[int], relevant: list[bool]) -> bool:
    return any(relevant[i] for i in order[:5])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--out", type=Path, help="one JSON row per question")
    args = parser.parse_args()
    assistant = _Probe.from_settings(Settings())
    reader = shared_reader()
    rows: list[dict[str, Any]] = []
    out = args.out.open("w", encoding="utf-8") if args.out else None
    for item in load_gold(args.gold):
        if not item.answerable:
            continue
        try:
            assistant.ask(item.question, as_of=item.as_of)
            continue  # refused before searching (a day with no article): nothing to rank
        except _Searched as searched:
            text, found = searched.args
        evidence = [{"doc": e.doc, "quote": e.quote} for e in item.evidence]
        row: dict[str, Any] = {"id": item.id, "gold_docs": [e.doc for e in item.evidence]}
        for n, nodes in found.items():
            passages = [asdict(p) for p in to_passages(nodes)]
            row[f"relevant{n}"] = [passage_is_relevant(p, evidence) for p in passages]
            # the shipped reranker itself (its readings are the reader's cache for the margins)
            reranked = ReaderRerank(top_n=len(nodes)).postprocess_nodes(
                nodes, query_bundle=QueryBundle(text)
            )
            row[f"reranked{n}"] = [
                passage_is_relevant(asdict(p), evidence) for p in to_passages(reranked)
            ]
            row[f"docs{n}"] = [p["doc"] for p in passages]
            row[f"margin{n}"] = [r.margin for r in reader.read(text, [p["text"] for p in passages])]
        rows.append(row)
        if out:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} answerable questions")
    print("| candidates | retrieval order | reader reranking (shipped) | reader alone | ceiling |")
    print("|---|---|---|---|---|")
    for n in DEPTHS:
        rel = [r[f"relevant{n}"] for r in rows]
        margins = [r[f"margin{n}"] for r in rows]
        cells = [
            statistics.mean(_hit(list(range(len(x))), x) for x in rel),
            statistics.mean(
                _hit(list(range(len(x))), x) for x in (r[f"reranked{n}"] for r in rows)
            ),
            statistics.mean(
                _hit(sorted(range(len(m)), key=lambda i: -m[i]), x) for x, m in zip(rel, margins)
            ),
            statistics.mean(any(x) for x in rel),
        ]
        print(f"| {n} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    deepest = DEPTHS[-1]
    missed = [r for r in rows if not any(r[f"relevant{deepest}"])]
    other_passage = sum(bool(set(r["gold_docs"]) & set(r[f"docs{deepest}"])) for r in missed)
    print(
        f"gold passage not among {deepest}: {len(missed)} ({other_passage} with the gold article "
        f"there by another passage, {len(missed) - other_passage} without it)"
    )


if __name__ == "__main__":
    main()
