"""The BM25 half of hybrid retrieval, persisted with the store and kept in step with it.

The index is built from every stored chunk with llama-index's `BM25Retriever` (bm25s) and
saved under `<data_dir>/bm25/<collection>/` together with the store generation it reflects.
A reader whose generation differs (another ingest ran, possibly in another process against a
Chroma server) rebuilds it; the swap is atomic so a crash never leaves half an index.
`persisted_mismatch()` is `rag doctor`'s deep check: the saved index must give every stored
chunk, with its text, exactly the term scores a fresh build gives (a file edited or shuffled
but still well-formed would otherwise answer from the wrong chunks).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, cast

from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

from rag.index.store import Store

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
GENERATION_FILE = "generation.txt"


class MatchingBM25Retriever(BM25Retriever):
    """BM25 that returns only chunks sharing at least one term with the query.

    bm25s fills its top-k with zero-score (or filtered-out) chunks when few match; those are
    not evidence of anything and must not reach the fusion step. Selecting among the matching
    chunks only is also what keeps it fast: bm25s partitions the whole score array, and
    numpy's partition degrades on an array that is almost all zeros (14 ms instead of 1 ms at
    100k chunks).
    """

    # the library's 0/1 list, or the float32 array `_mask` turns it into (what bm25s takes)
    corpus_weight_mask: Any

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        import bm25s
        import numpy as np

        tokens = bm25s.tokenize(
            query_bundle.query_str,
            token_pattern=self.token_pattern,
            stemmer=None if self.skip_stemming else self.stemmer,
            return_ids=False,
            show_progress=False,
        )[0]
        ids = self.bm25.get_tokens_ids(tokens)
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids, weight_mask=self._mask())
        hits = np.flatnonzero(scores > 0)
        k = self.similarity_top_k
        if len(hits) > k:
            hits = hits[np.argpartition(scores[hits], -k)[-k:]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [
            NodeWithScore(node=metadata_dict_to_node(self.corpus[int(i)]), score=float(scores[i]))
            for i in hits
        ]

    def _mask(self) -> Any:
        """The filter as a 0/1 array over the corpus (None: no filter), converted once."""
        import numpy as np

        if self.corpus_weight_mask is not None and not isinstance(
            self.corpus_weight_mask, np.ndarray
        ):
            self.corpus_weight_mask = np.asarray(self.corpus_weight_mask, dtype=np.float32)
        return self.corpus_weight_mask


def _stored_nodes(store: Store) -> list[BaseNode]:
    nodes = []
    for record in store.chunk_records():
        node = metadata_dict_to_node(record["metadata"], text=record["text"])
        nodes.append(node)
    return nodes


@contextmanager
def _one_at_a_time(store: Store) -> Iterator[None]:
    """Hold the lock on the persisted index: several processes share it (the workers of
    `rag serve --workers N`, an ingest, `rag doctor --repair`). Without it two of them
    swapping in a rebuilt index at once fail on the rename (a directory cannot replace a
    non-empty one), and a reader between two renames finds no index. Held while one process
    checks, rebuilds and swaps, so the others then load its result instead of each
    rebuilding the same generation. A read-only store persists nothing and needs no lock."""
    if store.read_only:
        yield
        return
    from filelock import FileLock  # as the store's write lock (rag.index.writers)

    target = store.settings.bm25_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    # the store's lock first (shared, or already held by a writer), as writers take both
    with store.reading(), FileLock(str(target.parent / f".{target.name}.lock")):
        yield


def build_bm25(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    """Rebuild and persist the index for the store's current generation (None if empty)."""
    with _one_at_a_time(store):
        return _build(store, top_k)


def _build(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    generation = store.generation()
    nodes = _stored_nodes(store)
    target = store.settings.bm25_dir
    if not nodes:
        if not store.read_only:
            shutil.rmtree(target, ignore_errors=True)
        return None
    retriever = MatchingBM25Retriever(nodes=nodes, similarity_top_k=min(top_k, len(nodes)))
    retriever.bm25.corpus = retriever.corpus  # what a reload gives; filtered views need it
    if store.read_only:
        log.warning(
            "BM25 index at %s is out of date and the store is read-only; built it in "
            "memory for this run.",
            target,
        )
        return retriever
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=target.parent))
    try:
        retriever.persist(str(tmp), show_progress=False)
        (tmp / GENERATION_FILE).write_text(generation)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # never leave half an index behind
        raise
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return retriever


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
    nodes = _stored_nodes(store)
    if not nodes:
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
    fresh = MatchingBM25Retriever(nodes=nodes, similarity_top_k=1)
    texts, postings = _postings(fresh)
    if saved_texts != texts:
        return "BM25 index is out of step with the store"  # other chunks or texts
    if saved_postings != postings:
        return "BM25 index scores do not match the stored chunks (scrambled)"
    return None


