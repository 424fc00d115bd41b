"""The one place the assistant is wired together: store, embedder, retriever, answerers.

`Assistant.from_settings()` opens the store; the embedding model and the hybrid retriever are
built on first use, once. `ask()` is retrieve → rerank → answer: the `HybridRetriever` finds
candidate passages (filters, per-article cap), the trained reader keeps those it finds the
answer in (`rag.reader.rerank`), `answerer_for(mode)` picks the answerer with one `match`, and the
answer gets its passages, filters and timings here, once. The CLI, the UI and the eval
harness all go through this class, so they answer identically. The watched feeds (a list in
the store's feeds.json) are added, listed and removed here too, for the CLI and the UI. It holds no
answering or parsing logic of its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence
from urllib.parse import urlsplit

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.answer import Answer, AnswerMode, to_passages
from rag.answering import answerer_for
from rag.conversation import Turn, next_turn
from rag.index.embedder import get_embed_model
from rag.index.registry_records import ArticleRecord
from rag.index.store import Store
from rag.ingest.pipeline import ingest
from rag.ingest.readers import ParseProblem, ParseResult
from rag.ingest.report import IngestReport
from rag.reader.rerank import ReaderRerank
from rag.retrieval import Filters, HybridRetriever, fuse_rankings
from rag.settings import Settings
from rag.text.markers import NOT_SAID
from rag.text.question_parts import split_question
from rag.text.timeframe import parse_timeframe, recent_window

if TYPE_CHECKING:
    from rag.ingest.feed_state import FeedState
    from rag.ingest.feed_reads import FeedPoll

__all__ = ["Assistant"]

MAX_TOP_K = 50  # passages one answer may read; more only costs time and dilutes it


@dataclass
class Assistant:
    settings: Settings
    store: Store

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Assistant":
        settings = settings or Settings()
        return cls(settings=settings, store=Store.open(settings))

    @cached_property
    def embed_model(self) -> BaseEmbedding:
        """The embedding model answers use, behind a cache of the vectors they ask for
        (`rag.index.vector_cache`); ingest embeds through its own."""
        from rag.index.vector_cache import CachedEmbedding

        return CachedEmbedding(get_embed_model(self.settings), self.settings.answer_vector_cache)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.store, self.settings, self.embed_model)

    def warm_up(self) -> None:
        """Load what answering needs (the embedder, BM25, the Chroma vector store, the
        reader) before threads share this assistant. Each is imported lazily to keep
        `rag` commands quick to start, and two threads importing the same packages for the
        first time can deadlock on Python's import locks (seen in `rag eval` with two
        workers: `_DeadlockError` on `llama_index.vector_stores.chroma`)."""
        from rag.reader.model import shared_reader

        self.embed_model.get_query_embedding("warm up")
        self.retriever.bm25()
        self.store.vector_store
        shared_reader()

    @property
    def default_mode(self) -> AnswerMode:
        """'llm' when an LLM is configured (or forced), else 'extractive'."""
        return "llm" if self.settings.use_llm else "extractive"

    # --- the library ------------------------------------------------------------------
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

    def delete(self, doc_id: str) -> bool:
        """Remove one article and its chunks; False when no such article is stored."""
        with self.store.reachable(f"deleting {doc_id}"), self.store.writing():
            if self.store.registry.get(doc_id) is None:
                return False
            self.store.remove_articles([doc_id])
            return True

    def library(self) -> dict[str, ArticleRecord]:
        """The stored articles' records by id."""
        with self.store.reachable("listing articles"):
            return self.store.registry.records()

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

    # --- answering --------------------------------------------------------------------
    def retrieve(
        self,
        query: str | QueryBundle,
        filters: Filters = Filters(),
        top_k: int | None = None,
        per_article: int | None = None,
    ) -> list[NodeWithScore]:
        """The best passages for `query` under `filters`, in rank order."""
        bundle = query if isinstance(query, QueryBundle) else QueryBundle(query)
        with self.store.reachable("searching"):
            return self.retriever.search(bundle, filters, top_k, per_article)

    def ask(
        self,
        question: str,
        filters: Filters = Filters(),
        top_k: int | None = None,
        mode: AnswerMode | None = None,
        as_of: date | None = None,
        on_token: Callable[[str], None] | None = None,
        on_retry: Callable[[str, float], None] | None = None,
        on_stage: Callable[[str], None] | None = None,
        topic: str = "",
    ) -> Answer:
        """Answer from the stored articles: generated and checked in LLM mode, else quoted.

        `mode` is 'extractive' or 'llm' (default: the configured one). `as_of` is the day
        the question is asked ("this year", month names resolve against it; default today).
        In LLM mode tokens stream to `on_token`; a failing endpoint is retried, then the
        answer falls back to the extractive answerer with a notice. A misconfigured endpoint
        (bad key, unknown model) raises `LLMConfigError`. `on_stage` hears what is being
        done ("retrieving passages", "reading 6 passages") so a UI can show progress.
        `topic` is the earlier question a chat follow-up leans on (`next_turn`): both are
        searched together, and only `question` is answered.
        """
        if not question.strip():
            raise ValueError("The question is empty; ask something about the articles.")
        if top_k is not None and not 1 <= top_k <= MAX_TOP_K:
            raise ValueError(
                f"top_k must be between 1 and {MAX_TOP_K} (got {top_k}): each "
                "passage is read by the answerer"
            )
        with self.store.reachable("answering"):
            return self._ask(
                question.strip(),
                filters,
                top_k,
                mode or self.default_mode,
                as_of,
                on_token,
                on_retry,
                on_stage or (lambda stage: None),
                topic.strip(),
            )

    def _ask(
        self,
        question: str,
        filters: Filters,
        top_k: int | None,
        mode: AnswerMode,
        as_of: date | None,
        on_token: Callable[[str], None] | None,
        on_retry: Callable[[str, float], None] | None,
        on_stage: Callable[[str], None],
        topic: str = "",
    ) -> Answer:
        started = time.perf_counter()
        searched = Turn(question, topic).searched
        on_stage("retrieving passages")
        if as_of:  # articles published after the day the question is asked did not exist yet
            filters = replace(filters, published_by=as_of)
        filters, notice = self._narrow(searched, filters, as_of)
        recent = recent_window(searched, as_of)
        prefer = None
        if recent and not (filters.since or filters.until):
            prefer = replace(filters, since=recent.since, until=recent.until)
            if recent.pinned and self.matching_articles(prefer) == 0:
                return Answer(
                    question=question,
                    abstained=True,
                    mode="extractive",
                    filters=filters.describe(),
                    answer=(
                        f"{NOT_SAID}: the question asks about "
                        f"“{recent.phrase}” ({describe(prefer)}) and no stored "
                        f"article is from then."
                    ),
                )
        if filters and self.matching_articles(filters) == 0:
            return Answer(
                question=question,
                abstained=True,
                mode="extractive",
                filters=filters.describe(),
                answer="No stored article matches the filters "
                f"({describe(filters)}), so there is nothing to answer from. "
                "Widen the dates or check the outlet name with `rag docs`.",
            )
        nodes = self._passages(
            searched, filters, top_k or self.settings.top_k, prefer, whole=bool(topic)
        )
        retrieved = time.perf_counter()
        on_stage(
            f"reading {len(nodes)} passages"
            if mode == "extractive"
            else f"writing from {len(nodes)} passages"
        )
        answerer = answerer_for(mode, self.settings, self.embed_model, on_retry)
        first_token: list[float] = []

        def timed(token: str) -> None:  # when the first token came: what a reader waits for
            if not first_token:
                first_token.append(time.perf_counter())
            if on_token:
                on_token(token)

        answer = answerer.answer(question, nodes, timed, topic=topic)
        done = time.perf_counter()
        timings = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        if first_token:
            timings["first_token"] = round((first_token[0] - started) * 1000, 1)
        return replace(
            answer,
            notice=" ".join(x for x in (notice, answer.notice) if x),
            passages=to_passages(nodes),
            filters=filters.describe(),
            timings_ms=timings,
        )

    def _passages(
        self,
        question: str,
        filters: Filters,
        top_k: int,
        prefer: Filters | None,
        whole: bool = False,
    ) -> list[NodeWithScore]:
        """The passages for a question; one of several parts also brings its own passages
        (not when `whole`: a follow-up searched with its topic is one question)."""
        parts = [question] if whole else split_question(question)
        if len(parts) == 1:
            wide = max(top_k, self.settings.rerank_candidates)
            found = self.retriever.search(QueryBundle(question), filters, wide, prefer=prefer)
            if wide == top_k:
                return found
            return ReaderRerank(top_n=top_k).postprocess_nodes(
                found, query_bundle=QueryBundle(question)
            )
        rankings = [
            self.retriever.search(QueryBundle(q), filters, top_k, prefer=prefer)
            for q in (question, *parts)
        ]
        return fuse_rankings(*rankings)[: top_k + 2 * (len(parts) - 1)]

    def _narrow(self, question: str, filters: Filters, as_of: date | None) -> tuple[Filters, str]:
        """Filters narrowed to a month or year the question names, with a notice saying so."""
        if filters.since or filters.until or not (span := parse_timeframe(question, as_of)):
            return filters, ""
        narrowed = replace(filters, since=span.since, until=span.until)
        if self.matching_articles(narrowed):
            return narrowed, (
                f"Reading only articles dated {describe(narrowed)}, from "
                f"“{span.phrase}” in the question."
            )
        return filters, (
            f"No stored article is dated {describe(narrowed)} (from "
            f"“{span.phrase}” in the question), so all dates were searched."
        )

    def next_turn(self, history: list[str], follow_up: str) -> Turn:
        """`follow_up` read in its conversation (`history`: the earlier questions as
        searched): ask `turn.question` with `topic=turn.topic`, keep `turn.searched`."""
        return next_turn(history, follow_up, self.settings, use_llm=self.settings.use_llm)


def describe(filters: Filters) -> str:
    """Filters in words: "since 2024-01-01, source Reuters"."""
    return ", ".join(
        f"{k} {v if not isinstance(v, list) else '/'.join(v)}"
        for k, v in filters.describe().items()
    )
