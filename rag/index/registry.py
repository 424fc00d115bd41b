"""The article registry: one `ArticleRecord` per stored article version, in Chroma.

The registry is the commit log that makes ingest crash-safe: an article is marked `pending`
before its chunks are touched and `done` after they are all written, so a run killed in
between is found and repaired by the next one (`rag.ingest.repair`). A
`generation` token, kept beside the records, changes on every commit, which lets readers
(BM25, caches) tell they are stale. This class owns every read and write of the registry
collection (in pages: `rag.index.records`), so callers hold typed records, never metadata
keys. What it leaves out: chunks, the write lock (callers hold `Store.writing()` around a
commit window) and claims (`rag.index.claims`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from typing import Any, Iterable, Mapping

from rag.index import records as paged
from rag.index.registry_records import DONE, PENDING, ArticleRecord

GENERATION_ID = "__generation__"


class Registry:
    """The article records of one store, by article id."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection  # chromadb Collection (or a `GuardedCollection`)

    # --- reading ------------------------------------------------------------------------
    def records(
        self, ids: Iterable[str] | None = None, status: str | None = DONE
    ) -> dict[str, ArticleRecord]:
        """Records by article id, of these ids or all; only fully stored ones unless
        status=None."""
        found = paged.metadatas(
            self.collection,
            None if ids is None else list(ids),
            {"status": status} if status else None,
        )
        found.pop(GENERATION_ID, None)
        return {d: ArticleRecord.from_metadata(m) for d, m in found.items()}

    def get(self, doc_id: str, status: str | None = None) -> ArticleRecord | None:
        """One article's record (of any status unless given), None when there is none."""
        return self.records([doc_id], status=status).get(doc_id)

    def has_any(self) -> bool:
        """Whether any article is fully stored, without reading the whole registry."""
        return bool(self.collection.get(where={"status": DONE}, limit=1, include=[])["ids"])

    def count(self, where: dict[str, Any]) -> int:
        """How many fully stored articles match Chroma's `where` on their records."""
        both = {"$and": [{"status": DONE}, where]}
        return len(self.collection.get(where=both, include=[])["ids"])

    def story_members(self, stories: Iterable[str]) -> dict[str, ArticleRecord]:
        """Fully stored records of the articles in these stories, by article id."""
        wanted = sorted(set(stories))
        found: dict[str, ArticleRecord] = {}
        for start in range(0, len(wanted), 500):
            got = self.collection.get(
                where={"$and": [{"status": DONE}, {"story": {"$in": wanted[start : start + 500]}}]},
                include=["metadatas"],
            )
            found.update(
                (d, ArticleRecord.from_metadata(m)) for d, m in zip(got["ids"], got["metadatas"])
            )
        return found

    def fingerprint(self) -> dict[str, Any]:
        """Which article versions the store holds: ids, content hashes and one digest."""
        hashes = {k: v.content_hash for k, v in sorted(self.records().items())}
        joined = "\n".join(f"{k}:{h}" for k, h in hashes.items())
        return {
            "articles": len(hashes),
            "sha256": hashlib.sha256(joined.encode()).hexdigest(),
            "content_hashes": hashes,
        }

    def generation(self) -> str:
        got = self.collection.get(ids=[GENERATION_ID], include=["metadatas"])
        return str(got["metadatas"][0]["token"]) if got["ids"] else "empty"

    # --- writing (hold `Store.writing()`) ------------------------------------------------
    def put(self, records: Mapping[str, ArticleRecord]) -> None:
        """Store these records whole, replacing any of the same ids."""
        paged.upsert(self.collection, {d: r.to_metadata() for d, r in records.items()})

    def mark_pending(
        self, records: Mapping[str, ArticleRecord], owner: str, lease_until: float
    ) -> None:
        """Store these records `pending`, held by the run `owner` until `lease_until`: the
        start of a commit window."""
        pending = {
            d: replace(r, status=PENDING, owner=owner, lease_until=lease_until)
            for d, r in records.items()
        }
        self.put(pending)

    def mark_done(self, ids: Iterable[str]) -> None:
        """Mark these stored records `done`, their lease ended (their chunks are in place)."""
        self._update({d: {"status": DONE, "lease_until": 0.0} for d in ids})

    def regroup(
        self, stories: Mapping[str, str], signatures: Mapping[str, str] | None = None
    ) -> None:
        """Set the story of these stored articles and, for those given, their MinHash
        signature (`rag.index.stories.encode`); nothing else of their records changes."""
        fields: dict[str, dict[str, Any]] = {d: {"story": s} for d, s in stories.items()}
        for doc_id, minhash in (signatures or {}).items():
            fields.setdefault(doc_id, {})["minhash"] = minhash
        self._update(fields)

    def mark_versions(self, stories: Iterable[str]) -> None:
        """Within these stories, mark each older version of a piece `superseded_by` its newest
        version and clear the mark on the rest (`rag.index.stories.superseded`). Call inside
        the same commit window as the change that prompted it."""
        from rag.index.stories import superseded

        members = self.story_members(stories)
        if not members:
            return
        older = superseded(members)
        self._update(
            {
                d: {"superseded_by": older.get(d, "")}
                for d, rec in members.items()
                if rec.superseded_by != older.get(d, "")
            }
        )

    def delete(self, ids: Iterable[str]) -> None:
        paged.delete(self.collection, ids)

    def bump_generation(self) -> None:
        self.collection.upsert(
            ids=[GENERATION_ID],
            metadatas=[{"token": uuid.uuid4().hex}],
            embeddings=[paged.DUMMY_VECTOR],
        )

    def _update(self, fields: dict[str, dict[str, Any]]) -> None:
        """Merge `fields` into the records of these article ids (Chroma merges metadata)."""
        paged.update(self.collection, fields)
