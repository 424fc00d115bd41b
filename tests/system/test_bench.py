"""`rag bench` runs every phase and reports figures (a smoke: it checks it works, not speed)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_rag


def test_bench_smoke_reports_every_phase(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_rag("bench", "--articles", "6", "--scales", "500", "--no-cold", "--out",
                     str(out), timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    phases = {r["phase"]: r for r in data["rows"]}
    assert set(phases) == {"embed-onnx", "embed-torch", "ingest", "llamaindex-default",
                           "query-500", "ask-warm"}
    assert phases["ingest"]["truncated_tokens"] == 0 and phases["ingest"]["chunks"] > 6
    assert phases["llamaindex-default"]["truncated_tokens"] > 0  # its chunks overflow 256
    assert phases["query-500"]["synthetic"] is True and phases["query-500"]["p50_ms"] > 0
    assert 0 < phases["embed-onnx"]["share_of_peak"] < 1
    assert set(data["ratios"]) == {"ingest_vs_raw_embedder", "ingest_vs_llamaindex_default",
                                   "onnx_vs_torch_embedder"}
    assert "ratios:" in result.stdout and "synthetic vectors+text" in result.stdout
