"""Incremental, crash-safe ingest: parse, chunk, embed and store only what changed.

An article is skipped when its content hash and the chunking/embedding recipe match the
registry record; otherwise its chunks are rebuilt. Per batch the order is: embed (no store
writes), mark the articles `pending`, delete their old chunks, add the new ones, mark them
`done`. A run killed anywhere leaves at worst `pending` records, which the next run removes
together with their chunks before it starts, so nothing is duplicated and nothing half-written
is ever reported as stored. Parsing problems are reported per file and never touch stored data.

Near-duplicate articles (wire copies, re-posts) are grouped into stories as they are written:
each record carries its MinHash signature and story id, decided against the stored ones and
committed in the same window as its chunks (`rag.index.stories`). Records stored before stories
existed are grouped on the next ingest that reads their files, without re-embedding.

Two engines share every step but where chunking and embedding run: `local` (this process) and
`ray` (`rag.ingest.ray_engine`, workers on a Ray cluster); both hand finished batches to one
`BatchWriter` (`rag.ingest.commit`), so the registry, the chunk ids and the stories do not
depend on the engine. What to write is decided under the lock by `rag.ingest.planning`; what a
run did is its `IngestReport` (`rag.ingest.report`); what an interrupted run left is repaired
by `rag.ingest.repair`, and `--prune` is `rag.ingest.prune`.

Runs may overlap (two `rag ingest`s, an upload, `rag doctor --repair`): each batch is
committed under the store's write lock and its pending records carry the run's id and a
lease, so one run's repair never removes another live run's batch (`rag.index.writers`).
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from llama_index.core import Document
from llama_index.core.schema import BaseNode

from rag.errors import disk_full
from rag.index.bm25 import build_bm25
from rag.index.embedder import get_embed_model, get_embedder_spec
from rag.index.memory import give_back_memory
from rag.index.precision import embedder_name
from rag.index.store import Store
from rag.index.stories import StoryIndex, encode, signature
from rag.index.torch_bf16 import Bf16InChild
from rag.index.writers import RunMark, new_run_id
from rag.ingest.chunking import chunk_budget, chunk_documents
from rag.ingest.commit import BatchWriter, group_by_article
from rag.ingest.planning import plan
from rag.ingest.progress import IngestProgress
from rag.ingest.prune import prune as prune_gone
from rag.ingest.readers import Limits, ParseProblem, ParseResult, read_paths
from rag.ingest.repair import confirm_written, repair
from rag.ingest.report import IngestReport
from rag.ingest.urls import is_url
from rag.settings import Settings

log = logging.getLogger(__name__)
RECIPE_VERSION = 1  # bump when chunking or stored metadata changes meaning


def recipe(settings: Settings) -> str:
    """What, besides the text, decides an article's chunks and vectors."""
    spec = get_embedder_spec(settings)
    return (
        f"v{RECIPE_VERSION}|{embedder_name(settings)}|"
        f"{chunk_budget(settings, spec)}|{settings.chunk_overlap}"
    )


def ingest(
    paths: list[Path],
    settings: Settings,
    *,
    store: Store | None = None,
    prune: bool = False,
    progress: bool = True,
    on_problem: Callable[[ParseProblem], None] | None = None,
    protect_others: bool = False,
    fetched: ParseResult | None = None,
) -> IngestReport:
    """Bring the store in line with the articles under `paths`; see the module docstring.

    `protect_others` (uploads): a feed record may not replace an article stored from another
    feed file that still exists either (by default feeds may re-issue each other's records).

    `on_problem` hears every file or record refused and every `ParseWarning` (kept, with a
    caveat); by default they are logged.

    `fetched`: articles already read from elsewhere (the web: `rag.ingest.remote`), stored
    alongside the files'; their ids are urls and their `path` the URL they came through.
    """
    started = time.perf_counter()
    if settings.ingest_engine == "ray":  # missing Ray is said before any work is done
        from rag.ingest.ray_engine import import_ray

        import_ray()
    report = IngestReport()
    run_started = datetime.now(timezone.utc).isoformat(timespec="seconds")  # before reading
    parsing = time.perf_counter()
    parsed = read_paths(paths, Limits(settings.max_file_mb, settings.max_article_chars))
    report.add_time("parse", time.perf_counter() - parsing)
    if fetched is not None:
        _merge(parsed, fetched)
    report.problems = parsed.problems
    report.warnings = list(parsed.warnings)
    store = store or Store.open(settings)
    settings = store.embedding_settings(settings)  # embed at the store's own precision
    run_id = new_run_id()
    release = not store.read_only
    with nullcontext() if store.read_only else RunMark(settings.data_dir, run_id):
        try:
            _ingest_as(
                run_id,
                run_started,
                paths,
                parsed,
                settings,
                store,
                report,
                prune,
                progress,
                on_problem,
                protect_others,
            )
        except BaseException as err:
            # on a full disk nothing more is written, claims included (Chroma's delete was
            # seen waiting forever there); they die with this run's mark, or their lease
            release = release and disk_full(err, settings.data_dir, check_space=True) is None
            raise
        finally:
            if release:
                store.claims.drop(store.claims.of_run(run_id))  # what it did not get to write
    report.seconds = time.perf_counter() - started
    return report


