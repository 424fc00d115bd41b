"""`rag doctor`'s checks of the persisted BM25 index against the store.

`persisted_mismatch()` is the deep check: the saved index must give every stored chunk, with
its text, exactly the term scores a fresh build gives (a file edited or shuffled but still
well-formed would otherwise answer from the wrong chunks). `persisted_chunk_count()` is the
cheap one. Rebuilding what they find wrong is `rag.index.bm25`'s job.
"""

from __future__ import annotations

from typing import cast

from llama_index.core.vector_stores.utils import metadata_dict_to_node

from rag.index.bm25 import GENERATION_FILE, index_nodes, stored_nodes
from rag.index.bm25_search import MatchingBM25Retriever
from rag.index.store import Store


def _postings(
    retriever: MatchingBM25Retriever,
) -> tuple[dict[str, str], set[tuple[str, str, float]]]:
    """Each chunk's text by node id, and every (node id, term, score) the index holds: what
    the index says, independent of the order chunks were stored in."""
    import numpy as np

    nodes = [metadata_dict_to_node(entry) for entry in retriever.corpus]
    ids = [n.node_id for n in nodes]
    texts = {n.node_id: n.get_content() for n in nodes}
    index = retriever.bm25.scores
    vocab = {v: k for k, v in retriever.bm25.vocab_dict.items()}
    indptr, rows, data = (np.asarray(index[k]) for k in ("indptr", "indices", "data"))
    found: set[tuple[str, str, float]] = set()
    for column in range(len(indptr) - 1):
        term = vocab.get(column, f"#{column}")
        for at in range(int(indptr[column]), int(indptr[column + 1])):
            found.add((ids[int(rows[at])], term, round(float(data[at]), 4)))
    return texts, found


def persisted_chunk_count(store: Store) -> int:
    """How many chunks the persisted index holds (0: none saved). Cheap: counts lines."""
    corpus = store.settings.bm25_dir / "corpus.jsonl"
    if not corpus.is_file():
        return 0
    with corpus.open("rb") as lines:
        return sum(1 for line in lines if line.strip())


def persisted_mismatch(store: Store) -> str | None:
    """Why the persisted index does not reflect the store (None: it does).

    Checks the generation marker, then rebuilds in memory and compares chunk texts and every
    term score by chunk id, so a shuffled or edited but well-formed file is caught.
    """
    target = store.settings.bm25_dir
    marker = target / GENERATION_FILE
    fresh = index_nodes(stored_nodes(store), 1)
    if fresh is None:
        return None
    if not marker.exists():
        return "BM25 index is missing"
    if marker.read_text() != store.generation():
        return "BM25 index is out of step with the store"
    try:
        saved = cast(MatchingBM25Retriever, MatchingBM25Retriever.from_persist_dir(str(target)))
        saved_texts, saved_postings = _postings(saved)
    except Exception as err:  # any damage at all: the index is derived state
        return f"BM25 index at {target} is unreadable ({type(err).__name__})"
    texts, postings = _postings(fresh)
    if saved_texts != texts:
        return "BM25 index is out of step with the store"  # other chunks or texts
    if saved_postings != postings:
        return "BM25 index scores do not match the stored chunks (scrambled)"
    return None
