"""The Ray ingest engine: chunk and embed on a Ray cluster, commit on the driver.

`rag ingest --engine ray` reads and filters articles exactly as the local engine does
(`rag.ingest.pipeline`: parse, skip unchanged ones by content hash), then hands the articles
to change to Ray Data through llama-index's Ray ingestion component
(`llama_index.ingestion.ray.RayTransformComponent`): a pool of actors, one per CPU, each
loading the embedder ONCE and running the same chunking (`chunking.chunk_documents`) and the
same embedder (`rag.index.embedder`) as the local engine on batches of articles. The embedded
chunks stream back in the articles' order and the driver commits them batch by batch with the
local engine's `BatchWriter`, so the registry works the same: pending -> done per batch, a
killed run repaired by the next, chunk ids and texts identical.

A worker that dies is restarted by Ray and its batch run again (Ray Data's actor pools retry
by default); a chunk that comes back twice is kept once. With `RAY_ADDRESS` set the run joins
that cluster (every node needs rag-news installed); otherwise it starts a local Ray with
`RAG_RAY_NUM_CPUS` CPUs and stops it at the end. Parsing stays on the driver: it is a small
share of the time (see `rag bench ingest-engines`) and needs the whole run's view of ids.
What this leaves out: writing from the workers (one writer keeps the commit window simple)
and any scheduling of its own (Ray's).
"""

from __future__ import annotations

import logging
import os
import resource
import socket
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from llama_index.core import Document
from llama_index.core.schema import BaseNode, TransformComponent
from pydantic import PrivateAttr

from rag.errors import EngineUnavailable
from rag.ingest.report import IngestReport
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.ingest.commit import BatchWriter

log = logging.getLogger(__name__)
STATS_KEY = "_ray_worker"  # rides on the first chunk of each batch; popped before storing
INSTALL_HINT = "Ray is not installed: pip install 'rag-news[ray]'"


class ChunkAndEmbed(TransformComponent):
    """Articles in, embedded chunks out: what one Ray worker does, embedder loaded once."""

    _settings: Settings = PrivateAttr()
    _embed: Any = PrivateAttr()
    _load_s: float = PrivateAttr(default=0.0)

    def __init__(self, settings: Settings, threads: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from rag.index.embedder import get_embed_model

        started = time.perf_counter()
        self._settings = settings
        self._embed = get_embed_model(settings, threads=threads, bulk=True)
        self._load_s = time.perf_counter() - started

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        from rag.ingest.chunking import chunk_documents

        started = time.perf_counter()
        chunks = chunk_documents(list(nodes), self._settings)  # type: ignore[arg-type]
        chunked = time.perf_counter()
        if chunks:
            self._embed(chunks)  # sets each chunk's embedding
            chunks[0].metadata[STATS_KEY] = {
                "worker": f"{socket.gethostname()}:{os.getpid()}",
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "chunk_s": chunked - started,
                "embed_s": time.perf_counter() - chunked,
                "load_s": self._load_s,
            }
            self._load_s = 0.0
        return chunks


def import_ray() -> Any:
    """The `ray` module, or one line saying how to install it."""
    try:
        import llama_index.ingestion.ray  # noqa: F401
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise EngineUnavailable(INSTALL_HINT) from err
    return ray


def worker_env() -> dict[str, str]:
    """What Ray workers need to load the embedder offline and import this very `rag`."""
    here = str(Path(__file__).resolve().parents[2])
    env = {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p),
    }
    if os.environ.get("XDG_CACHE_HOME"):  # where the exported ONNX model is cached
        env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
    return env


