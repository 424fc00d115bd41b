"""The node projection of `rag bench ingest-engines` is plain arithmetic on measured rates."""

from __future__ import annotations

from eval.bench.engines import NODE_CORES, PROJECT_HOURS, project


def test_projection_scales_with_articles_and_rounds_nodes_up() -> None:
    one, ten = project(chunks_per_article=10.0, per_core=10.0)
    # 1M articles x 10 chunks / 10 chunks/s per core = 1M core-seconds = 277.8 core-hours
    assert one["chunks"] == 10_000_000 and one["core_hours"] == 278
    assert one["nodes"] == 1  # 278 core-hours < 16 cores x 24 h = 384
    assert ten["core_hours"] == 2778
    assert ten["nodes"] == -(-2778 // (NODE_CORES * PROJECT_HOURS))  # 7.2 -> 8 nodes
    assert ten["nodes"] == 8
