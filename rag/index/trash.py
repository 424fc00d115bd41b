"""Deleted articles kept for a while, so a delete can be undone (`rag restore`, the UI's Undo).

When an article is deleted its registry record and its chunks (ids, texts, metadata and
vectors) are written to one JSON file under `<RAG_DATA_DIR>/trash/` before they leave the
store; restoring puts them back as they were, without embedding anything again. A file says
when its article was deleted, which is also how an old answer can say "removed from the
library on DATE". Files older than `KEPT_DAYS` are emptied at the next delete. What this
leaves out: the order of writes in the store (`rag.library.StoredArticles`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

KEPT_DAYS = 7


@dataclass(frozen=True)
class Trashed:
    """One deleted article as kept: its record's metadata, its chunks and when it went."""

    doc_id: str
    record: dict[str, Any]
    chunks: dict[str, list[Any]]  # ids, documents, metadatas, embeddings, in step
    deleted: float  # Unix time

    @property
    def deleted_on(self) -> str:
        """The UTC day it was deleted, as an ISO date."""
        return datetime.fromtimestamp(self.deleted, timezone.utc).date().isoformat()


class Trash:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, doc_id: str) -> Path:
        # an article id may hold any character a file name cannot: its digest names the file
        return self.folder / (hashlib.sha256(doc_id.encode()).hexdigest()[:32] + ".json")

    def keep(self, doc_id: str, record: dict[str, Any], chunks: dict[str, list[Any]]) -> None:
        """Write the article about to be deleted (replacing an older deletion of it), and
        empty what has been kept longer than `KEPT_DAYS`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - KEPT_DAYS * 86_400
        for old in self.folder.glob("*.json"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        kept = {"doc_id": doc_id, "deleted": time.time(), "record": record, "chunks": chunks}
        path = self._path(doc_id)
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)  # whole or absent: a crash never leaves half a file to restore

    def get(self, doc_id: str) -> Trashed | None:
        """The kept article, or None when there is none (never deleted, emptied, restored)."""
        path = self._path(doc_id)
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if kept.get("doc_id") != doc_id or time.time() - kept["deleted"] > KEPT_DAYS * 86_400:
            return None
        return Trashed(doc_id, kept["record"], kept["chunks"], float(kept["deleted"]))

    def forget(self, doc_id: str) -> None:
        """Drop the kept copy (it has been restored)."""
        self._path(doc_id).unlink(missing_ok=True)
