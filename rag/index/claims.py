"""The claim book: which article ids runs now writing have claimed (`<collection>__claims`).

A run decides under the write lock which articles it will write and claims their ids before
it embeds anything, so a later run sees the claim as it would see the stored article
(`rag.index.writers` says why and how long a claim lives). This class owns every read and
write of the claims collection, in pages (`rag.index.records`). What it leaves out: judging
whether a claim is live (`rag.index.writers.claim_is_live`) and the registry itself.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from rag.index import records as paged
from rag.index.registry_records import ArticleClaim


class Claims:
    """The claims of one store, by article id."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection  # chromadb Collection (or a `GuardedCollection`)

    def records(self, ids: Iterable[str] | None = None) -> dict[str, ArticleClaim]:
        """Claims by article id: of these ids, or all of them."""
        found = paged.metadatas(self.collection, None if ids is None else list(ids))
        return {d: ArticleClaim.from_metadata(m) for d, m in found.items()}

    def put(self, claims: Mapping[str, ArticleClaim]) -> None:
        paged.upsert(self.collection, {d: c.to_metadata() for d, c in claims.items()})

    def drop(self, ids: Iterable[str]) -> None:
        paged.delete(self.collection, ids)

    def of_run(self, run_id: str) -> list[str]:
        """The article ids `run_id` has claimed and not yet released."""
        ids: list[str] = self.collection.get(where={"owner": run_id}, include=[])["ids"]
        return ids

    def renew(self, run_id: str, lease_until: float) -> None:
        """Extend the lease of every claim `run_id` still holds (on a `chroma run` server)."""
        paged.update(
            self.collection, {i: {"lease_until": lease_until} for i in self.of_run(run_id)}
        )
