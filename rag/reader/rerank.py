"""Reranking retrieved passages by whether the reader finds the answer in them.

Hybrid retrieval ranks passages by how much they are *about* the question; the reader
(`rag.reader.model`) tells which ones *answer* it. This postprocessor (a llama-index
`BaseNodePostprocessor`, so it sits in the retrieve → postprocess → answer flow like any other)
reads every candidate with the question and keeps the `top_n` whose best answer span scores
highest over "no answer"; a tie keeps retrieval's order. The readings are cached by the reader,
so the answerer that reads the kept passages next does not run the model again.
What it leaves out: the per-article cap and filters (retrieval applied them to the candidates).
"""

from __future__ import annotations

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.reader.model import shared_reader


class ReaderRerank(BaseNodePostprocessor):
    """Keeps the `top_n` candidates the reader is surest answer the question."""

    top_n: int = 6

    @classmethod
    def class_name(cls) -> str:
        return "ReaderRerank"

    def _postprocess_nodes(self, nodes: list[NodeWithScore],
                           query_bundle: QueryBundle | None = None) -> list[NodeWithScore]:
        if query_bundle is None or len(nodes) <= 1:
            return nodes[:self.top_n]
        readings = shared_reader().read(query_bundle.query_str,
                                        [n.node.get_content() for n in nodes])
        order = sorted(range(len(nodes)), key=lambda i: (-readings[i].margin, i))
        return [nodes[i] for i in order[:self.top_n]]