def _ingest_as(
    run_id: str,
    run_started: str,
    paths: list[Path],
    parsed: ParseResult,
    settings: Settings,
    store: Store,
    report: IngestReport,
    prune: bool,
    progress: bool,
    on_problem: Callable[[ParseProblem], None] | None,
    protect_others: bool,
) -> None:
    """The writing part of `ingest`, as the run `run_id` (which holds its `RunMark`) that
    began reading files at `run_started` (ISO, UTC)."""
    report.repaired = repair(store, run_id)
    current_recipe = recipe(settings)
    roots = {str(p.resolve()): p for p in paths}
    docs = parsed.documents
    for doc in docs:
        origin = doc.metadata["path"]
        report.records_from.setdefault(
            origin if is_url(origin) else str(Path(origin).resolve()), []
        ).append(doc.doc_id)
    stored, todo = (
        plan(docs, store, current_recipe, run_id, report, protect_others) if docs else ({}, [])
    )
    for problem in [*report.problems, *report.warnings]:
        (on_problem or (lambda p: log.error("%s", p)))(problem)

    generation = store.generation()  # read first: a commit after it only means a regroup
    ungrouped = [
        d
        for d in docs
        if d.doc_id in report.skipped  # stored before stories
        and not stored[d.doc_id].story
    ]  # (a text too short has no minhash)
    # the stored stories, read only when something is to be grouped (re-ingesting 600
    # unchanged articles took 0.47 s reading and indexing them for nothing, 0.31 s without)
    stories = (
        StoryIndex.from_records(store.registry.records()) if todo or ungrouped else StoryIndex()
    )
    if ungrouped:
        report.grouping_seconds += _group_stored(ungrouped, store, stories)
    writer = BatchWriter(
        store, settings, current_recipe, roots, run_id, stories, report, seen_generation=generation
    )
    if todo:
        if settings.ingest_engine == "ray":
            from rag.ingest.ray_engine import write_on_ray

            report.chunks = write_on_ray(todo, settings, writer, progress)
        else:
            report.chunks = _write(todo, settings, writer, progress)
    with store.writing():  # no commit may land between reading the store and persisting
        confirm_written(store, writer.written, run_id)
        if prune:
            report.removed = prune_gone(
                store, roots, {d.doc_id for d in docs}, parsed.problems, run_started
            )
        if todo or report.removed or report.repaired or not settings.bm25_dir.exists():
            give_back_memory()  # what the commits freed, before the rebuild reads every chunk
            build_bm25(store, settings.candidates_k)


def _merge(parsed: ParseResult, fetched: ParseResult) -> None:
    """Add web articles to the files' (an id both give is a problem, as between files)."""
    parsed.problems += fetched.problems
    parsed.warnings += fetched.warnings
    ids = {d.doc_id: d.metadata["path"] for d in parsed.documents}
    for doc in fetched.documents:
        if doc.doc_id in ids:
            parsed.problems.append(
                ParseProblem(
                    doc.metadata["path"],
                    f"duplicate article id "
                    f"{doc.doc_id!r} (first seen in "
                    f"{ids[doc.doc_id]}); this copy was skipped",
                )
            )
            continue
        ids[doc.doc_id] = doc.metadata["path"]
        parsed.documents.append(doc)


def _group_stored(docs: list[Document], store: Store, stories: StoryIndex) -> float:
    """Give stored, unchanged articles that have no story yet (stored before stories existed)
    their signature and story: metadata only, no re-embedding. Returns the seconds spent."""
    started = time.perf_counter()
    signatures: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: (d.metadata.get("date") or "", d.doc_id)):
        mh = signature(doc.text)
        stories.assign(doc.doc_id, mh, doc.metadata["date"])
        signatures[doc.doc_id] = encode(mh)
    moved = stories.take_relabeled()  # stored articles a merge joined to another story
    regrouped = {d: stories.story_of[d] for d in [*signatures, *moved]}
    spent = time.perf_counter() - started
    with store.writing():
        store.registry.regroup(regrouped, signatures)
        store.registry.mark_versions(set(regrouped.values()))
    return spent  # no new generation: chunks (and so BM25) are unchanged


CHUNK_SLICE = 64  # articles chunked at a time, just ahead of the embedder
# Articles from which ingest embeds in bf16 where `auto` or the setting says so: loading
# PyTorch and the bf16 model takes ~4 s on 2 cores, which bf16's extra ~70 chunks/s over fp32
# earns back after ~300 chunks (~25 articles); a smaller job (an upload, a feed poll) embeds
# with the fp32 ONNX model already loaded for questions. Both write the same vectors.
BULK_ARTICLES = 40


def _write(todo: list[Document], settings: Settings, writer: BatchWriter, progress: bool) -> int:
    """The local engine: chunk a slice of articles, embed and commit, and so on.

    Chunking slice by slice (chunk ids depend only on their article) keeps in memory only the
    chunks about to be embedded, not the whole archive's (4,712 articles: 68k chunks held at
    once took the run to 2.8 GB), and the first batch is embedded at once instead of after a
    minute and a half of chunking. A bulk job embeds in a child process (`Bf16InChild`) one
    batch ahead of the commits (`BatchWriter.write`), so chunking and Chroma's writes here run
    beside it; on one interpreter lock they had only slowed it (80 s against 73 s for 600
    articles), in a child the 600 take 70 s and the archive 9.6 min instead of 12.9.
    """
    # bf16 pays for PyTorch's load (seconds) only on a large job; fp32 writes the same vectors
    embed = get_embed_model(settings, bulk=len(todo) >= BULK_ARTICLES, child=True)
    shown = IngestProgress(None, len(todo), enabled=progress)

    def chunked() -> Iterator[tuple[Document, list[BaseNode]]]:
        for first in range(0, len(todo), CHUNK_SLICE):
            started = time.perf_counter()
            part = todo[first : first + CHUNK_SLICE]
            by_doc = group_by_article(chunk_documents(part, settings))
            writer.report.add_time("chunk", time.perf_counter() - started)
            yield from ((d, by_doc.get(d.doc_id, [])) for d in part)

    try:
        written = writer.write(chunked(), embed, shown.update)
    finally:
        if isinstance(embed, Bf16InChild):
            embed.release()  # its memory back before the BM25 rebuild, and for a server
    shown.close()
    return written
