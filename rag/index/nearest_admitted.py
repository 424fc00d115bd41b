"""The dense half of retrieval under a filter that admits many chunks, without Chroma's filter.

Chroma's `where` clause on dates makes its dense search slow at archive size: 300-470 ms for
a question asked as of a day over 68k chunks, against 10 ms unfiltered. `NearestAdmitted`
asks for the nearest chunks unfiltered, ids only, enough of them that the filter should
admit the `k` wanted; keeps those the filter admits (judged on the BM25 columns in memory);
and reads those `k` by their ids. When fewer than `k` of them are admitted it searches with
the filter as before, so the result is always the filter's own nearest `k`. What it leaves
out: deciding when to use it (`rag.retrieval`) and narrow filters, which are searched by the
ids they admit.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from llama_index.core import VectorStoreIndex
from llama_index.core.retrievers import VectorIndexRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilters

# how many times more chunks than the filter should need are fetched unfiltered
MARGIN = 3


class NearestAdmitted(VectorIndexRetriever):
    """Dense search for the `similarity_top_k` nearest chunks the filter admits."""

    def __init__(
        self,
        index: VectorStoreIndex,
        similarity_top_k: int,
        filters: MetadataFilters,
        admits: Callable[[str], bool],
        fetch: int,
        chunks: Any,
    ) -> None:
        """`admits` judges a node id as `filters` would; `fetch` is how many of the nearest
        chunks to look through; `chunks` is the Chroma collection the index reads."""
        super().__init__(index=index, similarity_top_k=similarity_top_k, filters=filters)
        self._admits = admits
        self._fetch = fetch
        self._chunks = chunks

    @staticmethod
    def fetch_for(k: int, share: float) -> int:
        """How many nearest chunks to look through for `k` that a filter admitting `share`
        of all chunks passes (the nearest ones are not spread evenly over the dates)."""
        return math.ceil(k / max(share, 1e-9) * MARGIN)

    def _get_nodes_with_embeddings(
        self, query_bundle_with_embeddings: QueryBundle
    ) -> list[NodeWithScore]:
        k = self._similarity_top_k
        near = self._chunks.query(
            query_embeddings=[query_bundle_with_embeddings.embedding],
            n_results=self._fetch,
            include=[],
        )["ids"][0]
        kept = [i for i in near if self._admits(i)][:k]
        if len(kept) < k and len(near) == self._fetch:  # the filter's nearest lie further out
            return super()._get_nodes_with_embeddings(query_bundle_with_embeddings)
        if not kept:
            return []
        by_ids = VectorIndexRetriever(
            index=self._index, similarity_top_k=len(kept), vector_store_kwargs={"ids": kept}
        )
        return by_ids._get_nodes_with_embeddings(query_bundle_with_embeddings)
