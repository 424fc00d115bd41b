"""The BM25 half of hybrid retrieval, persisted with the store and kept in step with it.

The index is built from every stored chunk with llama-index's `BM25Retriever` (bm25s) and
saved under `<data_dir>/bm25/<collection>/` together with the store generation it reflects.
A reader whose generation differs (another ingest ran, possibly in another process against a
Chroma server) rebuilds it; the swap is atomic so a crash never leaves half an index.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores.types import MetadataFilters
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

from rag.store import Store

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
GENERATION_FILE = "generation.txt"


class MatchingBM25Retriever(BM25Retriever):
    """BM25 that returns only chunks sharing at least one term with the query.

    bm25s fills its top-k with zero-score (or filtered-out) chunks when few match; those are
    not evidence of anything and must not reach the fusion step.
    """

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [hit for hit in super()._retrieve(query_bundle) if (hit.score or 0) > 0]


def _stored_nodes(store: Store) -> list[TextNode]:
    nodes = []
    for record in store.chunk_records():
        node = metadata_dict_to_node(record["metadata"], text=record["text"])
        nodes.append(node)
    return nodes


def build_bm25(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    """Rebuild and persist the index for the store's current generation (None if empty)."""
    generation = store.generation()
    nodes = _stored_nodes(store)
    target = store.settings.bm25_dir
    if not nodes:
        shutil.rmtree(target, ignore_errors=True)
        return None
    retriever = MatchingBM25Retriever(nodes=nodes, similarity_top_k=min(top_k, len(nodes)))
    retriever.bm25.corpus = retriever.corpus  # what a reload gives; filtered views need it
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=target.parent))
    retriever.persist(str(tmp), show_progress=False)
    (tmp / GENERATION_FILE).write_text(generation)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return retriever


def load_bm25(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    """The persisted index if it matches the store's generation, else a fresh build."""
    target = store.settings.bm25_dir
    marker = target / GENERATION_FILE
    if marker.exists() and marker.read_text() == store.generation():
        try:
            retriever = MatchingBM25Retriever.from_persist_dir(str(target))
            retriever.similarity_top_k = min(top_k, len(retriever.corpus))
            return retriever
        except Exception as err:  # a damaged index is derived state: rebuild it
            log.warning("BM25 index at %s unreadable (%s); rebuilding it", target, err)
    return build_bm25(store, top_k)


def filtered(base: MatchingBM25Retriever, filters: MetadataFilters | None, top_k: int
             ) -> MatchingBM25Retriever | None:
    """A view of `base` restricted to chunks matching `filters` (None when none match)."""
    if filters is None or not filters.filters:
        return base
    try:
        return MatchingBM25Retriever(existing_bm25=base.bm25, filters=filters,
                             similarity_top_k=min(top_k, len(base.corpus)))
    except ValueError:  # bm25s raises when the filters leave nothing
        return None
