"""The stored articles and the watched feeds, as the assistant offers them to the CLI and UI.

`StoredArticles` is the part of `rag.assistant.Assistant` that manages the library: adding
articles from paths, URLs and feeds (`rag.ingest`), listing, counting and deleting them, and
the watched feeds (a list in the store's feeds.json) that `rag watch` and the UI's Library tab
add, list and remove. What it leaves out: answering (`rag.assistant`) and how articles are
read, split and stored (`rag.ingest`, `rag.index`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence
from urllib.parse import urlsplit

from rag.index.registry_records import DONE, ArticleRecord
from rag.index.store import Store
from rag.index.trash import Trash
from rag.ingest.pipeline import ingest
from rag.ingest.readers import ParseProblem, ParseResult
from rag.ingest.report import IngestReport
from rag.retrieval import Filters
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.ingest.feed_reads import FeedPoll
    from rag.ingest.feed_state import FeedState


class StoredArticles:
    """The library methods of an assistant over `store`, configured by `settings`."""

    settings: Settings
    store: Store

    def ingest(
        self,
        paths: list[Path],
        prune: bool = False,
        progress: bool = True,
        on_problem: Callable[[ParseProblem], None] | None = None,
        protect_others: bool = False,
        urls: Sequence[str] = (),
        fetched: ParseResult | None = None,
    ) -> IngestReport:
        """Add or update the articles under `paths` (see `rag.ingest.pipeline`), those at
        `urls` (feeds and article pages, `rag.ingest.remote`) and those already `fetched`."""
        remember = None
        if urls:
            from rag.ingest.watch import read_urls_remembering
            from rag.ingest.web import Fetcher

            fetcher = Fetcher(self.settings)
            try:
                web, remember = read_urls_remembering(list(urls), self, fetcher)
            finally:
                fetcher.close()
            if fetched is not None:
                web.documents += fetched.documents
                web.problems += fetched.problems
                web.warnings += fetched.warnings
            fetched = web
        with self.store.reachable("ingesting"):
            report = ingest(
                paths,
                self.settings,
                store=self.store,
                prune=prune,
                progress=progress,
                on_problem=on_problem,
                protect_others=protect_others,
                fetched=fetched,
            )
        if remember is not None:
            report.feeds = [line.summary() for line in remember(report)]
        return report

    # --- watched feeds (`rag watch`, the UI's Library tab) ----------------------------
    def watched_feeds(self) -> dict[str, FeedState]:
        """The watched feeds by URL: title, last poll, what it brought (feeds.json)."""
        from rag.ingest.feed_state import StateFile

        return StateFile(self.settings.data_dir).watched()

    def watch_feed(
        self, url: str, on_problem: Callable[[ParseProblem], None] | None = None
    ) -> FeedPoll:
        """Start watching a feed: check the URL, poll it once (storing what it brings), and
        return that poll's line. A site's page is replaced by the feed it announces
        (autodiscovery; the line's url says which). A feed whose first poll fails is not
        kept; the `ValueError` says why (a bad URL, a page with no feed, a 404...)."""
        from rag.ingest.discover import find_feed
        from rag.ingest.feed_state import StateFile
        from rag.ingest.urls import is_url
        from rag.ingest.watch import poll_feeds
        from rag.ingest.web import Fetcher

        url = (url or "").strip()
        if not is_url(url) or not urlsplit(url).hostname or any(c.isspace() for c in url):
            raise ValueError(
                f"{url!r} is not a feed address; give an http(s) URL such as "
                "https://example.com/rss.xml"
                if url
                else "Give the feed's address (an http(s) URL)."
            )
        state_file = StateFile(self.settings.data_dir)
        watched = state_file.watched()
        fetcher = Fetcher(self.settings)
        try:
            if url not in watched:  # one more request, once: a home page becomes its feed
                url = find_feed(url, fetcher)
            was_watched = url in watched
            report = poll_feeds([url], self, fetcher, on_problem=on_problem)
        finally:
            fetcher.close()
        line = report.feeds[0]
        if line.result.startswith(("failed", "skipped")) and not was_watched:
            state_file.forget(url)
            raise ValueError(
                f"{url}: {line.result.removeprefix('failed: ')}; the feed was not added"
            )
        return line

    def unwatch_feed(self, url: str) -> bool:
        """Stop watching a feed; its articles stay stored. False if it was not watched."""
        from rag.ingest.feed_state import StateFile

        return StateFile(self.settings.data_dir).forget(url)

    @property
    def trash(self) -> Trash:
        return Trash(self.settings.data_dir / "trash")

    def delete(self, doc_id: str) -> bool:
        """Remove one article and its chunks, keeping a copy in the trash first so the
        delete can be undone (`restore`); False when no such article is stored."""
        store = self.store
        with store.reachable(f"deleting {doc_id}"), store.writing():
            record = store.registry.get(doc_id)
            if record is None:
                return False
            self.trash.keep(doc_id, record.to_metadata(), self._chunks_of(doc_id))
            store.remove_articles([doc_id])
            return True

    def restore(self, doc_id: str) -> bool:
        """Put a deleted article back as it was (its record and chunks, vectors included:
        nothing is embedded again); False when the trash holds no copy of it. A ValueError
        when an article of that id has been stored since (restoring would replace it).

        Chunks go in before the record, so a crash half-way leaves chunks no record names
        (`rag doctor` finds them) and the trash copy, from which a retry restores."""
        store, trash = self.store, self.trash
        with store.reachable(f"restoring {doc_id}"), store.writing():
            kept = trash.get(doc_id)
            if kept is None:
                return False
            if store.registry.get(doc_id) is not None:
                raise ValueError(
                    f"{doc_id} has been stored again since it was deleted; delete that "
                    "version first to bring the deleted one back"
                )
            chunks = kept.chunks
            if chunks["ids"]:
                store.chunks.upsert(
                    ids=chunks["ids"],
                    documents=chunks["documents"],
                    metadatas=chunks["metadatas"],
                    embeddings=chunks["embeddings"] or self._embedded(chunks),
                )
            record = ArticleRecord.from_metadata(kept.record)
            store.registry.put({doc_id: record})
            if record.story:
                store.registry.mark_versions([record.story])
            store.registry.bump_generation()
            trash.forget(doc_id)
            return True

    def _chunks_of(self, doc_id: str) -> dict[str, Any]:
        """An article's chunks as the trash keeps them: ids, texts, metadata and vectors.

        The vectors are left out (None) when this process cannot read them: embedded Chroma
        serves them from its in-memory index, which does not hold chunks another process
        added since it opened the store ("Error finding id"). A restore then embeds the
        chunks again, exactly as ingest embedded them (`_embedded`)."""
        try:
            got = self.store.chunks.get(
                where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"]
            )
            vectors: list[list[float]] | None = [[float(x) for x in v] for v in got["embeddings"]]
        except Exception:
            got = self.store.chunks.get(
                where={"doc_id": doc_id}, include=["documents", "metadatas"]
            )
            vectors = None
        return {
            "ids": list(got["ids"]),
            "documents": list(got["documents"]),
            "metadatas": list(got["metadatas"]),
            "embeddings": vectors,
        }

    def _embedded(self, chunks: dict[str, Any]) -> list[list[float]]:
        """The chunks' vectors made again: each chunk rebuilt as the node ingest embedded
        (llama-index keeps the node, with which metadata its embedding text includes, in
        the chunk's metadata), embedded at the store's precision."""
        from llama_index.core.schema import MetadataMode
        from llama_index.core.vector_stores.utils import metadata_dict_to_node

        from rag.index.embedder import get_embed_model

        texts = [
            metadata_dict_to_node(meta, text=text).get_content(metadata_mode=MetadataMode.EMBED)
            for text, meta in zip(chunks["documents"], chunks["metadatas"])
        ]
        model = get_embed_model(self.store.embedding_settings(self.settings))
        return [list(v) for v in model.get_text_embedding_batch(texts)]

    def deleted_on(self, doc_id: str) -> str | None:
        """The day a deleted article was deleted, while the trash still holds it."""
        kept = self.trash.get(doc_id)
        return kept.deleted_on if kept is not None else None

    def library(self) -> dict[str, ArticleRecord]:
        """The stored articles' records by id."""
        with self.store.reachable("listing articles"):
            return self.store.registry.records()

    def article(self, doc_id: str) -> tuple[ArticleRecord, str] | None:
        """One stored article's record and text (its chunks joined, `Store.article_texts`),
        read by id alone; None when it is not stored."""
        with self.store.reachable(f"reading {doc_id}"):
            record = self.store.registry.get(doc_id, status=DONE)
            if record is None:
                return None
            return record, self.store.article_texts([doc_id]).get(doc_id, "")

    def removed(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Of these articles (those an old answer cites), the ones no longer stored, each with
        the day it was deleted ("" once the trash no longer says). Reads only these ids."""
        wanted = set(doc_ids)
        if not wanted:
            return {}
        with self.store.reachable("reading the cited articles"):
            stored = self.store.registry.records(wanted)
        return {doc: self.deleted_on(doc) or "" for doc in sorted(wanted - stored.keys())}

    def sources(self) -> list[str]:
        """The outlets of the stored articles, for filter menus."""
        return sorted({r.source for r in self.library().values() if r.source})

    def stats(self) -> dict[str, Any]:
        """Counts and where the store lives."""
        records = self.library()
        dates = sorted(r.date for r in records.values() if r.date)
        return {
            "store": self.store.location,
            "collection": self.settings.collection,
            "articles": len(records),
            "stories": len({r.story or d for d, r in records.items()}),
            "chunks": self.store.chunks.count(),
            "undated_articles": sum(1 for r in records.values() if not r.date),
            "sources": sorted({r.source for r in records.values() if r.source}),
            "date_range": [dates[0], dates[-1]] if dates else None,
            "embedder": self.settings.embed_backend,
        }

    def matching_articles(self, filters: Filters) -> int:
        where = filters.chroma_where()
        if where is None:
            return len(self.store.registry.records())
        return self.store.registry.count(where)
