"""Which arithmetic the local embedder runs in, chosen from what this CPU has.

- `fp32`: the ONNX model (`rag.index.onnx_embed`); every CPU; the reference vectors.
- `bf16`: ingest embeds with MiniLM cast to bf16 on PyTorch (`rag.index.torch_bf16`), about
  2x fp32 on a CPU with AMX tiles, at a cosine of 0.9999 to the fp32 vectors: the same
  vectors for search, so a bf16 store is one fp32 family (recorded as such) and questions
  are embedded by the fp32 ONNX model, which starts fast. `auto` picks it where the CPU
  lists `amx_bf16`; elsewhere PyTorch would emulate bf16, slower than fp32.
- `int8`: the ONNX model quantised (weights per channel, activations per call), about 2.5x
  fp32 where the CPU has VNNI or AMX, at a cosine of 0.993: other vectors (RealTime QA
  passage MRR 0.01-0.02 lower, eval/findings/realtimeqa-2022.md), so only when asked for,
  and the store and its questions are int8 throughout.
The CPU is read at run time (/proc/cpuinfo), never assumed from the machine the code was
written on.

A store's vectors must all be of one family (an int8 question against fp32 chunks scores a
little off, silently), so the store records the embedder that wrote it and `auto` follows the
store: a store written before precisions existed is fp32. An explicit `RAG_EMBED_PRECISION` of
the other family is refused with the way out, never mixed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rag.errors import StoreUnavailable

if TYPE_CHECKING:
    from rag.settings import Settings

Precision = Literal["fp32", "bf16", "int8"]
Wanted = Literal["auto", "fp32", "bf16", "int8"]
INT8_UNITS = ("amx_int8", "avx512_vnni", "avx_vnni")  # /proc/cpuinfo flags, any one will do
BF16_UNITS = ("amx_bf16",)  # where bf16 beats the fp32 ONNX model (measured with AMX only)
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


def bf16_units(flags: frozenset[str] | None = None) -> list[str]:
    """The bf16 matrix units among `flags` (default: this CPU's) that make bf16 pay."""
    flags = cpu_flags() if flags is None else flags
    return [unit for unit in BF16_UNITS if unit in flags]


def best_precision(flags: frozenset[str] | None = None) -> Precision:
    """What `auto` picks for a store of the fp32 family (a new one, or one written so):
    bf16 where the CPU has AMX, else fp32. int8 changes the vectors, so never by itself."""
    return "bf16" if bf16_units(flags) else "fp32"


def family(precision: Precision) -> Literal["fp32", "int8"]:
    """Which vectors a precision writes: bf16's are fp32's to a cosine of 0.9999."""
    return "int8" if precision == "int8" else "fp32"


def precision_of(embedder: str) -> Literal["fp32", "int8"]:
    """The vector family an embedder name records ('all-MiniLM-L6-v2/int8' -> int8)."""
    return "int8" if embedder.endswith("/int8") else "fp32"


def wanted_precision(settings: Settings) -> Wanted:
    """What the settings ask for; the torch runtime runs fp32 only."""
    return "fp32" if settings.embed_runtime == "torch" else settings.embed_precision


def local_precision(settings: Settings) -> Precision:
    """The local embedder's precision: as set, or this CPU's best when `auto` reaches here
    unresolved (`Store.open` resolves it against the store's own first)."""
    wanted = wanted_precision(settings)
    return best_precision() if wanted == "auto" else wanted


def embedder_name(settings: Settings) -> str:
    """A stable name of the embedder's vectors, recorded with every stored chunk and by the
    store: the local model, with '/int8' for int8 vectors (fp32 and bf16 write the same ones,
    under the bare name stores had before precisions existed), or the OpenAI model's name."""
    match settings.embed_backend:
        case "local":
            int8 = family(local_precision(settings)) == "int8"
            return LOCAL_MODEL_NAME + ("/int8" if int8 else "")
        case "openai":
            return "openai/" + (settings.embed_model or OPENAI_DEFAULT_MODEL)


def for_store(settings: Settings, recorded: str | None, where: str) -> Settings:
    """`settings` with the local embedder's precision resolved for a store whose chunk
    collection records `recorded` (None: written before precisions, so fp32)."""
    if settings.embed_backend != "local":
        return settings
    wanted = wanted_precision(settings)
    precision = store_precision(wanted, precision_of(recorded or LOCAL_MODEL_NAME), where)
    if precision == settings.embed_precision:
        return settings
    return settings.model_copy(update={"embed_precision": precision})


def store_precision(wanted: Wanted, recorded: Literal["fp32", "int8"], where: str) -> Precision:
    """The precision to embed with for a store whose vectors are of the family `recorded`.

    `auto` follows the store (the CPU's best within an fp32 store); an explicit choice of the
    other family is refused, naming the store (`where`) and the two ways out, since mixing
    would degrade every search silently."""
    if wanted == "auto":
        return "int8" if recorded == "int8" else best_precision()
    if family(wanted) == recorded:
        return wanted
    raise StoreUnavailable(
        f"The store at {where} was embedded at {recorded}; RAG_EMBED_PRECISION={wanted} "
        f"would mix {family(wanted)} questions with {recorded} articles. Unset "
        "RAG_EMBED_PRECISION (auto follows the store), or build a new store at "
        f"{wanted} (another RAG_DATA_DIR or RAG_COLLECTION) and ingest the articles there."
    )
