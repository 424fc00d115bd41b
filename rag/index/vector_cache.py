"""A bounded, per-process cache of the vectors answering asks for, in front of the embedder.

Why: an extractive answer embeds every sentence of the passages it reads (about 80% of a
warm answer's time on 2 cores, measured by `rag bench`), and the same popular passages are
read again and again, by every question about them; the question itself is embedded by
retrieval and again by the answerer. A vector depends only on the text and the model, so a
stored one is as good as a fresh one. `CachedEmbedding` wraps the assistant's embedding
model (llama-index's `BaseEmbedding`, so every caller is unchanged) and keeps the most
recently used `size` vectors as float64 arrays, so a kept vector is exactly the model's
(~3 KB each for MiniLM: 10,000 ≈ 30 MB).
Not llama-index's own `BaseEmbedding.embeddings_cache`: that KV store grows without bound
and keys a question and a sentence of the same text alike, which is wrong for models that
embed questions differently (e5's "query: " prefix).
What it leaves out: ingest embeds through its own model object and never fills the cache
(new chunks are read once); nothing is shared between processes; `size` 0 turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class CachedEmbedding(BaseEmbedding):
    """`inner` with the last `size` query and text vectors kept in memory."""

    _inner: BaseEmbedding = PrivateAttr()
    _size: int = PrivateAttr()
    _kept: "OrderedDict[tuple[str, str], Any]" = PrivateAttr()
    _lock: Any = PrivateAttr()

    def __init__(self, inner: BaseEmbedding, size: int = 10_000, **kwargs: Any) -> None:
        super().__init__(
            model_name=inner.model_name, embed_batch_size=inner.embed_batch_size, **kwargs
        )
        self._inner, self._size = inner, size
        self._kept, self._lock = OrderedDict(), threading.Lock()

    @classmethod
    def class_name(cls) -> str:
        return "CachedEmbedding"

    def _through(
        self, kind: str, texts: list[str], embed: Callable[[list[str]], list[list[float]]]
    ) -> list[list[float]]:
        """The vectors of `texts`: kept ones from memory, the rest embedded in one batch, each
        text once (syndicated copies of a story bring the same sentences several times)."""
        import numpy as np

        found: dict[str, list[float]] = {}
        with self._lock:
            for text in texts:
                vector = self._kept.get((kind, text))
                if vector is not None:
                    self._kept.move_to_end((kind, text))
                    found[text] = vector.tolist()
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = embed(missing)
            with self._lock:
                for text, vector in zip(missing, fresh):
                    found[text] = vector
                    if self._size:
                        self._kept[(kind, text)] = np.asarray(vector, dtype=np.float64)
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        return [found[t] for t in texts]

    # The inner model's own `_get_*` methods, not its public ones: llama-index's public
    # methods batch and emit instrumentation events, which this model's public methods
    # (the ones callers use) have already done, for every text asked, cached or not.
    def _get_query_embedding(self, query: str) -> list[float]:
        return self._through(
            "query", [query], lambda qs: [self._inner._get_query_embedding(q) for q in qs]
        )[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._through("text", texts, self._inner._get_text_embeddings)
