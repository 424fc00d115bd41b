"""The bench's phases, each run in a process of its own (`python -m eval.bench.phases NAME ARGS`).

Each returns one JSON-able row: see `eval.bench` for what each phase measures.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.bench.corpus import DEFAULT_SEEDS
from eval.bench.cpu import WINDOW, cpu_bf16, cpu_int8, cpu_peak_flops, flop_per_chunk
from eval.bench.memory import children_peak_mb, peak_mb
from eval.bench.settings import bench_settings

SEEDS = Path(os.environ.get("RAG_BENCH_SEEDS") or DEFAULT_SEEDS).resolve()  # set by the runner


def _chunks(corpus: Path):  # type: ignore[no-untyped-def]
    from llama_index.core.ingestion import run_transformations
    from llama_index.core.schema import MetadataMode

    from rag import build_transformations, read_paths

    docs = read_paths([corpus]).documents
    nodes = run_transformations(docs, build_transformations(bench_settings(Path("."))))
    return docs, [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]


def phase_embed(corpus: Path, runtime: str, precision: str = "fp32") -> dict[str, Any]:
    from rag import get_embed_model, get_embedder_spec

    _, texts = _chunks(corpus)
    settings = bench_settings(
        Path(tempfile.mkdtemp()), embed_runtime=runtime, embed_precision=precision
    )
    model = get_embed_model(settings, bulk=True)  # what ingest embeds with
    model.get_text_embedding_batch(texts[:8])  # load and warm
    spec = get_embedder_spec(settings)
    tokens = [min(WINDOW, spec.count_tokens(t) + 2) for t in texts]
    started = time.perf_counter()
    model.get_text_embedding_batch(texts)
    seconds = time.perf_counter() - started
    flops = sum(flop_per_chunk(t) for t in tokens)
    peak = cpu_peak_flops()
    # the ceiling of the arithmetic this path runs: fp32 FMAs, or int8 multiply-adds
    ceiling = peak["peak_gflops"]
    if precision == "int8":
        peak |= cpu_int8()
        ceiling = peak["int8_gops"]
    elif precision == "bf16":
        peak |= cpu_bf16()
        # without bf16 units the products run on the fp32 units, whose peak is then the
        # ceiling: there a 2048-square bf16 product is no measure of it (on an AVX2-only AMD
        # EPYC it reached 0.2 GFLOP/s, a 28th of the bf16 embedder's own rate)
        ceiling = peak["bf16_gflops"] if peak["bf16_units"] else peak["peak_gflops"]
    name = {"torch": "embed-torch", "onnx": f"embed-onnx-{precision}"}[runtime]
    if precision == "bf16":
        name = "embed-torch-bf16"
    return {
        "phase": name,
        "precision": precision,
        "chunks": len(texts),
        "seconds": round(seconds, 2),
        "chunks_per_s": round(len(texts) / seconds, 1),
        "tokens_per_s": round(sum(tokens) / seconds),
        "gflop_per_chunk": round(flops / len(texts) / 1e9, 2),
        "achieved_gflops": round(flops / seconds / 1e9, 1),
        "ceiling_gops": ceiling,
        "share_of_peak": round(flops / seconds / 1e9 / ceiling, 3),
        "cpu": peak,
        "peak_mb": peak_mb(),
    }


def phase_ingest(corpus: Path) -> dict[str, Any]:
    from rag import Store, get_embed_model, ingest_paths, sentence_spans

    settings = bench_settings(Path(tempfile.mkdtemp()))
    # what a long-running ingest pays once, outside the timing like the raw embedder's load:
    get_embed_model(settings, bulk=True, child=True).get_text_embedding("warm")  # ingest's
    sentence_spans("Warm. Up.")  # Punkt (NLTK import)
    Store.open(settings)  # Chroma client
    first = ingest_paths([corpus], settings, progress=False)
    again = ingest_paths([corpus], settings, progress=False)
    articles = len(first.added)
    return {
        "phase": "ingest",
        "precision": Store.open(settings).settings.embed_precision,
        "articles": articles,
        "chunks": first.chunks,
        "seconds": round(first.seconds, 2),
        "chunks_per_s": round(first.chunks / first.seconds, 1),
        "reingest_seconds": round(again.seconds, 3),
        "reingest_articles_per_s": round(articles / max(again.seconds, 1e-6)),
        "truncated_tokens": 0,
        "peak_mb": peak_mb(),
        "embedder_process_peak_mb": children_peak_mb(),  # the child bf16 embeds in
    }


def phase_llamaindex(corpus: Path) -> dict[str, Any]:
    import chromadb
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import MetadataMode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag import get_embed_model, get_embedder_spec

    docs, _ = _chunks(corpus)
    for doc in docs:  # the default path embeds every metadata key; keep it comparable
        doc.excluded_embed_metadata_keys = []
    settings = bench_settings(Path(tempfile.mkdtemp()), embed_runtime="torch")
    model = get_embed_model(settings)
    model.get_text_embedding("warm")
    client = chromadb.PersistentClient(path=str(settings.data_dir / "li"))
    store = ChromaVectorStore(
        chroma_collection=client.get_or_create_collection(
            "llamaindex-default", embedding_function=None
        )
    )
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(
        docs,
        storage_context=StorageContext.from_defaults(vector_store=store),
        embed_model=model,
        show_progress=False,
    )
    seconds = time.perf_counter() - started
    spec = get_embedder_spec(settings)
    nodes = list(index.docstore.docs.values()) or store.get_nodes(None)
    lengths = [
        spec.count_tokens(n.get_content(metadata_mode=MetadataMode.EMBED)) + 2 for n in nodes
    ]
    lost = sum(max(0, n - WINDOW) for n in lengths)
    return {
        "phase": "llamaindex-default",
        "chunks": len(nodes),
        "seconds": round(seconds, 2),
        "chunks_per_s": round(len(nodes) / seconds, 1),
        "truncated_tokens": lost,
        "truncated_share": round(lost / max(1, sum(lengths)), 3),
        "chunks_over_window": sum(n > WINDOW for n in lengths),
        "peak_mb": peak_mb(),
    }


def phase_ask(corpus: Path) -> dict[str, Any]:
    """Warm extractive answers, and the embedding work each one needs (its floor at peak)."""
    from llama_index.core.instrumentation import get_dispatcher
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler
    from llama_index.core.instrumentation.events.embedding import EmbeddingEndEvent

    from rag import Assistant, get_embedder_spec, ingest_paths, shared_reader

    settings = bench_settings(Path(tempfile.mkdtemp()))
    ingest_paths([SEEDS], settings, progress=False)
    # without the answering vector cache: each ask pays for all its embedding work, which is
    # what this phase reports (the same questions asked again would otherwise be cached)
    assistant = Assistant.from_settings(settings.model_copy(update={"answer_vector_cache": 0}))
    spec = get_embedder_spec(settings)
    embedded: list[str] = []

    class Count(BaseEventHandler):
        def handle(self, event: Any, **kwargs: Any) -> None:
            if isinstance(event, EmbeddingEndEvent):
                embedded.extend(event.chunks)

    questions = [
        "How many hostages are held by Hamas in Gaza?",
        "Who is Mohammed Deif?",
        "When did Gallant meet Hochstein?",
        "What did Austin say about the pier?",
        "How many Israelis have been displaced?",
    ]
    assistant.ask(questions[0])
    get_dispatcher().add_event_handler(Count())
    reader = shared_reader()
    seconds, windows = reader.seconds, reader.windows_read
    times = []
    for _ in range(4):
        for q in questions:
            reader.clear_cache()  # each ask pays for its reading, as a new question would
            times.append(assistant.ask(q).timings_ms["total"])
    reader_ms = (reader.seconds - seconds) * 1000 / len(times)
    tokens = [min(WINDOW, spec.count_tokens(t) + 2) for t in embedded]
    gflop = sum(flop_per_chunk(t) for t in tokens) / len(times) / 1e9
    peak = cpu_peak_flops()["peak_gflops"]
    return {
        "phase": "ask-warm",
        "asks": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 1),
        "reader_ms_per_ask": round(reader_ms, 1),
        "reader_share": round(reader_ms / statistics.mean(times), 2),
        "reader_windows_per_ask": round((reader.windows_read - windows) / len(times), 1),
        "texts_embedded_per_ask": round(len(embedded) / len(times), 1),
        "tokens_embedded_per_ask": round(sum(tokens) / len(times)),
        "gflop_per_ask": round(gflop, 1),
        "floor_ms_at_peak": round(gflop / peak * 1000, 1),
        "peak_mb": peak_mb(),
    }


def phase_cold(repeats: int = 3) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp())
    env = {**os.environ, "RAG_DATA_DIR": str(data)}
    cmd = [sys.executable, "-m", "rag.cli"]
    subprocess.run(cmd + ["ingest", str(SEEDS)], env=env, capture_output=True, check=True)
    times, peaks = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        proc = subprocess.run(
            cmd + ["ask", "Who is Mohammed Deif?"], env=env, capture_output=True, text=True
        )
        times.append(time.perf_counter() - started)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peaks.append(usage.ru_maxrss / 1024)
        assert proc.returncode == 0, proc.stderr
    return {
        "phase": "cold-ask",
        "median_s": round(statistics.median(times), 2),
        "runs_s": [round(t, 2) for t in times],
        "peak_mb": round(max(peaks), 1),
    }


def run_phase(name: str, args: dict[str, Any]) -> dict[str, Any]:
    match name:
        case "embed":
            return phase_embed(Path(args["corpus"]), args["runtime"], args.get("precision", "fp32"))
        case "ingest":
            return phase_ingest(Path(args["corpus"]))
        case "llamaindex":
            return phase_llamaindex(Path(args["corpus"]))
        case "query":
            from eval.bench.query_scale import phase_query

            return phase_query(int(args["scale"]))
        case "ask":
            return phase_ask(Path(args["corpus"]))
        case "cold":
            return phase_cold()
        case "topic":
            from eval.bench.topic_refresh import phase_topic

            return phase_topic(Path(args["corpus"]))
        case "ingest-engine":
            from eval.bench.engines import phase_ingest_engine

            return phase_ingest_engine(Path(args["corpus"]), args["engine"], int(args["ray_cpus"]))
    raise ValueError(f"unknown phase {name!r}")


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import logging

    logging.disable(logging.WARNING)
    print(json.dumps(run_phase(sys.argv[1], json.loads(sys.argv[2]))))
