"""`rag bench ingest-engines`: the local and the Ray ingest engine on one corpus, in one run.

Each engine ingests the same slice of a JSONL corpus into a fresh on-disk store, in a process
of its own (`python -m eval.bench.phases ingest-engine ...`), and reports chunks/s end to end
and without its start-up (loading the model; starting Ray), where the time went (parse,
chunk, embed, write; for Ray, chunk and embed are seconds summed over the workers and `wait`
is the driver waiting for them), the driver's peak RSS and each Ray worker's. From the Ray
engine's per-core rate it projects the nodes a 1M and a 10M article archive would need.
What it leaves out: a multi-node cluster (there is one machine here) and a Chroma server.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

NODE_CORES = 16  # the node size the projection assumes
PROJECT_HOURS = 24.0  # ... and the time it must finish in
ARCHIVES = (1_000_000, 10_000_000)


def phase_ingest_engine(corpus: Path, engine: str, ray_cpus: int) -> dict[str, Any]:
    """One engine, a fresh store, the whole slice; run in a process of its own."""
    import time

    from eval.bench.memory import peak_mb
    from rag import Settings, get_embed_model, ingest_paths

    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix=f"rag-bench-{engine}-")),
        collection="bench",
        ingest_engine=engine,
        ray_num_cpus=ray_cpus,
    )
    if engine == "local":  # the local engine loads its model in this process: time it apart
        started = time.perf_counter()
        get_embed_model(settings).get_text_embedding("warm")
        startup = time.perf_counter() - started
        report = ingest_paths([corpus], settings, progress=False)
        working, total = report.seconds, report.seconds + startup
    else:  # Ray's start is inside the run; each worker's model load stays in `working`
        report = ingest_paths([corpus], settings, progress=False)
        startup = report.timings.get("ray_start", 0.0)
        working, total = report.seconds - startup, report.seconds
    return {
        "phase": f"ingest-{engine}",
        "engine": engine,
        "articles": len(report.added),
        "chunks": report.chunks,
        "cpus": ray_cpus if engine == "ray" else os.cpu_count(),
        "startup_s": round(startup, 2),
        "seconds": round(report.seconds, 2),
        "chunks_per_s": round(report.chunks / working, 1),
        "chunks_per_s_with_startup": round(report.chunks / total, 1),
        "timings": {k: round(v, 2) for k, v in report.timings.items()},
        "workers_peak_mb": report.workers,
        "peak_mb": peak_mb(),
    }


def slice_corpus(corpus: Path, articles: int, folder: Path) -> Path:
    """The first `articles` records of a JSONL corpus, as a file of their own."""
    if not corpus.is_file():
        raise FileNotFoundError(f"{corpus}: no such corpus file")
    lines = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                lines.append(line if line.endswith("\n") else line + "\n")
            if len(lines) == articles:
                break
    target = folder / f"{corpus.stem}-{len(lines)}.jsonl"
    target.write_text("".join(lines), encoding="utf-8")
    return target


def run_engines(
    corpus: Path, articles: int, ray_cpus: int, echo: Callable[[str], None] = print
) -> dict[str, Any]:
    """Both engines, one after the other, on the same slice; rows, ratio and projection."""
    piece = slice_corpus(corpus, articles, Path(tempfile.mkdtemp(prefix="rag-bench-")))
    from eval.bench.runner import run_phase

    rows = []
    for engine in ("local", "ray"):
        echo(f"… ingest with the {engine} engine")
        rows.append(
            run_phase(
                "ingest-engine", {"corpus": str(piece), "engine": engine, "ray_cpus": ray_cpus}
            )
        )
    local, ray = rows
    per_article = ray["chunks"] / max(ray["articles"], 1)
    per_core = ray["chunks_per_s"] / ray["cpus"]
    return {
        "corpus": str(piece),
        "rows": rows,
        "ratio_ray_vs_local": round(ray["chunks_per_s"] / local["chunks_per_s"], 2),
        "chunks_per_article": round(per_article, 1),
        "chunks_per_s_per_core": round(per_core, 1),
        "projection": project(per_article, per_core),
        "cores_here": os.cpu_count(),
    }


def project(chunks_per_article: float, per_core: float) -> list[dict[str, Any]]:
    """Core-hours, and nodes of NODE_CORES cores to finish in PROJECT_HOURS, per archive."""
    out = []
    for articles in ARCHIVES:
        core_hours = articles * chunks_per_article / per_core / 3600
        out.append(
            {
                "articles": articles,
                "chunks": round(articles * chunks_per_article),
                "core_hours": round(core_hours),
                "nodes": math.ceil(core_hours / (NODE_CORES * PROJECT_HOURS)),
                "node_cores": NODE_CORES,
                "hours": PROJECT_HOURS,
            }
        )
    return out


def render_engines(result: dict[str, Any]) -> str:
    lines = [
        f"corpus {result['corpus']}; this machine has {result['cores_here']} cores, "
        "shared with other work (figures are noisy)",
        f"{'engine':8} {'articles':>8} {'chunks':>7} {'chunks/s':>9} {'with start':>10} "
        f"{'start s':>8}  where the time goes (s)",
    ]
    for r in result["rows"]:
        lines.append(
            f"{r['engine']:8} {r['articles']:>8} {r['chunks']:>7} "
            f"{r['chunks_per_s']:>9} {r['chunks_per_s_with_startup']:>10} "
            f"{r['startup_s']:>8}  " + ", ".join(f"{k} {v}" for k, v in r["timings"].items())
        )
        peak = f"  peak RSS: driver {r['peak_mb']} MB"
        if r["workers_peak_mb"]:
            peak += "; Ray workers " + ", ".join(f"{mb} MB" for mb in r["workers_peak_mb"].values())
        lines.append(peak)
    lines.append(
        f"ratio ray/local {result['ratio_ray_vs_local']}; "
        f"{result['chunks_per_article']} chunks per article; "
        f"{result['chunks_per_s_per_core']} chunks/s per Ray core"
    )
    for p in result["projection"]:
        lines.append(
            f"{p['articles']:,} articles = {p['chunks']:,} chunks: {p['core_hours']:,} "
            f"core-hours = {p['nodes']} node(s) of {p['node_cores']} cores for "
            f"{p['hours']:.0f} h"
        )
    return "\n".join(lines)
