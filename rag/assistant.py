"""The one place the assistant is wired together: store, embedder, retriever, answerers.

`Assistant.from_settings()` opens the store; the embedding model and the hybrid retriever are
built on first use, once. `ask()` is retrieve → rerank → answer: the `HybridRetriever` finds
candidate passages (filters, per-article cap), the trained reader keeps those it finds the
answer in (`rag.reader.rerank`), `answerer_for(mode)` picks the answerer with one `match`, and the
answer gets its passages, filters and timings here, once. The question is read once
(`rag.text.question.Question`: its time frame, parts and kind) and that reading is what
retrieval and the answerer get. The CLI, the UI and the eval harness all go through this
class, so they answer identically. Adding, listing and removing articles and watched feeds
is `rag.library.StoredArticles`', which this class extends. It holds no answering or parsing
logic of its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.answer import Answer, AnswerMode, to_passages
from rag.answering import answerer_for
from rag.conversation import Turn, next_turn
from rag.index.embedder import get_embed_model
from rag.index.store import Store
from rag.library import StoredArticles
from rag.reader.rerank import ReaderRerank
from rag.retrieval import Filters, HybridRetriever, fuse_rankings
from rag.settings import Settings
from rag.text.lexicon import Names
from rag.text.markers import NOT_SAID
from rag.text.question import Question
from rag.text.shorthand import spelled_out
from rag.text.truecase import cased_like

__all__ = ["Assistant"]

MAX_TOP_K = 50  # passages one answer may read; more only costs time and dilutes it


@dataclass
class Assistant(StoredArticles):
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

        model = get_embed_model(self.store.embedding_settings(self.settings))
        return CachedEmbedding(model, self.settings.answer_vector_cache)

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

    # --- answering --------------------------------------------------------------------
    def retrieve(
        self,
        query: str | QueryBundle,
        filters: Filters = Filters(),
        top_k: int | None = None,
        per_article: int | None = None,
        prefer: Filters | None = None,
    ) -> list[NodeWithScore]:
        """The best passages for `query` under `filters`, in rank order; with `prefer`, those
        of the articles it admits rank higher (`HybridRetriever.search`)."""
        bundle = query if isinstance(query, QueryBundle) else QueryBundle(query)
        with self.store.reachable("searching"):
            return self.retriever.search(bundle, filters, top_k, per_article, prefer)

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
        # chat shorthand ("uk pm", "thru") read as the articles write it
        searched = Question.parse(spelled_out(Turn(question, topic).searched), as_of)
        asked = Question.parse(spelled_out(question), as_of) if topic else searched
        on_stage("retrieving passages")
        if as_of:  # articles published after the day the question is asked did not exist yet
            filters = replace(filters, published_by=as_of)
        chosen = filters  # what the asker narrowed to (a month the question names comes next)
        filters, notice, empty = self._narrow(searched, filters)
        if empty is not None and (span := searched.timeframe):  # "this year", none from then
            return self._none_from_then(question, span.phrase, empty, filters)
        recent = searched.news_days
        prefer = None
        if not (filters.since or filters.until):
            prefer = replace(filters, since=recent.since, until=recent.until)
            held = self.matching_articles(prefer)
            if not held and not recent.pinned:
                prefer = None  # nothing stored from those days: ranked as before
            elif not held:
                return self._none_from_then(question, recent.phrase, prefer, filters)
        if filters and self.matching_articles(filters) == 0:
            return Answer(
                question=question,
                abstained=True,
                mode="extractive",
                filters=filters.describe(),
                answer=f"No stored article is {in_words(filters)}, so there is nothing to "
                "answer from. Widen the dates, or check how the outlet is named among the "
                "stored articles.",
            )
        names = self.retriever.written_names()
        nodes = self._passages(
            searched,
            filters,
            top_k or self.settings.top_k,
            prefer,
            whole=bool(topic),
            search_preferred=recent.named,
            # the names it asks about, typed in lower case or not, as the store writes them
            must_name=searched.cased_like((), names).asked_names,
        )
        retrieved = time.perf_counter()
        on_stage(
            f"reading {len(nodes)} passages"
            if mode == "extractive"
            else f"writing from {len(nodes)} passages"
        )
        # a question typed in lower case depends on the names it types ("british open"),
        # written as the passages and the store write them
        texts = [n.node.get_content() for n in nodes]
        asked = asked.cased_like(texts, names)
        topic = cased_like(topic, texts, names) if topic else topic
        answerer = answerer_for(mode, self.settings, self.embed_model, on_retry)
        first_token: list[float] = []

        def timed(token: str) -> None:  # when the first token came: what a reader waits for
            if not first_token:
                first_token.append(time.perf_counter())
            if on_token:
                on_token(token)

        answer = answerer.answer(asked, nodes, timed, topic=topic)
        done = time.perf_counter()
        timings = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        if first_token:
            timings["first_token"] = round((first_token[0] - started) * 1000, 1)
        if answer.abstained and chosen:  # a refusal says what it was limited to
            answer = replace(answer, answer=f"{answer.answer} Only articles {in_words(chosen)} "
                             "were read.")  # fmt: skip
        return replace(
            answer,
            question=question,  # as typed: the casing above is for reading it
            notice=" ".join(x for x in (notice, answer.notice) if x),
            passages=to_passages(nodes),
            filters=filters.describe(),
            timings_ms=timings,
        )

    def _none_from_then(
        self, question: str, phrase: str, then: Filters, filters: Filters
    ) -> Answer:
        """The refusal for a question pinned to days ("this week", "this year") from which
        no article is stored: an older article cannot report what happened then."""
        return Answer(
            question=question,
            abstained=True,
            mode="extractive",
            filters=filters.describe(),
            answer=(
                f"{NOT_SAID}: the question asks about “{phrase}” ({describe(then)}) and no "
                "stored article is from then."
            ),
        )

    def _passages(
        self,
        question: Question,
        filters: Filters,
        top_k: int,
        prefer: Filters | None,
        whole: bool = False,
        search_preferred: bool = True,
        must_name: Names | None = None,
    ) -> list[NodeWithScore]:
        """The passages for a question; one of several parts also brings its own passages
        (not when `whole`: a follow-up searched with its topic is one question). With
        `must_name`, a passage that never names what it asks about gives way to one that
        does (`rag.passage_caps.PerArticleCap`)."""
        parts = (question,) if whole else question.parts
        if len(parts) == 1:
            wide = max(top_k, self.settings.rerank_candidates)
            bundle = QueryBundle(question.text)
            found = self.retriever.search(
                bundle,
                filters,
                wide,
                prefer=prefer,
                search_preferred=search_preferred,
                must_name=must_name,
            )
            if wide == top_k:
                return found
            return ReaderRerank(top_n=top_k).postprocess_nodes(found, query_bundle=bundle)
        rankings = [
            self.retriever.search(
                QueryBundle(q.text),
                filters,
                top_k,
                prefer=prefer,
                search_preferred=search_preferred,
            )
            for q in (question, *parts)
        ]
        return fuse_rankings(*rankings)[: top_k + 2 * (len(parts) - 1)]

    def _narrow(self, question: Question, filters: Filters) -> tuple[Filters, str, Filters | None]:
        """Filters narrowed to the outlet and to a month or year the question names, with a
        notice saying so, and the days the question is pinned to when no stored article is
        from them (`_narrow_time`)."""
        filters, by_outlet = self._narrow_outlet(question, filters)
        filters, by_time, empty = self._narrow_time(question, filters)
        return filters, " ".join(x for x in (by_outlet, by_time) if x), empty

    def _narrow_outlet(self, question: Question, filters: Filters) -> tuple[Filters, str]:
        """Filters narrowed to the outlet a question asking what it reported names ("What did
        Reuters report about X?", as the chat suggests for an article with a source)."""
        asked = question.topic
        if filters.sources or not (asked and asked.outlet):
            return filters, ""
        stored = next((s for s in self.sources() if asked.from_outlet(s)), None)
        if stored:  # as the store spells it: "The Times of Israel" for "the Times of Israel"
            narrowed = replace(filters, sources=(stored,))
            return narrowed, f"Reading only articles from {stored}, named in the question."
        return filters, f"No stored article is from {asked.outlet}, so every outlet was searched."

    def _narrow_time(
        self, question: Question, filters: Filters
    ) -> tuple[Filters, str, Filters | None]:
        """Filters narrowed to a month or year the question names, with a notice saying so.
        With no stored article from then all dates are searched, unless the question is
        pinned to those days ("this year": an older article cannot report it); then those
        days come back third, for the refusal to name."""
        if filters.since or filters.until or not (span := question.timeframe):
            return filters, "", None
        narrowed = replace(filters, since=span.since, until=span.until)
        if self.matching_articles(narrowed):
            return (
                narrowed,
                (
                    f"Reading only articles dated {describe(narrowed)}, from "
                    f"“{span.phrase}” in the question."
                ),
                None,
            )
        if span.pinned:
            return filters, "", narrowed
        return (
            filters,
            (
                f"No stored article is dated {describe(narrowed)} (from "
                f"“{span.phrase}” in the question), so all dates were searched."
            ),
            None,
        )

    def next_turn(self, history: list[str], follow_up: str) -> Turn:
        """`follow_up` read in its conversation (`history`: the earlier questions as
        searched): ask `turn.question` with `topic=turn.topic`, keep `turn.searched`."""
        return next_turn(
            history,
            follow_up,
            self.settings,
            use_llm=self.settings.use_llm,
            names=self.retriever.written_names(),
        )


def in_words(filters: Filters) -> str:
    """Filters as a reader says them: "from Reuters or AP dated 2024-03-01 to 2024-03-31"."""
    outlets = " or ".join(filters.sources)
    since, until = filters.since, filters.until
    dated = (
        f"dated {since} to {until}" if since and until
        else f"dated {since} or later" if since
        else f"dated {until} or earlier" if until
        else ""
    )  # fmt: skip
    return " ".join(x for x in (f"from {outlets}" if outlets else "", dated) if x)


def describe(filters: Filters) -> str:
    """Filters in words: "since 2024-01-01, source Reuters"."""
    return ", ".join(
        f"{k} {v if not isinstance(v, list) else '/'.join(v)}"
        for k, v in filters.describe().items()
    )