def load_bm25(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    """The persisted index if it matches the store's generation and is whole, else a fresh
    build (under the same lock, so one process rebuilds and the others load its result)."""
    with _one_at_a_time(store):
        target = store.settings.bm25_dir
        marker = target / GENERATION_FILE
        damage = None
        if marker.exists() and marker.read_text() == store.generation():
            try:
                retriever = cast(
                    MatchingBM25Retriever, MatchingBM25Retriever.from_persist_dir(str(target))
                )
                damage = _damage(retriever)
            except Exception as err:  # a damaged index is derived state: rebuild it
                damage = f"{type(err).__name__}: {err}"
            if damage is None:
                retriever.similarity_top_k = min(top_k, len(retriever.corpus))
                return retriever
            log.warning("BM25 index at %s unreadable (%s); rebuilding it", target, damage)
        return _rebuild(store, top_k, damage)


def _damage(retriever: MatchingBM25Retriever) -> str | None:
    """What makes a loaded index unusable though it parsed (None: nothing): a corpus file
    emptied or cut short no longer has a chunk for every document the scores name, and
    searching it would fail on the first hit."""
    import numpy as np

    chunks = len(retriever.corpus)
    documents = int(retriever.bm25.scores.get("num_docs", -1))
    rows = np.asarray(retriever.bm25.scores.get("indices", ()))
    if chunks == 0:
        return "corpus.jsonl holds no chunks"
    if documents != chunks or (rows.size and int(rows.max()) >= chunks):
        return f"corpus.jsonl holds {chunks} chunks but the scores cover {documents}"
    return None


def _rebuild(store: Store, top_k: int, damage: str | None) -> MatchingBM25Retriever | None:
    """`_build`, with a failure to write the new index said as one line and what to do."""
    from rag.errors import StoreUnavailable, disk_full

    target = store.settings.bm25_dir
    try:
        return _build(store, top_k)
    except OSError as err:
        if full := disk_full(err, target, "rebuilding the BM25 index"):
            raise full from err
        found = f" is damaged ({damage}) and" if damage else ""
        raise StoreUnavailable(
            f"The BM25 index at {target}{found} could not be rebuilt "
            f"({err.strerror or err}); make that folder writable, then run "
            "`rag doctor --repair`."
        ) from err


def filtered(
    base: MatchingBM25Retriever, filters: MetadataFilters | None, top_k: int
) -> MatchingBM25Retriever | None:
    """A view of `base` restricted to chunks matching `filters` (None when none match).

    The date and outlet filters the assistant uses are evaluated with numpy over columns
    cached on `base`; anything else goes through llama-index's per-chunk filter function.
    """
    if filters is None or not filters.filters:
        return base
    k = min(top_k, len(base.corpus))
    mask = _column_mask(base, filters)
    if mask is None:
        try:
            return MatchingBM25Retriever(
                existing_bm25=base.bm25, filters=filters, similarity_top_k=k
            )
        except ValueError:  # llama-index raises when the filters leave nothing
            return None
    if not mask.any():
        return None
    view = MatchingBM25Retriever(existing_bm25=base.bm25, similarity_top_k=k)
    view.corpus, view.corpus_weight_mask = base.corpus, mask
    return view


def _column_mask(base: MatchingBM25Retriever, filters: MetadataFilters) -> Any:
    import numpy as np
    from llama_index.core.vector_stores.types import FilterCondition, FilterOperator

    if filters.condition not in (None, FilterCondition.AND) or any(
        not hasattr(f, "key") for f in filters.filters
    ):
        return None
    columns = base.__dict__.setdefault("_columns", {})
    mask = np.ones(len(base.corpus), dtype=bool)
    for f in cast(list[MetadataFilter], filters.filters):  # each has a key: none is nested
        if f.key not in columns:
            columns[f.key] = np.array([c.get(f.key) for c in base.corpus], dtype=object)
        column = columns[f.key]
        match f.operator:
            case FilterOperator.EQ:
                mask &= column == f.value
            case FilterOperator.IN:
                mask &= np.isin(column, list(cast(list[Any], f.value)))  # IN takes a list
            case FilterOperator.GTE | FilterOperator.LTE | FilterOperator.GT:
                numeric = f"{f.key}#numeric"
                if numeric not in columns:
                    columns[numeric] = np.array(
                        [v if isinstance(v, (int, float)) else -1 for v in column], dtype=np.float64
                    )
                values = columns[numeric]
                mask &= {
                    FilterOperator.GTE: values >= f.value,
                    FilterOperator.LTE: values <= f.value,
                    FilterOperator.GT: values > f.value,
                }[f.operator]
            case _:
                return None
    return mask.astype(np.float32)