def connect(settings: Settings) -> bool:
    """Join the cluster at RAY_ADDRESS or start a local Ray; True when this call started or
    joined it (and so must shut it down), False when Ray was already up in this process."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    # the driver's C++ core prints warnings (e.g. about actor restarts) straight to stderr;
    # failures still arrive as Python exceptions with their message
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "error")
    warnings.filterwarnings("ignore", module=r"ray(\..*)?")
    common: dict[str, Any] = dict(
        logging_level=logging.ERROR, log_to_driver=False, runtime_env={"env_vars": worker_env()}
    )
    address = os.environ.get("RAY_ADDRESS")
    if address:
        _reachable(address)
    started = time.perf_counter()
    try:
        if address:
            ray.init(address=address, **common)
        else:
            ray.init(
                num_cpus=settings.ray_num_cpus,
                include_dashboard=False,
                object_store_memory=settings.ray_object_store_mb * 1024 * 1024,
                **common,
            )
    except Exception as err:
        where = f"the Ray cluster at RAY_ADDRESS={address}" if address else "a local Ray"
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        raise EngineUnavailable(f"Cannot start or reach {where} ({reason})") from err
    _errors_to_log()
    log.info("Ray %s in %.1f s", "joined" if address else "started", time.perf_counter() - started)
    return True


def _reachable(address: str) -> None:
    """Refuse a RAY_ADDRESS of the form [ray://]host:port that does not answer within 5 s:
    `ray.init` would otherwise retry for minutes, printing a warning every few seconds."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" and the like: leave it to Ray
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise EngineUnavailable(
            f"Cannot reach the Ray cluster at RAY_ADDRESS={address} "
            f"({err.strerror or err}); start it with `ray start --head` or unset RAY_ADDRESS "
            "to start a local Ray"
        ) from err


def _errors_to_log() -> None:
    """Ray prints the cluster's error events (a worker died, its task is retried) on the
    driver's stdout, where the CLI writes its summary; send each as one warning line to the
    log instead. Ray has no public switch for this, so its printer is wrapped (left as it is
    if a later Ray moves it)."""
    import ray._private.worker as ray_worker

    original = getattr(ray_worker, "print_to_stdstream", None)
    if original is None or getattr(original, "_rag_wrapped", False):
        return

    def to_log(data: dict[str, Any], ignore_prefix: bool) -> None:
        if data.get("pid") != "raylet":
            original(data, ignore_prefix)
            return
        for message in data.get("lines", []):
            first = (str(message).strip().splitlines() or [""])[0]
            log.warning("Ray: %s (Ray runs the batch again)", first[:200])

    to_log._rag_wrapped = True  # type: ignore[attr-defined]
    ray_worker.print_to_stdstream = to_log


def _quiet_data(ray: Any) -> None:
    """Ray Data keeps the articles' order (commits and stories as in the local engine) and
    keeps its own progress bars and execution logs out of the CLI."""
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    if hasattr(ctx, "print_on_execution_start"):
        ctx.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def write_on_ray(
    todo: list[Document], settings: Settings, writer: BatchWriter, progress: bool
) -> int:
    """Chunk and embed `todo` on Ray, committing with `writer` (`rag.ingest.commit.BatchWriter`) as
    finished articles come back; returns the chunks written."""
    ray = import_ray()
    started = time.perf_counter()
    started_here = connect(settings)
    writer.report.add_time("ray_start", time.perf_counter() - started)
    try:
        return _run(ray, todo, settings, writer, progress)
    finally:
        if started_here:
            ray.shutdown()


def _run(
    ray: Any, todo: list[Document], settings: Settings, writer: BatchWriter, progress: bool
) -> int:
    from llama_index.ingestion.ray import RayTransformComponent
    from llama_index.ingestion.ray.utils import ray_serialize_node

    from rag.ingest.progress import IngestProgress

    _quiet_data(ray)
    workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    step = RayTransformComponent(
        transform_class=ChunkAndEmbed,
        transform_kwargs={"settings": settings, "threads": 1},
        map_batches_kwargs={
            "batch_size": settings.ray_batch_articles,
            "concurrency": workers,
            "num_cpus": 1,
        },
    )
    items = [ray_serialize_node(d) for d in todo]
    blocks = max(workers, -(-len(items) // settings.ray_batch_articles))  # every worker busy
    dataset = step(ray.data.from_items(items, override_num_blocks=max(1, min(len(items), blocks))))

    shown = IngestProgress(None, len(todo), enabled=progress, label="Embedding on Ray")
    written = writer.write(_finished(dataset, todo, writer.report), on_commit=shown.update)
    shown.close()
    return written


def _finished(
    dataset: Any, todo: list[Document], report: IngestReport
) -> Iterator[tuple[Document, list[BaseNode]]]:
    """Each article of `todo` with its embedded chunks, in order, as soon as all of them are
    back (rows come back in the articles' order, so a row of a later article means every
    earlier one is complete). The seconds spent waiting for rows are the report's `wait`."""
    from llama_index.ingestion.ray.utils import ray_deserialize_node

    by_doc: dict[str, dict[str, BaseNode]] = {}
    nxt = 0  # todo[:nxt] have been handed on
    position = {d.doc_id: i for i, d in enumerate(todo)}
    waited = time.perf_counter()
    for row in dataset.iter_rows():
        node = ray_deserialize_node(row)
        stats = node.metadata.pop(STATS_KEY, None)
        if stats:
            _account(report, stats)
        at = position.get(node.ref_doc_id or "", -1)
        if at < nxt:  # a retried batch sent an already committed article again
            continue
        by_doc.setdefault(node.ref_doc_id or "", {})[node.node_id] = node
        if at > nxt:
            report.add_time("wait", time.perf_counter() - waited)
            for doc in todo[nxt:at]:
                nxt += 1
                yield doc, list(by_doc.pop(doc.doc_id, {}).values())
            waited = time.perf_counter()
    report.add_time("wait", time.perf_counter() - waited)
    for doc in todo[nxt:]:
        yield doc, list(by_doc.pop(doc.doc_id, {}).values())


def _account(report: IngestReport, stats: dict[str, Any]) -> None:
    """Worker-side seconds (summed over workers) and each worker's peak RSS."""
    report.add_time("chunk", stats["chunk_s"])
    report.add_time("embed", stats["embed_s"])
    report.add_time("load_embedder", stats["load_s"])
    report.workers[stats["worker"]] = max(
        report.workers.get(stats["worker"], 0.0), round(stats["peak_mb"], 1)
    )
