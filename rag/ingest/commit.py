"""The commit window: chunked articles gathered into batches and written, pending -> done.

`BatchWriter` is the one path both ingest engines (this process, and Ray workers) take: each
hands it its chunked articles in the order they were read, as they are ready, and it fills
batches of about `ingest_batch_chunks` chunks, embeds a batch if the engine has not
(the local engine), assigns stories on one process (`rag.index.stories`), marks the batch
pending, replaces its chunks, marks it done, all under the store's write lock, and writes
only articles this run still holds the claim of. Chunking happens before it.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from llama_index.core import Document
from llama_index.core.schema import BaseNode

from rag.index.registry_records import DONE, ArticleRecord
from rag.index.store import Store
from rag.index.stories import StoryIndex, encode, signature
from rag.index.writers import lease_fields
from rag.ingest.report import IngestReport
from rag.ingest.urls import is_url
from rag.settings import Settings

# what an article's registry record copies from its metadata (`rag.ingest.formats`)
FROM_ARTICLE = ("content_hash", "title", "date", "date_int", "source", "url", "path")


def root_of(doc: Document, roots: dict[str, Path]) -> str:
    """The folder or file given that `doc` was found under; "" for a web article (never
    pruned by a file ingest)."""
    if is_url(doc.metadata["path"]):
        return ""
    path = Path(doc.metadata["path"]).resolve()
    for root in roots:
        if path == Path(root) or Path(root) in path.parents:
            return root
    return ""


def group_by_article(nodes: list[BaseNode]) -> dict[str, list[BaseNode]]:
    """Chunks keyed by the id of the article they came from, in chunk order."""
    by_doc: dict[str, list[BaseNode]] = {}
    for node in nodes:
        by_doc.setdefault(node.ref_doc_id or "", []).append(node)
    return by_doc


@dataclass
class BatchWriter:
    """Commits chunked articles batch by batch with the registry's pending -> done window.

    Both engines hand it their articles with their chunks (`write`), in the order the
    articles were read; stories are assigned here, on one process, so the result does not
    depend on which worker embedded what.
    """

    store: Store
    settings: Settings
    current_recipe: str
    roots: dict[str, Path]
    run_id: str
    stories: StoryIndex
    report: IngestReport
    written: dict[str, str] = field(default_factory=dict)  # doc id -> content hash committed
    seen_generation: str = ""  # the store's generation `stories` reflects

    def write(
        self,
        articles: Iterable[tuple[Document, list[BaseNode]]],
        embed: Callable[[list[BaseNode]], object] | None = None,
        on_commit: Callable[[int, int], object] = lambda chunks, articles: None,
    ) -> int:
        """Commit `articles` (each with all its chunks, in reading order) in batches of at
        least `ingest_batch_chunks` chunks (the last one smaller); returns the chunks written.

        `embed` sets the embedding of a batch's chunks in place (None: they come embedded);
        it runs on a second thread, one batch ahead, while this one commits the batch before
        and chunks what comes next (`articles` is read lazily). On 2 cores the bf16 embedder
        alone left a third of the machine idle through each commit and each slice of
        chunking. Commits still happen here, one at a time and in reading order, each after
        its own batch is embedded, so the crash-safety argument is the sequential one.
        `on_commit` hears the chunks and articles each commit wrote."""
        batches = self._batches(articles)
        if embed is None:
            return sum(self._commit_and_tell(b, d, on_commit) for b, d in batches)
        written = 0
        with ThreadPoolExecutor(1, thread_name_prefix="embed") as ahead:
            waiting: tuple[Future[float], list[Document], dict[str, list[BaseNode]]] | None = None
            for batch, by_doc in batches:
                nodes = [n for d in batch for n in by_doc[d.doc_id]]
                embedding = ahead.submit(_timed, embed, nodes)  # in place
                if waiting is not None:
                    written += self._commit_embedded(*waiting, on_commit)
                waiting = (embedding, batch, by_doc)
            if waiting is not None:
                written += self._commit_embedded(*waiting, on_commit)
        return written

    def _batches(
        self, articles: Iterable[tuple[Document, list[BaseNode]]]
    ) -> Iterator[tuple[list[Document], dict[str, list[BaseNode]]]]:
        """`articles` gathered into batches of at least `ingest_batch_chunks` chunks."""
        batch: list[Document] = []
        by_doc: dict[str, list[BaseNode]] = {}
        filled = 0
        for doc, chunks in articles:
            batch.append(doc)
            by_doc[doc.doc_id] = chunks
            filled += len(chunks)
            if filled >= self.settings.ingest_batch_chunks:
                yield batch, by_doc
                batch, by_doc, filled = [], {}, 0
        if batch:
            yield batch, by_doc

    def _commit_embedded(
        self,
        embedding: Future[float],
        batch: list[Document],
        by_doc: dict[str, list[BaseNode]],
        on_commit: Callable[[int, int], object],
    ) -> int:
        """Wait for the batch's vectors (an embedder's error is raised here), then commit."""
        self.report.add_time("embed", embedding.result())
        return self._commit_and_tell(batch, by_doc, on_commit)

    def _commit_and_tell(
        self,
        batch: list[Document],
        by_doc: dict[str, list[BaseNode]],
        on_commit: Callable[[int, int], object],
    ) -> int:
        written = self.commit(batch, by_doc)
        on_commit(written, len(batch))
        return written

    def commit(self, batch: list[Document], by_doc: dict[str, list[BaseNode]]) -> int:
        """Store `batch` (chunks already embedded in `by_doc`); returns the chunks written.

        Only articles this run still holds the claim of are written: another run may have
        taken one over meanwhile, with a newer text of the same file."""
        started = time.perf_counter()
        store, registry = self.store, self.store.registry
        with store.writing():  # the commit window: pending ... done
            batch = self._still_claimed(batch)
            batch_nodes = [n for d in batch for n in by_doc.get(d.doc_id, [])]
            grouping = time.perf_counter()
            if batch and store.generation() != self.seen_generation:  # another run wrote
                self.stories = StoryIndex.from_records(registry.records())
            touched = {
                self.stories.story_of[d.doc_id] for d in batch if d.doc_id in self.stories.story_of
            }
            signatures = {}
            for d in batch:
                mh = signature(d.text)
                self.stories.assign(d.doc_id, mh, d.metadata["date"])
                signatures[d.doc_id] = encode(mh)
            records = {
                d.doc_id: record_of(
                    d,
                    len(by_doc.get(d.doc_id, [])),
                    self.current_recipe,
                    root_of(d, self.roots),
                    self.run_id,
                    signatures[d.doc_id],
                    self.stories.story_of[d.doc_id],
                )
                for d in batch
            }
            moved = {
                d: s for d, s in self.stories.take_relabeled().items() if d not in records
            }  # stored articles a merge joined to another story
            touched |= set(moved.values())
            self.report.grouping_seconds += time.perf_counter() - grouping
            lease = lease_fields(self.run_id, self.settings.write_lease_seconds)
            if records:
                registry.mark_pending(records, **lease)
                store.delete_chunks(records)
                if batch_nodes:
                    store.vector_store.add(batch_nodes)
                registry.put(records)
                registry.regroup(moved)
                registry.mark_versions(touched | {r.story for r in records.values()})
                registry.bump_generation()
                self.seen_generation = registry.generation()
            store.claims.drop(records)
            self.written.update({d: r.content_hash for d, r in records.items()})
            if not store.lock_is_exclusive:  # on a server, claims live by their lease
                store.claims.renew(self.run_id, lease["lease_until"])
        self.report.add_time("write", time.perf_counter() - started)
        return len(batch_nodes)

    def _still_claimed(self, batch: list[Document]) -> list[Document]:
        """The articles of `batch` no other run has taken over since this one planned; the
        rest are reported as left to that run. Call with the write lock held."""
        claims = self.store.claims.records([d.doc_id for d in batch])
        kept = []
        for doc in batch:
            claim = claims.get(doc.doc_id)
            # None: a lapsed lease cleared; a claim naming no owner is taken as this run's
            if claim is None or claim.owner == self.run_id or "owner" in claim.absent:
                kept.append(doc)
                continue
            for listed in (self.report.added, self.report.updated):
                if doc.doc_id in listed:
                    listed.remove(doc.doc_id)
            self.report.deferred.append(doc.doc_id)
        return kept


def _timed(embed: Callable[[list[BaseNode]], object], nodes: list[BaseNode]) -> float:
    """Run `embed` on `nodes`; the seconds it took (the report's "embed" time)."""
    started = time.perf_counter()
    embed(nodes)
    return time.perf_counter() - started


def record_of(
    doc: Document,
    chunks: int,
    current_recipe: str,
    root: str,
    run_id: str,
    minhash: str,
    story: str,
) -> ArticleRecord:
    """The registry record of an article written now (status done): what the article's
    metadata says of it (`FROM_ARTICLE`), and what this run made of it."""
    return ArticleRecord(  # owner/lease_until overwrite the pending record's
        **{key: doc.metadata[key] for key in FROM_ARTICLE},
        owner=run_id,
        lease_until=0.0,
        status=DONE,
        recipe=current_recipe,
        root=root,
        chunks=chunks,
        chars=len(doc.text),
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        minhash=minhash,
        story=story,
    )
