"""Which arithmetic the local embedder runs in: fp32 anywhere, int8 where the CPU has units.

MiniLM quantised to int8 (weights per output channel, activations per call: ONNX Runtime's
dynamic quantisation) embeds about twice as fast as fp32 on a CPU with int8 dot-product units
(AVX-512 VNNI, AVX-VNNI or AMX) at a mean cosine of 0.993 to the fp32 vectors; without those
units int8 gains little, so `auto` stays fp32 there. The CPU is read at run time
(/proc/cpuinfo), never assumed from the machine the code was written on.

A store's vectors must all come from one precision (an int8 query against fp32 chunks scores a
little off, silently), so the store records the embedder that wrote it and `auto` follows the
store: a store written before precisions existed is fp32. An explicit `RAG_EMBED_PRECISION`
that disagrees with the store is refused with the way out, never mixed. What it leaves out:
bf16 (ONNX Runtime's CPU provider has no bf16 matrix kernels to run it on).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rag.errors import StoreUnavailable

if TYPE_CHECKING:
    from rag.settings import Settings

Precision = Literal["fp32", "int8"]
INT8_UNITS = ("amx_int8", "avx512_vnni", "avx_vnni")  # /proc/cpuinfo flags, any one will do
EMBEDDER_KEY = "rag:embedder"  # chunk collection metadata: the embedder that writes it
LOCAL_MODEL_NAME = "all-MiniLM-L6-v2"
OPENAI_DEFAULT_MODEL = "text-embedding-3-small"


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux lists them; empty where /proc/cpuinfo is not there."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def int8_units(flags: frozenset[str] | None = None) -> list[str]:
    """The int8 dot-product units among `flags` (default: this CPU's)."""
    flags = cpu_flags() if flags is None else flags
    return [unit for unit in INT8_UNITS if unit in flags]


def best_precision(flags: frozenset[str] | None = None) -> Precision:
    """What `auto` picks for a new store on this CPU."""
    return "int8" if int8_units(flags) else "fp32"


def precision_of(embedder: str) -> Precision:
    """The precision an embedder name records ('all-MiniLM-L6-v2/int8' -> int8)."""
    return "int8" if embedder.endswith("/int8") else "fp32"


def wanted_precision(settings: Settings) -> Literal["auto", "fp32", "int8"]:
    """What the settings ask for; the torch runtime has only fp32."""
    return "fp32" if settings.embed_runtime == "torch" else settings.embed_precision


def local_precision(settings: Settings) -> Precision:
    """The local embedder's precision: as set, or this CPU's best when `auto` reaches here
    unresolved (`Store.open` resolves it to the store's own first)."""
    wanted = wanted_precision(settings)
    return best_precision() if wanted == "auto" else wanted


def embedder_name(settings: Settings) -> str:
    """A stable name of the embedder, recorded with every stored chunk and by the store:
    the local model with '/int8' when it runs int8 (fp32 keeps the bare name stores were
    written with before precisions existed), or the OpenAI-compatible model's name."""
    match settings.embed_backend:
        case "local":
            return LOCAL_MODEL_NAME + ("/int8" if local_precision(settings) == "int8" else "")
        case "openai":
            return "openai/" + (settings.embed_model or OPENAI_DEFAULT_MODEL)


def for_store(settings: Settings, recorded: str | None, where: str) -> Settings:
    """`settings` with the local embedder's precision set to the store's own (see
    `store_precision`); a store that records no embedder was written at fp32."""
    if settings.embed_backend != "local":
        return settings
    wanted = wanted_precision(settings)
    precision = store_precision(wanted, precision_of(recorded or LOCAL_MODEL_NAME), where)
    if precision == settings.embed_precision:
        return settings
    return settings.model_copy(update={"embed_precision": precision})


def store_precision(
    wanted: Literal["auto", "fp32", "int8"], recorded: Precision, where: str
) -> Precision:
    """The precision to embed with for a store whose chunks were written at `recorded`.

    `auto` follows the store; an explicit choice that differs is refused, naming the store
    (`where`) and the two ways out, since mixing would degrade every search silently."""
    if wanted in ("auto", recorded):
        return recorded
    raise StoreUnavailable(
        f"The store at {where} was embedded at {recorded}; RAG_EMBED_PRECISION={wanted} "
        f"would mix {wanted} questions with {recorded} articles. Unset RAG_EMBED_PRECISION "
        f"(auto follows the store), or build a new store at {wanted} (another RAG_DATA_DIR "
        "or RAG_COLLECTION) and ingest the articles there."
    )
