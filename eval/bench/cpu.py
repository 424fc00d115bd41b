"""What embedding costs in arithmetic and what this machine can do: the bench's roofline.

A chunk's forward FLOPs through MiniLM-L6 (its shape: layers, hidden and intermediate size,
window), and the CPU's fp32 ceiling from /proc/cpuinfo (cores x clock x SIMD lanes x FMA
units) checked against what a large BLAS matrix product reaches; for int8, what ONNX Runtime's
own int8 matrix product (`MatMulInteger`, the kernel the quantised model runs on, using VNNI or
AMX where the CPU has them) reaches on a large product, beside the CPU's int8 flags; for bf16,
what PyTorch's bf16 product reaches (AMX tiles where present). The phases that divide one by
the other are `eval.bench.phases`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable

LAYERS, HIDDEN, INTER, WINDOW = 6, 384, 1536, 256


def flop_per_chunk(tokens: int) -> float:
    """Forward FLOPs of MiniLM-L6 on one sequence (matmuls; 2 FLOPs per multiply-add)."""
    per_layer = 8 * tokens * HIDDEN**2 + 4 * tokens * HIDDEN * INTER + 4 * tokens**2 * HIDDEN
    return LAYERS * per_layer


def _fma_units(flags: str) -> tuple[int, str]:
    """FMA units per core counted at the SIMD width used, with the reason."""
    family = next(
        (int(line.split(":")[1]) for line in flags.splitlines() if line.startswith("cpu family")), 0
    )
    if "AuthenticAMD" in flags and family == 25 and " avx512f" in flags:
        return 1, (
            "AMD Zen 4 runs 512-bit FMAs on its two 256-bit pipes: one 512-bit FMA per cycle"
        )
    return 2, "two FMA units per core assumed"


def product_rate(product: Callable[[], object], size: int, repeats: int) -> float:
    """G operations per second (2 per multiply-add) of `product`, a `size`-square matrix
    product, run once to warm up and then `repeats` times, at its fastest repeat: a ceiling
    is what the units can do, and a busy machine only ever slows a run (a mean over the
    repeats once put the ceiling below what the embedder reached in the same bench)."""
    product()
    fastest = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        product()
        fastest = min(fastest, time.perf_counter() - started)
    return round(2 * size**3 / fastest / 1e9, 1)


def sgemm_gflops(size: int = 2048, repeats: int = 3) -> float:
    """The fp32 rate a large BLAS matrix product reaches here: the practical ceiling."""
    import numpy as np

    a = np.random.default_rng(0).random((size, size), dtype=np.float32)
    return product_rate(lambda: a @ a, size, repeats)


def cpu_peak_flops() -> dict[str, Any]:
    """cores x clock x fp32 FLOP per cycle per FMA unit x FMA units, and what BLAS reaches."""
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    mhz = max(
        (float(line.split(":")[1]) for line in flags.splitlines() if line.startswith("cpu MHz")),
        default=2000.0,
    )
    width = 512 if " avx512f" in flags else 256 if " avx2" in flags else 128
    per_unit = width // 32 * 2  # fp32 lanes x 2 FLOPs per fused multiply-add
    units, why = _fma_units(flags)
    cores = os.cpu_count() or 1
    nominal = round(cores * mhz * 1e6 * per_unit * units / 1e9, 1)
    sgemm = sgemm_gflops()
    # /proc/cpuinfo gives the base clock; if BLAS beats the formula, the cores are boosting
    # and the formula is no ceiling, so the measured rate stands in for the peak.
    return {
        "cores": cores,
        "mhz": mhz,
        "simd_bits": width,
        "flop_per_cycle_per_unit": per_unit,
        "fma_units": units,
        "fma_units_why": why,
        "nominal_peak_gflops": nominal,
        "sgemm_gflops": sgemm,
        "peak_gflops": max(nominal, sgemm),
    }


def int8_gops(size: int = 2048, repeats: int = 5) -> float:
    """Int8 operations per second (2 per multiply-add) of ONNX Runtime's MatMulInteger on a
    `size`-square product with every core: the int8 path's practical ceiling here."""
    import numpy as np
    import onnxruntime as ort
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["c"])],
        "int8-peak",
        [
            helper.make_tensor_value_info("a", TensorProto.UINT8, [size, size]),
            helper.make_tensor_value_info("b", TensorProto.INT8, [size, size]),
        ],
        [helper.make_tensor_value_info("c", TensorProto.INT32, [size, size])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(model.SerializeToString(), options, ["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feed = {
        "a": rng.integers(0, 255, (size, size), dtype=np.uint8),
        "b": rng.integers(-127, 127, (size, size), dtype=np.int8),
    }
    return product_rate(lambda: session.run(None, feed), size, repeats)


def cpu_int8() -> dict[str, Any]:
    """The CPU's int8 units (from its flags) and what MatMulInteger reaches on them."""
    from rag import int8_units

    return {"int8_units": int8_units(), "int8_gops": int8_gops()}


def bf16_gflops(size: int = 2048, repeats: int = 5) -> float:
    """FLOP/s of a `size`-square bf16 matrix product in PyTorch with every core (oneDNN, on
    AMX tiles where the CPU has them): the bf16 path's practical ceiling here."""
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    a = torch.rand((size, size)).to(torch.bfloat16)
    return product_rate(lambda: a @ a, size, repeats)


def cpu_bf16() -> dict[str, Any]:
    """The CPU's bf16 matrix units (from its flags) and what a bf16 product reaches on them.

    Without such units the product is only a remark (the fp32 peak is then the ceiling), so
    it is 512-square: at 2048 on an AVX2-only EPYC (0.3 GFLOP/s) it took five of the bench's
    seven minutes."""
    from rag import bf16_units

    units = bf16_units()
    size = 2048 if units else 512
    return {"bf16_units": units, "bf16_product_size": size, "bf16_gflops": bf16_gflops(size)}
