"""Reranking retrieved passages by whether the reader finds the answer in them.

Hybrid retrieval ranks passages by how much they are *about* the question; the reader
(`rag.reader.model`) tells which ones *answer* it. This postprocessor (a llama-index
`BaseNodePostprocessor`, so it sits in the retrieve → postprocess → answer flow like any other)
reads every candidate with the question, ranks them by how far their best answer span scores
over "no answer", and keeps the `top_n` best by reciprocal-rank fusion of that ranking with
retrieval's (the reader alone is a worse ranker than retrieval on our gold sets, the two
together better, measured in eval/findings/realtimeqa-2022.md). The readings are cached by
the reader, so the answerer that reads the kept passages next does not run the model again.
What it leaves out: the per-article cap and filters (retrieval applied them to the candidates).
"""

from __future__ import annotations

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.reader.model import shared_reader

RRF_K = 60  # the constant of Cormack et al.'s reciprocal rank fusion, as retrieval uses


class ReaderRerank(BaseNodePostprocessor):
    """Keeps the `top_n` candidates the reader is surest answer the question."""

    top_n: int = 6

    @classmethod
    def class_name(cls) -> str:
        return "ReaderRerank"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        if query_bundle is None or len(nodes) <= 1:
            return nodes[: self.top_n]
        readings = shared_reader().read(
            query_bundle.query_str, [n.node.get_content() for n in nodes]
        )
        by_reader = sorted(range(len(nodes)), key=lambda i: (-readings[i].margin, i))
        reader_rank = {i: r for r, i in enumerate(by_reader)}
        fused = sorted(
            range(len(nodes)), key=lambda i: (-(1 / (RRF_K + i) + 1 / (RRF_K + reader_rank[i])), i)
        )
        return [nodes[i] for i in fused[: self.top_n]]
