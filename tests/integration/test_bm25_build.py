"""The BM25 index is built from stored chunks read one at a time, and is the index
llama-index's `BM25Retriever(nodes=...)` builds from the same chunks held all at once."""

from __future__ import annotations

import pytest
from llama_index.core.schema import QueryBundle

from rag.index.bm25 import index_nodes, stored_nodes
from rag.index.bm25_search import MatchingBM25Retriever
from rag.index.store import Store
from rag.settings import Settings


@pytest.mark.usefixtures("seeded_data")
def test_the_streamed_build_is_llama_indexs_build(settings: Settings) -> None:
    store = Store.open(settings)
    nodes = list(stored_nodes(store))
    assert len(nodes) > 10
    ours = index_nodes(iter(nodes), 20)
    theirs = MatchingBM25Retriever(nodes=nodes, similarity_top_k=20)
    assert ours is not None
    assert ours.corpus == theirs.corpus
    assert ours.bm25.vocab_dict == theirs.bm25.vocab_dict
    for key in ("data", "indices", "indptr"):
        assert (ours.bm25.scores[key] == theirs.bm25.scores[key]).all(), key
    for question in ("How much did the pier cost?", "Hochstein Gallant window", "Deif"):
        found = [(n.node.node_id, n.score) for n in ours.retrieve(QueryBundle(question))]
        assert found and found == [
            (n.node.node_id, n.score) for n in theirs.retrieve(QueryBundle(question))
        ]


def test_no_chunks_no_index() -> None:
    assert index_nodes(iter([]), 20) is None
