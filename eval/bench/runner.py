"""Run every bench phase in its own process and put the rows and ratios together."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from eval.bench.corpus import DEFAULT_SEEDS, make_corpus


def run_bench(
    articles: int,
    corpus: Path | None,
    scales: list[int],
    cold: bool = True,
    echo=print,
    seeds: Path = DEFAULT_SEEDS,
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every phase in its own process; returns the table's rows and the ratios."""
    folder = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    corpus = corpus or make_corpus(folder, articles, seeds=seeds)
    plan: list[tuple[str, dict[str, Any]]] = [
        ("embed", {"corpus": str(corpus), "runtime": "onnx", "precision": "fp32"}),
        ("embed", {"corpus": str(corpus), "runtime": "onnx", "precision": "int8"}),
        ("embed", {"corpus": str(corpus), "runtime": "onnx", "precision": "bf16"}),
        ("embed", {"corpus": str(corpus), "runtime": "torch"}),
        ("ingest", {"corpus": str(corpus)}),
        ("llamaindex", {"corpus": str(corpus)}),
        *[("query", {"scale": s}) for s in scales],
        ("ask", {"corpus": str(corpus)}),
        ("topic", {"corpus": str(corpus)}),
    ]
    if cold:
        plan.append(("cold", {}))
    env = {**os.environ, "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", "")}
    env = {k: v for k, v in env.items() if v}
    env["RAG_BENCH_SEEDS"] = str(seeds.resolve())
    rows = []
    for name, args in plan:
        what = " ".join(str(args[k]) for k in ("runtime", "precision", "scale") if k in args)
        echo(f"… {name} {what}".rstrip())
        rows.append(run_phase(name, args, env))
    by = {r["phase"]: r for r in rows}
    embedder = {"fp32": "embed-onnx-fp32", "int8": "embed-onnx-int8", "bf16": "embed-torch-bf16"}
    raw = by[embedder[by["ingest"]["precision"]]]  # the embedder ingest ran
    fp32 = by["embed-onnx-fp32"]["chunks_per_s"]
    ratios = {
        "bf16_vs_fp32_embedder": round(by["embed-torch-bf16"]["chunks_per_s"] / fp32, 2),
        "int8_vs_fp32_embedder": round(by["embed-onnx-int8"]["chunks_per_s"] / fp32, 2),
        "ingest_vs_raw_embedder": round(by["ingest"]["chunks_per_s"] / raw["chunks_per_s"], 2),
        "ingest_vs_llamaindex_default": round(
            by["ingest"]["chunks_per_s"] / by["llamaindex-default"]["chunks_per_s"], 2
        ),
        "onnx_vs_torch_embedder": round(
            by["embed-onnx-fp32"]["chunks_per_s"] / by["embed-torch"]["chunks_per_s"], 2
        ),
    }
    return {"rows": rows, "ratios": ratios, "corpus": str(corpus)}


def run_phase(name: str, args: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    """One bench phase in a process of its own (`eval.bench.phases`), so its model loads and
    peak memory are its own; its result row is the last line it prints."""
    proc = subprocess.run(
        [sys.executable, "-m", "eval.bench.phases", name, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench phase {name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def render_table(result: dict[str, Any]) -> str:
    lines = [
        f"{'phase':22} {'chunks':>8} {'chunks/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'peak MB':>8}  notes"
    ]
    for r in result["rows"]:
        notes = []
        if "share_of_peak" in r and r.get("precision") == "bf16" and not r["cpu"]["bf16_units"]:
            notes.append(
                f"{r['achieved_gflops']} GFLOP/s = {r['share_of_peak']:.0%} of "
                f"{r['ceiling_gops']} fp32 peak (bf16 units: none, so fp32's arithmetic; a "
                f"{r['cpu']['bf16_product_size']}-square bf16 product: {r['cpu']['bf16_gflops']}); "
                f"{r['tokens_per_s']} tok/s"
            )
        elif "share_of_peak" in r and r.get("precision") == "bf16":
            notes.append(
                f"{r['achieved_gflops']} GFLOP/s = {r['share_of_peak']:.0%} of "
                f"{r['ceiling_gops']} (PyTorch bf16 product, 2048-square; bf16 units: "
                f"{', '.join(r['cpu']['bf16_units']) or 'none'}); {r['tokens_per_s']} tok/s"
            )
        elif "share_of_peak" in r and r.get("precision") == "int8":
            notes.append(
                f"{r['achieved_gflops']} G int8 op/s = {r['share_of_peak']:.0%} of "
                f"{r['ceiling_gops']} (ONNX Runtime MatMulInteger, 2048-square; int8 units: "
                f"{', '.join(r['cpu']['int8_units']) or 'none'}); {r['tokens_per_s']} tok/s"
            )
        elif "share_of_peak" in r:
            notes.append(
                f"{r['achieved_gflops']} GFLOP/s = {r['share_of_peak']:.0%} of "
                f"{r['cpu']['peak_gflops']} peak (formula at base clock "
                f"{r['cpu']['nominal_peak_gflops']}, sgemm "
                f"{r['cpu']['sgemm_gflops']}); {r['tokens_per_s']} tok/s"
            )
        if r.get("share_of_peak", 0) > 1:
            notes.append(
                "above its measured ceiling: the product and the embedder are timed apart, "
                "and a fused kernel can edge past a plain product"
            )
        if "truncated_tokens" in r:
            notes.append(
                f"truncated {r['truncated_tokens']} tokens"
                + (f" ({r['truncated_share']:.0%})" if "truncated_share" in r else "")
            )
        if "reingest_articles_per_s" in r:
            notes.append(f"re-ingest unchanged {r['reingest_articles_per_s']} articles/s")
        if r.get("embedder_process_peak_mb"):
            notes.append(f"embedder process peak {r['embedder_process_peak_mb']} MB")
        if r.get("synthetic"):
            notes.append(
                f"synthetic vectors+text; build {r['build_store_s']}s + BM25 {r['build_bm25_s']}s"
            )
        if "floor_ms_at_peak" in r:
            notes.append(
                f"embeds {r['texts_embedded_per_ask']} texts / "
                f"{r['tokens_embedded_per_ask']} tokens per ask = "
                f"{r['gflop_per_ask']} GFLOP: {r['floor_ms_at_peak']} ms even at "
                "100% of peak"
            )
        if "median_s" in r:
            notes.append(f"process start to answer, median {r['median_s']} s")
        if "no_news_ms" in r:
            notes.append(
                f"first briefing {r['first_briefing_s']} s; refresh with no news "
                f"{r['no_news_ms']} ms (model loaded: {r['no_news_loaded_model']}); with "
                f"{r['arrived']} new articles {r['with_news_s']} s, {r['changes']} changes"
            )
        p50 = r.get("p50_ms", r.get("median_s", "") and r["median_s"] * 1000)
        lines.append(
            f"{r['phase']:22} {r.get('chunks', ''):>8} {r.get('chunks_per_s', ''):>9} "
            f"{p50 if p50 != '' else '':>8} {r.get('p95_ms', ''):>8} "
            f"{r['peak_mb']:>8}  {'; '.join(notes)}"
        )
    lines += ["", "ratios: " + ", ".join(f"{k} {v}" for k, v in result["ratios"].items())]
    return "\n".join(lines)
