"""Chroma, embedded on disk or as a `chroma run` server, and the article registry beside it.

Three collections per store: `<name>` holds chunks (text, metadata, embeddings, cosine
space) behind llama-index's `ChromaVectorStore`; `<name>__articles` holds one record per
article version that is fully stored; `<name>__claims` holds the ids runs now writing have
claimed (see `rag.index.writers`). The registry is the commit log that makes ingest crash-safe:
an article is marked `pending` before its chunks are touched and `done` after they are all
written, so a run killed in between is found and repaired by the next one. A `generation`
token changes on every commit, which lets readers (BM25, caches) tell they are stale.
Several writers may share one store: `writing()` is the write lock and pending records carry
leases (see `rag.index.writers`). A store on a read-only mount or without write permission is
opened from a private temporary copy (Chroma's engine writes on every start, even to read),
so reading commands work (`rag.index.chroma_client` opens the client); `writing()` then
refuses with one line. Records are read and written in pages (`rag.index.records`). Nothing
here embeds or parses.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from rag.errors import StoreUnavailable, disk_full
from rag.index import records as paged
from rag.index.chroma_client import damaged_store_message, open_client, read_only_reason
from rag.index.writers import GuardedCollection, WriteLock
from rag.settings import Settings

GENERATION_ID = "__generation__"


@dataclass
class Store:
    """The chunk collection (as a llama-index vector store) and the article registry."""

    settings: Settings
    client: Any
    chunks: Any  # chromadb Collection
    articles: Any  # chromadb Collection
    read_only: str | None = None  # why this process cannot write the store (None: it can)
    claims: Any = None  # chromadb Collection: article ids runs now writing have claimed
    _lock: WriteLock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lock = WriteLock(self.settings.data_dir)

    @classmethod
    def open(cls, settings: Settings) -> "Store":
        read_only = read_only_reason(settings)
        # Several processes creating one new store at once race inside Chroma (the loser
        # was told a healthy database was damaged): the database and any collection not
        # there yet are created under the write lock, and whoever comes second finds them.
        lock = WriteLock(settings.data_dir)
        creating = (
            not settings.chroma_url
            and not (settings.data_dir / "chroma" / "chroma.sqlite3").exists()
        )
        # a read-only store is read from a private copy no other process writes
        local = not settings.chroma_url and not read_only
        with lock if creating else nullcontext():
            client = open_client(settings)
            try:
                creation = lock if local else nullcontext()
                chunks = paged.collection(
                    client, creation, settings.collection, {"hnsw:space": "cosine"}
                )
                articles = paged.collection(client, creation, f"{settings.collection}__articles")
                claims = paged.collection(client, creation, f"{settings.collection}__claims")
            except Exception as err:
                if not settings.chroma_url:
                    raise StoreUnavailable(damaged_store_message(settings, err)) from err
                raise StoreUnavailable(
                    f"Cannot open collection {settings.collection!r}: {err}"
                ) from err
        if local:  # the embedded engine: see WriteLock
            chunks, articles, claims = (
                GuardedCollection(c, lock) for c in (chunks, articles, claims)
            )
        return cls(settings, client, chunks, articles, read_only, claims)

    @contextmanager
    def reachable(self, doing: str) -> Iterator[None]:
        """Say so plainly when the Chroma server goes away in the middle of `doing`, or the
        disk fills up (what was being committed stays pending; the next run repairs it)."""
        try:
            yield
        except StoreUnavailable:
            raise
        except Exception as err:
            if not self.settings.chroma_url and (
                full := disk_full(err, self.settings.data_dir.resolve(), doing, check_space=True)
            ):
                raise full from err
            if self.settings.chroma_url and _connection_lost(err):
                raise StoreUnavailable(
                    f"Lost the Chroma server at {self.settings.chroma_url} while {doing} "
                    f"({err}). Check that `chroma run` is still running there, then try again; "
                    "an interrupted ingest is finished by the next `rag ingest`."
                ) from err
            raise

    def writing(self) -> WriteLock:
        """The data dir's write lock (reentrant): held around every commit window, repair,
        prune, delete and BM25 rebuild, so local writers never see each other half-way.
        On a read-only store: one line saying so, before anything is changed."""
        if self.read_only:
            folder = self.settings.data_dir.resolve()
            raise StoreUnavailable(
                f"The store at {folder} is read-only ({self.read_only}); nothing was changed. "
                "Adding, deleting or repairing needs write access to it; asking and listing "
                "work as they are."
            )
        return self._lock

    def steady(self) -> Any:
        """What a reader holds to see no commit half-way: the write lock, or nothing on a
        read-only store (its private copy has no other writer)."""
        return nullcontext() if self.read_only else self.writing()

    def reading(self) -> Any:
        """What a reader holds to see one generation of the store across several reads (an
        answer's dense search, BM25 and registry lookups): the lock shared, so no commit
        lands in between; nothing on a read-only store. Take it before any other lock (the
        BM25 index's), in the order writers take theirs."""
        return nullcontext() if self.read_only else self._lock.reading()

    @property
    def lock_is_exclusive(self) -> bool:
        """Whether holding `writing()` excludes every other writer: true for the embedded
        store (one data dir, one machine); a `chroma run` server may have writers elsewhere,
        so there pending records are judged by their leases."""
        return not self.settings.chroma_url

    @property
    def vector_store(self) -> Any:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.chunks)

    @property
    def location(self) -> str:
        s = self.settings
        return s.chroma_url or str((s.data_dir / "chroma").resolve())

    # --- chunks -------------------------------------------------------------------------
    def delete_chunks(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        for start in range(0, len(ids), 500):
            self.chunks.delete(where={"doc_id": {"$in": ids[start : start + 500]}})

    def chunk_records(self, where: dict | None = None) -> Iterable[dict]:
        """Every stored chunk's id, text and metadata, paged so large stores stream."""
        offset = 0
        while True:
            page = self.chunks.get(
                where=where, include=["documents", "metadatas"], limit=paged.PAGE, offset=offset
            )
            for cid, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                yield {"id": cid, "text": text, "metadata": meta}
            if len(page["ids"]) < paged.PAGE:
                return
            offset += paged.PAGE

    def article_texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """The stored text of each article (whitespace squashed), its chunks joined in order
        with the overlap between neighbours said once. Articles with no chunks are left out."""
        ids = sorted(set(doc_ids))
        chunks: dict[str, list[tuple[int, str]]] = {}
        for start in range(0, len(ids), 500):
            for rec in self.chunk_records({"doc_id": {"$in": ids[start : start + 500]}}):
                meta = rec["metadata"]
                chunks.setdefault(meta["doc_id"], []).append((meta.get("chunk", 0), rec["text"]))
        texts = {}
        for doc, parts in chunks.items():
            text = ""
            for _, chunk in sorted(parts):
                text = _join_overlapping(text, " ".join(chunk.split()))
            texts[doc] = text
        return texts

    # --- registry -----------------------------------------------------------------------
    def article_records(
        self, ids: list[str] | None = None, status: str | None = "done"
    ) -> dict[str, dict]:
        """Registry records by article id (only fully stored ones unless status=None)."""
        found = paged.metadatas(self.articles, ids, {"status": status} if status else None)
        found.pop(GENERATION_ID, None)
        return found

    # --- claims (rag.index.writers) ------------------------------------------------------
    def claim_records(self, ids: list[str] | None = None) -> dict[str, dict]:
        """Claims by article id: of these ids, or all of them."""
        return paged.metadatas(self.claims, ids)

    def put_claims(self, claims: dict[str, dict]) -> None:
        paged.upsert(self.claims, claims)

    def drop_claims(self, ids: Iterable[str]) -> None:
        paged.delete(self.claims, ids)

    def claims_of(self, run_id: str) -> list[str]:
        """The article ids `run_id` has claimed and not yet released."""
        return self.claims.get(where={"owner": run_id}, include=[])["ids"]

    def renew_claims(self, run_id: str, lease_until: float) -> None:
        """Extend the lease of every claim `run_id` still holds (on a `chroma run` server)."""
        paged.update(self.claims, {i: {"lease_until": lease_until} for i in self.claims_of(run_id)})

    def has_articles(self) -> bool:
        """Whether any article is fully stored, without reading the whole registry."""
        return bool(self.articles.get(where={"status": "done"}, limit=1, include=[])["ids"])

    def put_articles(self, records: dict[str, dict]) -> None:
        paged.upsert(self.articles, records)

    def update_records(self, fields: dict[str, dict]) -> None:
        """Merge `fields` into the registry records of these article ids, in pages."""
        paged.update(self.articles, fields)

    def delete_articles(self, ids: Iterable[str]) -> None:
        paged.delete(self.articles, ids)

    def remove_articles(self, ids: Iterable[str]) -> list[str]:
        """Remove articles with their chunks, in the order that never leaves a registry record
        pointing at missing chunks unnoticed: chunks first, then the records, then a new
        generation so readers (BM25) reload. An older version the removed one replaced is
        current again (`mark_versions`). Returns the ids given."""
        ids = list(ids)
        if ids:
            with self.writing():
                stories = {
                    r["story"]
                    for r in self.article_records(ids, status=None).values()
                    if r.get("story")
                }
                self.delete_chunks(ids)
                self.delete_articles(ids)
                self.mark_versions(stories)
                self.bump_generation()
        return ids

    def story_members(self, stories: Iterable[str]) -> dict[str, dict]:
        """Fully stored records of the articles in these stories, by article id."""
        wanted = sorted(set(stories))
        found: dict[str, dict] = {}
        for start in range(0, len(wanted), 500):
            page = self.articles.get(
                where={
                    "$and": [{"status": "done"}, {"story": {"$in": wanted[start : start + 500]}}]
                },
                include=["metadatas"],
            )
            found.update(zip(page["ids"], page["metadatas"]))
        return found

    def mark_versions(self, stories: Iterable[str]) -> None:
        """Within these stories, mark each older version of a piece `superseded_by` its newest
        version and clear the mark on the rest (`rag.index.stories.superseded`). Call with
        `writing()` held, inside the same commit window as the change that prompted it."""
        from rag.index.stories import superseded

        members = self.story_members(stories)
        if not members:
            return
        older = superseded(members)
        changed = {
            d: {"superseded_by": older.get(d, "")}
            for d, rec in members.items()
            if (rec.get("superseded_by") or "") != older.get(d, "")
        }
        self.update_records(changed)

    def done_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are fully stored (registry status done): one small lookup, so
        answers can leave out chunks of articles still being written or left half-written."""
        found: set[str] = set()
        for page in paged.pages(sorted(set(ids))):
            found.update(self.articles.get(ids=page, where={"status": "done"}, include=[])["ids"])
        return found

    def fingerprint(self) -> dict[str, Any]:
        """Which article versions the store holds: ids, content hashes and one digest."""
        import hashlib

        hashes = {k: v["content_hash"] for k, v in sorted(self.article_records().items())}
        joined = "\n".join(f"{k}:{h}" for k, h in hashes.items())
        return {
            "articles": len(hashes),
            "sha256": hashlib.sha256(joined.encode()).hexdigest(),
            "content_hashes": hashes,
        }

    def generation(self) -> str:
        got = self.articles.get(ids=[GENERATION_ID], include=["metadatas"])
        return got["metadatas"][0]["token"] if got["ids"] else "empty"

    def bump_generation(self) -> None:
        self.articles.upsert(
            ids=[GENERATION_ID],
            metadatas=[{"token": uuid.uuid4().hex}],
            embeddings=[paged.DUMMY_VECTOR],
        )


def _join_overlapping(text: str, chunk: str) -> str:
    """`text` followed by `chunk`, whose beginning may repeat the end of `text`."""
    if not text:
        return chunk
    head = chunk[:40]
    lowest = max(0, len(text) - len(chunk))  # the overlap is shorter than the chunk
    at = text.rfind(head, lowest)
    while at >= 0:
        if chunk.startswith(text[at:]):
            return text[:at] + chunk
        at = text.rfind(head, lowest, at + len(head) - 1)
    return f"{text} {chunk}"


def _connection_lost(err: BaseException) -> bool:
    """Whether `err` (or what caused it) is a network failure rather than a bad request."""
    import httpx

    while err is not None:
        if isinstance(err, (httpx.TransportError, ConnectionError, TimeoutError)):
            return True
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    return False
