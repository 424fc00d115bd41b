"""The `query` phase: hybrid retrieval latency on a synthetic store of a given size.

Random unit vectors and random words stand in for chunks (timing only, and the row says so:
`synthetic`); each question is embedded for real and searched through `HybridRetriever`
with a BM25 index built in memory. Runs in a process of its own, dispatched by
`eval.bench.phases`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.bench.cpu import HIDDEN
from eval.bench.memory import peak_mb
from eval.bench.settings import bench_settings


def phase_query(scale: int, queries: int = 50) -> dict[str, Any]:
    import numpy as np
    from llama_index.core.schema import QueryBundle, TextNode

    from rag import Filters, HybridRetriever, MatchingBM25Retriever, Store

    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(20_000)]
    settings = bench_settings(Path(tempfile.mkdtemp()))
    store = Store.open(settings)
    started = time.perf_counter()
    nodes = []
    for start in range(0, scale, 5000):
        n = min(5000, scale - start)
        vectors = rng.normal(size=(n, HIDDEN)).astype("float32")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids = [f"s{start + i}" for i in range(n)]
        texts = [" ".join(rng.choice(vocab, 40)) for _ in range(n)]
        metas = [
            {
                "doc_id": f"d{(start + i) // 5}",
                "date_int": 20240101,
                "source": "synthetic",
                "title": "",
            }
            for i in range(n)
        ]
        store.chunks.add(ids=ids, embeddings=vectors, documents=texts, metadatas=metas)
        nodes += [TextNode(id_=i, text=t, metadata=m) for i, t, m in zip(ids, texts, metas)]
    build_store = time.perf_counter() - started
    started = time.perf_counter()
    bm25 = MatchingBM25Retriever(nodes=nodes, similarity_top_k=settings.candidates_k)
    build_bm25 = time.perf_counter() - started
    del nodes

    from rag import get_embed_model

    embed = get_embed_model(settings)  # real query embedding, included in the timing
    times = []
    for q in range(queries):
        words = " ".join(rng.choice(vocab, 6))
        started = time.perf_counter()
        retriever = HybridRetriever(store, settings, embed)
        retriever._bm25 = (store.generation(), bm25)  # the synthetic index, not a stored one
        retriever.search(QueryBundle(words), Filters(), settings.top_k)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "phase": f"query-{scale}",
        "chunks": scale,
        "synthetic": True,
        "build_store_s": round(build_store, 1),
        "build_bm25_s": round(build_bm25, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "peak_mb": peak_mb(),
    }
