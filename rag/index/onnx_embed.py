"""all-MiniLM-L6-v2 on ONNX Runtime: the same vectors as sentence-transformers, without torch.

A llama-index embedding model over the sessions `rag.index.onnx_model` builds. At run time only
`onnxruntime`, `tokenizers` and numpy are imported, so a `rag ask` starts seconds sooner, and
texts are batched by length so short chunks are not padded to the longest one. Mean pooling and
L2 normalisation match the model's sentence-transformers modules; a test holds cosine >= 0.999.

Because an int8 call's activations share one scale, int8 embeds one text per call, so a text's
vector never depends on what it was batched with (an article's chunks and the same words asked
as a question get the same vector); one text per call is also the faster way here.
"""

from __future__ import annotations

import os
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.index.onnx_model import OnnxPrecision, session, window_tokenizer

__all__ = ["MiniLMEmbedding", "OnnxMiniLM", "length_batches"]

# padded word pieces per fp32 run: chunks embed at 55-58/s with 512 and 1024 alike (50 with
# 8192: cache-bound), an answer's short sentences about 8% faster with 512 (`rag bench`)
BATCH_TOKENS = 512
INGEST_BATCH = 256  # texts per call from llama-index (its default, 10, sorts only within 10)


def length_batches(lengths: list[int], budget: int, pad_to: int = 1) -> list[list[int]]:
    """Indices of texts run together: ascending length, packed while the batch padded to its
    longest (rounded up to `pad_to`) stays within `budget` tokens; budget 0: one per batch."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        width = -(-lengths[i] // pad_to) * pad_to  # the newest text is the batch's longest
        if batches and (len(batches[-1]) + 1) * width <= budget:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


class MiniLMEmbedding(BaseEmbedding):
    """What the local embedders share: the tokenizer, whole ingest batches per call, and
    llama-index's four entry points, all mapped to one `_embed(texts)`."""

    _tokenizer: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        # whole ingest batches at once, so texts are sorted by length across all of them
        kwargs.setdefault("embed_batch_size", INGEST_BATCH)
        super().__init__(**kwargs)
        self._tokenizer = window_tokenizer()

    def _embed(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class OnnxMiniLM(MiniLMEmbedding):
    """llama-index embedding model over ONNX Runtime (see the module docstring).

    fp32 runs length-sorted batches on one session using every thread; int8 runs one text
    per call on one single-threaded session per thread, the texts dealt out between them
    (1.5-2x the rate of one two-threaded session on one text at a time, measured on 2 cores:
    the kernels of one 200-token text are too small to split across threads well)."""

    _sessions: list[Any] = PrivateAttr()
    _precision: OnnxPrecision = PrivateAttr()
    _pool: Any = PrivateAttr(default=None)

    def __init__(
        self, threads: int | None = None, precision: OnnxPrecision = "fp32", **kwargs: Any
    ) -> None:
        super().__init__(model_name=f"all-MiniLM-L6-v2 (onnx, {precision})", **kwargs)
        threads = threads or os.cpu_count() or 1
        self._precision = precision
        if precision == "fp32":
            self._sessions = [session(threads, precision)]
        else:
            self._sessions = [session(1, precision) for _ in range(threads)]

    @classmethod
    def class_name(cls) -> str:
        return "OnnxMiniLM"

    def _run(self, session: Any, encodings: list[Any]) -> Any:
        """Mean-pooled, unit-length vectors of `encodings`, run together on `session`."""
        import numpy as np

        ids = np.zeros((len(encodings), max(len(e.ids) for e in encodings)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        encodings = self._tokenizer.encode_batch(texts)
        # int8 runs each text alone: its activations are quantised per call
        budget = BATCH_TOKENS if self._precision == "fp32" else 0
        batches = length_batches([len(e.ids) for e in encodings], budget)
        vectors: list[Any] = [None] * len(texts)

        def run_share(share: int) -> None:
            session = self._sessions[share]
            for batch in batches[share :: len(self._sessions)]:
                pooled = self._run(session, [encodings[i] for i in batch])
                for row, i in enumerate(batch):
                    vectors[i] = pooled[row].tolist()

        shares = min(len(self._sessions), len(batches))
        if shares == 1:
            run_share(0)
        elif shares > 1:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(len(self._sessions), "embed")
            list(self._pool.map(run_share, range(shares)))  # ONNX Runtime frees the GIL
        return vectors
