"""The commit window: embedded articles written batch by batch, pending -> done.

`BatchWriter` is the one place both ingest engines (this process, and Ray workers) hand
finished batches: it assigns stories on one process (`rag.index.stories`), marks the batch
pending, replaces its chunks, marks it done, all under the store's write lock, and writes
only articles this run still holds the claim of. Chunking and embedding happen before it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from llama_index.core import Document
from llama_index.core.schema import BaseNode

from rag.index.store import Store
from rag.index.stories import StoryIndex, encode, signature
from rag.index.writers import lease_fields
from rag.ingest.report import IngestReport
from rag.ingest.urls import is_url
from rag.settings import Settings


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
    """Commits embedded articles batch by batch with the registry's pending -> done window.

    Both engines hand it finished batches (articles with their embedded chunks, in the order
    the articles were read); stories are assigned here, on one process, so the result does
    not depend on which worker embedded what.
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

    def commit(self, batch: list[Document], by_doc: dict[str, list[BaseNode]]) -> int:
        """Store `batch` (chunks already embedded in `by_doc`); returns the chunks written.

        Only articles this run still holds the claim of are written: another run may have
        taken one over meanwhile, with a newer text of the same file."""
        started = time.perf_counter()
        store = self.store
        with store.writing():  # the commit window: pending ... done
            batch = self._still_claimed(batch)
            batch_nodes = [n for d in batch for n in by_doc.get(d.doc_id, [])]
            records = {
                d.doc_id: record_of(
                    d,
                    len(by_doc.get(d.doc_id, [])),
                    self.current_recipe,
                    root_of(d, self.roots),
                    self.run_id,
                )
                for d in batch
            }
            grouping = time.perf_counter()
            if records and store.generation() != self.seen_generation:  # another run wrote
                self.stories = StoryIndex.from_records(store.article_records())
            touched = {
                self.stories.story_of[d.doc_id] for d in batch if d.doc_id in self.stories.story_of
            }
            for d in batch:
                mh = signature(d.text)
                self.stories.assign(d.doc_id, mh, d.metadata["date"])
                records[d.doc_id]["minhash"] = encode(mh)
            for doc_id in records:
                records[doc_id]["story"] = self.stories.story_of[doc_id]
            moved = {
                d: {"story": s}
                for d, s in self.stories.take_relabeled().items()
                if d not in records
            }  # stored articles a merge joined to another story
            touched |= {f["story"] for f in moved.values()}
            self.report.grouping_seconds += time.perf_counter() - grouping
            lease = lease_fields(self.run_id, self.settings.write_lease_seconds)
            if records:
                store.put_articles(
                    {k: {**v, **lease, "status": "pending"} for k, v in records.items()}
                )
                store.delete_chunks(records)
                if batch_nodes:
                    store.vector_store.add(batch_nodes)
                store.put_articles(records)
                store.update_records(moved)
                store.mark_versions(touched | {r["story"] for r in records.values()})
                store.bump_generation()
                self.seen_generation = store.generation()
            store.drop_claims(records)
            self.written.update({d: r["content_hash"] for d, r in records.items()})
            if not store.lock_is_exclusive:  # on a server, claims live by their lease
                store.renew_claims(self.run_id, lease["lease_until"])
        self.report.add_time("write", time.perf_counter() - started)
        return len(batch_nodes)

    def _still_claimed(self, batch: list[Document]) -> list[Document]:
        """The articles of `batch` no other run has taken over since this one planned; the
        rest are reported as left to that run. Call with the write lock held."""
        claims = self.store.claim_records([d.doc_id for d in batch])
        kept = []
        for doc in batch:
            owner = claims.get(doc.doc_id, {}).get("owner")
            if owner in (self.run_id, None):  # None: a lapsed lease cleared; still ours
                kept.append(doc)
                continue
            for listed in (self.report.added, self.report.updated):
                if doc.doc_id in listed:
                    listed.remove(doc.doc_id)
            self.report.deferred.append(doc.doc_id)
        return kept


def record_of(doc: Document, chunks: int, current_recipe: str, root: str, run_id: str) -> dict:
    """The registry record of an article written now (status done, its story set later)."""
    meta = doc.metadata
    return {  # owner/lease_until overwrite the pending record's (Chroma merges metadata)
        "owner": run_id,
        "lease_until": 0.0,
        "status": "done",
        "content_hash": meta["content_hash"],
        "recipe": current_recipe,
        "title": meta["title"],
        "date": meta["date"],
        "date_int": meta["date_int"],
        "source": meta["source"],
        "url": meta["url"],
        "path": meta["path"],
        "root": root,
        "chunks": chunks,
        "chars": len(doc.text),
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
