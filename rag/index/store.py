"""Chroma, embedded on disk or as a `chroma run` server: chunks, and the registry beside them.

Three collections per store: `<name>` holds chunks (text, metadata, embeddings, cosine
space) behind llama-index's `ChromaVectorStore`; `<name>__articles` is the article registry,
one record per article version (`rag.index.registry`: the commit log that makes ingest
crash-safe, and the `generation` token readers use to tell they are stale);
`<name>__claims` holds the ids runs now writing have claimed (`rag.index.claims`).
Several writers may share one store: `writing()` is the write lock and pending records carry
leases (see `rag.index.writers`). A store on a read-only mount or without write permission is
opened from a private temporary copy (Chroma's engine writes on every start, even to read),
so reading commands work (`rag.index.chroma_client` opens the client); `writing()` then
refuses with one line. The chunk collection records the embedder family that writes it
(`rag.index.precision`), and the store's `settings` carry the precision to embed it with.
Nothing here embeds or parses, nor reads a record's fields.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from rag.errors import StoreUnavailable, disk_full
from rag.index import records as paged
from rag.index.chroma_client import (
    damaged_store_message,
    drop_engine,
    open_client,
    read_only_reason,
)
from rag.index.claims import Claims
from rag.index.memory import give_back_memory
from rag.index.precision import EMBEDDER_KEY, embedder_name, for_store
from rag.index.registry import Registry
from rag.index.writers import GuardedCollection, WriteLock
from rag.settings import Settings


@dataclass
class Store:
    """The chunk collection (as a llama-index vector store) and the article registry."""

    settings: Settings
    client: Any
    chunks: Any  # chromadb Collection
    registry: Registry
    claims: Claims  # article ids runs now writing have claimed
    read_only: str | None = None  # why this process cannot write the store (None: it can)
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
        where = settings.chroma_url or str(settings.data_dir.resolve())
        with lock if creating else nullcontext():
            client = open_client(settings)
            try:
                creation = lock if local else nullcontext()
                chunks = paged.collection(
                    client,
                    creation,
                    settings.collection,
                    {"hnsw:space": "cosine", EMBEDDER_KEY: embedder_name(settings)},
                )
                articles = paged.collection(client, creation, f"{settings.collection}__articles")
                claims = paged.collection(client, creation, f"{settings.collection}__claims")
            except Exception as err:
                if not settings.chroma_url:
                    raise StoreUnavailable(damaged_store_message(settings, err)) from err
                raise StoreUnavailable(
                    f"Cannot open collection {settings.collection!r}: {err}"
                ) from err
        settings = for_store(settings, (chunks.metadata or {}).get(EMBEDDER_KEY), where)
        if local:  # the embedded engine: see WriteLock
            chunks, articles, claims = (
                GuardedCollection(c, lock) for c in (chunks, articles, claims)
            )
        return cls(settings, client, chunks, Registry(articles), Claims(claims), read_only)

    def reload(self) -> None:
        """Read the embedded store from disk again, for a query that reached articles another
        process added since this one opened it (`chroma_client.STALE_INDEX`): a fresh engine,
        client and collections in place of these. A Chroma server and a read-only private
        copy need none."""
        if self.settings.chroma_url or self.read_only:
            return
        drop_engine(self.client)
        fresh = Store.open(self.settings)
        self.client, self.chunks = fresh.client, fresh.chunks
        self.registry, self.claims = fresh.registry, fresh.claims

    def embedding_settings(self, settings: Settings) -> Settings:
        """`settings` embedding at this store's precision (questions and articles alike)."""
        precision = self.settings.embed_precision
        if settings.embed_precision == precision:
            return settings
        return settings.model_copy(update={"embed_precision": precision})

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

    def chunk_records(self, where: dict[str, Any] | None = None) -> Iterable[dict[str, Any]]:
        """Every stored chunk's id, text and metadata, paged so large stores stream."""
        offset = 0
        while True:
            if offset:
                give_back_memory()  # the pages before this one (`rag.index.memory`)
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

    # --- the store as a whole --------------------------------------------------------
    def remove_articles(self, ids: Iterable[str]) -> list[str]:
        """Remove articles with their chunks, in the order that never leaves a registry record
        pointing at missing chunks unnoticed: chunks first, then the records, then a new
        generation so readers (BM25) reload. An older version the removed one replaced is
        current again (`Registry.mark_versions`). Returns the ids given."""
        ids = list(ids)
        if ids:
            with self.writing():
                stories = {r.story for r in self.registry.records(ids, status=None).values()}
                self.delete_chunks(ids)
                self.registry.delete(ids)
                self.registry.mark_versions(stories - {""})
                self.registry.bump_generation()
        return ids

    def has_articles(self) -> bool:
        """Whether any article is fully stored (`Registry.has_any`)."""
        return self.registry.has_any()

    def fingerprint(self) -> dict[str, Any]:
        """Which article versions the store holds (`Registry.fingerprint`)."""
        return self.registry.fingerprint()

    def generation(self) -> str:
        """The token that changes on every commit (kept by the registry)."""
        return self.registry.generation()

    def bump_generation(self) -> None:
        self.registry.bump_generation()


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
