"""The BM25 half of hybrid retrieval, persisted with the store and kept in step with it.

The index is built from every stored chunk with `MatchingBM25Retriever`
(`rag.index.bm25_search`, which also makes its filtered views) and saved under
`<data_dir>/bm25/<collection>/` together with the store generation it reflects and, counted
in the same pass over the chunks, how the store writes its names (`WrittenNames`: what lets a
question typed in lower case depend on "Delaware"). A reader
whose generation differs (another ingest ran, possibly in another process against a Chroma
server) rebuilds it; the swap is atomic so a crash never leaves half an index. Checking a
saved index against the store is `rag.index.bm25_check`'s job.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, cast

import Stemmer
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict

from rag.index.bm25_search import MatchingBM25Retriever, filtered
from rag.index.store import Store
from rag.text.truecase import WrittenNames

# the retriever and its filtered views are what loading gives, so they are named here too
__all__ = [
    "GENERATION_FILE",
    "MatchingBM25Retriever",
    "build_bm25",
    "filtered",
    "index_nodes",
    "load_bm25",
    "stored_nodes",
]

log = logging.getLogger(__name__)
GENERATION_FILE = "generation.txt"
NAMES_FILE = "written_names.json"


def stored_nodes(store: Store) -> Iterator[BaseNode]:
    """Every stored chunk as a llama-index node, its text and metadata as stored, one at a
    time (a real archive's 68k nodes held at once were 0.8 GB)."""
    for record in store.chunk_records():
        yield metadata_dict_to_node(record["metadata"], text=record["text"])


def index_nodes(nodes: Iterable[BaseNode], top_k: int) -> MatchingBM25Retriever | None:
    """The retriever llama-index's `BM25Retriever(nodes=...)` builds (same corpus entries, same
    tokenizing, stemming and stop words), reading `nodes` once and keeping of each only its
    corpus entry and the text it indexes; None when there are none."""
    import bm25s

    corpus: list[dict[str, Any]] = []
    texts: list[str] = []
    written = WrittenNames()
    for node in nodes:
        corpus.append(node_to_metadata_dict(node) | {"node_id": node.node_id})
        texts.append(node.get_content(metadata_mode=MetadataMode.EMBED))
        written.count(node.get_content())
    if not corpus:
        return None
    defaults = inspect.signature(MatchingBM25Retriever.__init__).parameters
    stemmer = Stemmer.Stemmer("english")  # the retriever's own default, which queries use
    tokens = bm25s.tokenize(
        texts,
        stopwords=defaults["language"].default,
        stemmer=stemmer,
        token_pattern=defaults["token_pattern"].default,
        show_progress=False,
    )
    del texts
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    bm25.corpus = corpus  # what a reload gives; filtered views need it
    retriever = MatchingBM25Retriever(
        existing_bm25=bm25, stemmer=stemmer, similarity_top_k=min(top_k, len(corpus))
    )
    retriever.written_names = written.names()
    return retriever


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
    retriever = index_nodes(stored_nodes(store), top_k)
    target = store.settings.bm25_dir
    if retriever is None:
        if not store.read_only:
            shutil.rmtree(target, ignore_errors=True)
        return None
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
        (tmp / NAMES_FILE).write_text(json.dumps(retriever.written_names, ensure_ascii=False))
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


def load_bm25(store: Store, top_k: int) -> MatchingBM25Retriever | None:
    """The persisted index if it matches the store's generation and is whole, else a fresh
    build (under the same lock, so one process rebuilds and the others load its result)."""
    with _one_at_a_time(store):
        target = store.settings.bm25_dir
        marker = target / GENERATION_FILE
        damage = None
        if marker.exists() and marker.read_text() == store.generation():
            if not (target / NAMES_FILE).exists():
                log.warning(
                    "BM25 index at %s was saved by an earlier version, without how the store "
                    "writes its names; rebuilding it once",
                    target,
                )
                return _rebuild(store, top_k, None)
            try:
                retriever = cast(
                    MatchingBM25Retriever, MatchingBM25Retriever.from_persist_dir(str(target))
                )
                damage = _damage(retriever)
                if damage is None:
                    retriever.written_names = _written_names(target)
            except Exception as err:  # a damaged index is derived state: rebuild it
                damage = f"{type(err).__name__}: {err}"
            if damage is None:
                retriever.similarity_top_k = min(top_k, len(retriever.corpus))
                return retriever
            log.warning("BM25 index at %s unreadable (%s); rebuilding it", target, damage)
        return _rebuild(store, top_k, damage)


def _written_names(target: Path) -> dict[str, str]:
    """The store's `WrittenNames` saved with the index (a damaged file is damage like any)."""
    names = json.loads((target / NAMES_FILE).read_text(encoding="utf-8"))
    if not isinstance(names, dict):
        raise ValueError(f"{NAMES_FILE} holds no table of names")
    return names


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
