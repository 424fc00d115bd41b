"""`rag bench` runs every phase and reports figures (a smoke: it checks it works, not speed)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_rag


def test_bench_smoke_reports_every_phase(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_rag(
        "bench", "--articles", "6", "--scales", "500", "--no-cold", "--out", str(out), timeout=600
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    phases = {r["phase"]: r for r in data["rows"]}
    assert set(phases) == {
        "embed-onnx-fp32",
        "embed-onnx-int8",
        "embed-torch-bf16",
        "embed-torch",
        "ingest",
        "llamaindex-default",
        "query-500",
        "ask-warm",
        "topic-refresh",
    }
    assert phases["ingest"]["truncated_tokens"] == 0 and phases["ingest"]["chunks"] > 6
    assert phases["llamaindex-default"]["truncated_tokens"] > 0  # its chunks overflow 256
    assert phases["query-500"]["synthetic"] is True and phases["query-500"]["p50_ms"] > 0
    # each ceiling is a measured product of the phase's own arithmetic, timed apart from the
    # embedder, so a share can edge past 1 (1.05 in one CI run); a wrong ceiling is off by
    # multiples (28x when bf16 was held to a product on units the CPU lacks)
    for phase in ("embed-onnx-fp32", "embed-onnx-int8", "embed-torch-bf16"):
        assert 0 < phases[phase]["share_of_peak"] < 1.25
    int8 = phases["embed-onnx-int8"]
    assert int8["ceiling_gops"] == int8["cpu"]["int8_gops"] > 0
    assert isinstance(int8["cpu"]["int8_units"], list)
    bf16 = phases["embed-torch-bf16"]
    # where the CPU has bf16 units, their product's rate; else the fp32 units' peak
    own = bf16["cpu"]["bf16_gflops"] if bf16["cpu"]["bf16_units"] else bf16["cpu"]["peak_gflops"]
    assert bf16["ceiling_gops"] == own > 0
    assert bf16["cpu"]["bf16_product_size"] == (2048 if bf16["cpu"]["bf16_units"] else 512)
    assert phases["ingest"]["precision"] in ("fp32", "bf16")  # auto never picks int8
    topic = phases["topic-refresh"]  # nothing new: no model; the second half: a new version
    assert topic["status"] == ["no new articles", "changed"] and topic["arrived"] == 3
    assert topic["no_news_loaded_model"] is False and topic["no_news_ms"] > 0
    assert set(data["ratios"]) == {
        "bf16_vs_fp32_embedder",
        "int8_vs_fp32_embedder",
        "ingest_vs_raw_embedder",
        "ingest_vs_llamaindex_default",
        "onnx_vs_torch_embedder",
    }
    assert "ratios:" in result.stdout and "synthetic vectors+text" in result.stdout


def test_ingest_engines_bench_reports_both_engines(tmp_path: Path) -> None:
    """`rag bench ingest-engines` ingests the same slice with each engine into fresh stores."""
    import pytest

    pytest.importorskip("ray", reason="the Ray engine is an optional extra")
    from eval.bench import make_corpus

    corpus = make_corpus(tmp_path, 12)
    out = tmp_path / "engines.json"
    result = run_rag(
        "bench",
        "ingest-engines",
        "--corpus",
        str(corpus),
        "--articles",
        "8",
        "--out",
        str(out),
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    local, ray = data["rows"]
    assert (local["engine"], ray["engine"]) == ("local", "ray")
    assert local["articles"] == ray["articles"] == 8  # the slice, not the whole file
    assert local["chunks"] == ray["chunks"] > 8  # the same chunks either way
    assert {"parse", "chunk", "embed", "write"} <= set(local["timings"])
    assert {"parse", "chunk", "embed", "write", "ray_start"} <= set(ray["timings"])
    assert ray["workers_peak_mb"] and all(mb > 50 for mb in ray["workers_peak_mb"].values())
    assert data["ratio_ray_vs_local"] == round(ray["chunks_per_s"] / local["chunks_per_s"], 2)
    assert [p["articles"] for p in data["projection"]] == [1_000_000, 10_000_000]
    assert "ratio ray/local" in result.stdout and "Ray workers" in result.stdout
