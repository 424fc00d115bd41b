"""`rag doctor`: is the store consistent, and can it be made so?

Checks that every stored article has its chunks present exactly once, that no chunk belongs to
an article the registry does not know, that no article is left half-written by an interrupted
ingest, and that the persisted BM25 index reflects the store as it is. `repair` fixes what it
finds: interrupted articles and orphan chunks are removed (the next ingest adds them back from
their files) and BM25 is rebuilt. It never touches a consistent article.
"""

from __future__ import annotations

import json
from collections import Counter

from rag.index.bm25 import GENERATION_FILE, build_bm25
from rag.ingest.pipeline import repair as repair_pending
from rag.index.store import Store


def _survey(store: Store) -> tuple[dict[str, dict], Counter, set[str], list[str], list[str]]:
    """Registry, chunks per article, chunk ids, miscounted and orphaned article ids."""
    records = store.article_records(status=None)
    chunks = list(store.chunk_records())
    per_doc = Counter(r["metadata"].get("doc_id", "") for r in chunks)
    miscounted = [d for d, rec in records.items()
                  if rec.get("status") == "done" and per_doc.get(d, 0) != rec["chunks"]]
    orphans = sorted(d for d in per_doc if d not in records)
    return records, per_doc, {r["id"] for r in chunks}, miscounted, orphans


def diagnose(store: Store) -> list[str]:
    """What is wrong with the store, one sentence each (empty: consistent)."""
    records, per_doc, chunk_ids, miscounted, orphans = _survey(store)
    problems = [f"{doc}: left {rec['status']} by an interrupted ingest"
                for doc, rec in records.items() if rec.get("status") != "done"]
    problems += [f"{doc}: {per_doc.get(doc, 0)} chunks stored, the registry says "
                 f"{records[doc]['chunks']}" for doc in miscounted]
    problems += [f"{doc}: {per_doc[doc]} orphan chunk(s) of an article the registry does not "
                 "know" for doc in orphans]
    if chunk_ids and not _bm25_in_step(store, chunk_ids):
        problems.append("BM25 index is out of step with the store")
    return problems


def _bm25_in_step(store: Store, chunk_ids: set[str]) -> bool:
    """The persisted index is of this generation and holds exactly the stored chunks."""
    folder = store.settings.bm25_dir
    marker, corpus = folder / GENERATION_FILE, folder / "corpus.jsonl"
    if not (marker.exists() and corpus.exists()) or marker.read_text() != store.generation():
        return False
    with corpus.open(encoding="utf-8") as lines:
        indexed = {json.loads(line).get("node_id") for line in lines if line.strip()}
    return indexed == chunk_ids


def repair(store: Store) -> list[str]:
    """Fix what `diagnose` finds; returns what was done."""
    done = [f"removed interrupted article {d}" for d in repair_pending(store)]
    _, _, _, miscounted, orphans = _survey(store)
    if orphans or miscounted:
        store.remove_articles(orphans + miscounted)
        done += [f"removed orphan chunks of {d}" for d in orphans]
        done += [f"removed {d} (chunks incomplete); re-ingest its file" for d in miscounted]
    build_bm25(store, store.settings.candidates_k)
    done.append("rebuilt the BM25 index")
    return done
