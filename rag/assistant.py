"""The one place the assistant is wired together: store, embedder, retriever, answerer.

`Assistant.from_settings()` opens the store and, lazily, the embedding model and BM25 index;
`ask()` runs a question through the llama-index query engine (hybrid retriever, per-article
cap) and answers with the LLM when one is configured (checked citations, extractive
fallback) or with the extractive synthesizer, returning an `Answer`. The CLI, the UI and the eval harness all
go through here, so they answer identically. Ingest lives in `rag.ingest`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import QueryBundle

from rag.answer import Answer
from rag.bm25 import MatchingBM25Retriever, load_bm25
from rag.embedder import get_embed_model
from rag.extractive import ExtractiveSynthesizer, to_passage
from rag.generate import generate_answer, standalone_question
from rag.ingest import IngestReport, ingest
from rag.llm import LLMUnavailable
from rag.retrieval import Filters, PerArticleCap, build_retriever
from rag.settings import Settings
from rag.store import Store
from rag.timeframe import parse_timeframe


@dataclass
class Assistant:
    settings: Settings
    store: Store
    _bm25: tuple[str, MatchingBM25Retriever | None] | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Assistant":
        return cls(settings=settings, store=Store.open(settings))

    @cached_property
    def embed_model(self) -> BaseEmbedding:
        return get_embed_model(self.settings)

    def bm25(self) -> MatchingBM25Retriever | None:
        """The BM25 index for the store as it is now (reloaded after any ingest)."""
        generation = self.store.generation()
        if self._bm25 is None or self._bm25[0] != generation:
            self._bm25 = (generation, load_bm25(self.store, self.settings.candidates_k))
        return self._bm25[1]

    def ingest(self, paths: list[Path], prune: bool = False, progress: bool = True
               ) -> IngestReport:
        with self.store.reachable("ingesting"):
            return ingest(paths, self.settings, store=self.store, prune=prune,
                          progress=progress)

    def delete(self, doc_id: str) -> bool:
        """Remove one article and its chunks; False when no such article is stored."""
        with self.store.reachable(f"deleting {doc_id}"):
            if doc_id not in self.store.article_records([doc_id], status=None):
                return False
            self.store.delete_chunks([doc_id])
            self.store.delete_articles([doc_id])
            self.store.bump_generation()
            return True

    def sources(self) -> list[str]:
        """The outlets of the stored articles, for filter menus."""
        with self.store.reachable("listing outlets"):
            return sorted({r["source"] for r in self.store.article_records().values()
                           if r.get("source")})

    def matching_articles(self, filters: Filters) -> int:
        where = filters.chroma_where()
        if where is None:
            return len(self.store.article_records())
        where = {"$and": [{"status": "done"}, where]}
        return len(self.store.articles.get(where=where, include=[])["ids"])

    def ask(self, question: str, filters: Filters = Filters(), top_k: int | None = None,
            on_token: Callable[[str], None] | None = None,
            on_retry: Callable[[str, float], None] | None = None) -> Answer:
        """Answer from the stored articles: generated and checked in LLM mode, else quoted.

        In LLM mode tokens stream to `on_token`; a failing endpoint is retried, then the
        answer falls back to the extractive answerer with a notice. A misconfigured endpoint
        (bad key, unknown model) raises `LLMConfigError`.
        """
        if not question.strip():
            raise ValueError("The question is empty; ask something about the articles.")
        with self.store.reachable("answering"):
            return self._ask(question.strip(), filters, top_k, on_token, on_retry)

    def _ask(self, question: str, filters: Filters, top_k: int | None,
             on_token: Callable[[str], None] | None,
             on_retry: Callable[[str, float], None] | None) -> Answer:
        started = time.perf_counter()
        k = top_k or self.settings.top_k
        notice = ""
        if not (filters.since or filters.until) and (span := parse_timeframe(question)):
            narrowed = replace(filters, since=span.since, until=span.until)
            if self.matching_articles(narrowed):
                filters = narrowed
                notice = (f"Reading only articles dated {_describe(narrowed)}, from "
                          f"“{span.phrase}” in the question.")
            else:
                notice = (f"No stored article is dated {_describe(narrowed)} (from "
                          f"“{span.phrase}” in the question), so all dates were searched.")
        if filters and self.matching_articles(filters) == 0:
            return Answer(question=question, abstained=True, mode="extractive",
                          filters=filters.describe(),
                          answer="No stored article matches the filters "
                                 f"({_describe(filters)}), so there is nothing to answer from. "
                                 "Widen the dates or check the outlet name with `rag docs`.")
        synthesizer = ExtractiveSynthesizer(self.embed_model, self.settings.min_answer_score,
                                            self.settings.max_answer_sentences)
        engine = RetrieverQueryEngine(
            retriever=build_retriever(self.store, self.settings, self.embed_model,
                                      self.bm25(), filters, k),
            response_synthesizer=synthesizer,
            node_postprocessors=[PerArticleCap(max_per_article=self.settings
                                               .max_chunks_per_article, top_n=k)],
        )
        bundle = QueryBundle(question)
        nodes = engine.retrieve(bundle)
        retrieved = time.perf_counter()
        answer: Answer | None = None
        if self.settings.use_llm and nodes:
            try:
                answer = generate_answer(question, nodes, self.settings, self.embed_model,
                                         on_token=on_token, on_retry=on_retry)
                if answer.abstained and answer.citation_check.get("removed_sentences"):
                    notice += (" The generated answer did not hold up against the passages "
                              "(see the citation check); quoting the passages instead.")
                    answer = None
            except LLMUnavailable as err:
                notice += f" {err} This answer is extractive (quoted passages) instead."
        if answer is None:
            answer = engine.synthesize(bundle, nodes).metadata["answer"]  # type: ignore
            if self.settings.use_llm and nodes:
                answer.mode = "extractive-fallback"
        done = time.perf_counter()
        answer.notice = notice.strip()
        answer.passages = [to_passage(i, n) for i, n in enumerate(nodes, start=1)]
        answer.filters = filters.describe()
        answer.timings_ms = {"retrieve": round((retrieved - started) * 1000, 1),
                             "answer": round((done - retrieved) * 1000, 1),
                             "total": round((done - started) * 1000, 1)}
        return answer

    def standalone(self, history: list[tuple[str, str]], follow_up: str) -> str:
        """A follow-up question made self-contained for retrieval.

        With an LLM it is rewritten from the conversation. Without one, a short follow-up
        that leans on the previous question ("and what did Austin say?") is searched
        together with that question.
        """
        if not history:
            return follow_up
        if self.settings.use_llm:
            try:
                return standalone_question(history, follow_up, self.settings)
            except LLMUnavailable:
                pass
        leaning = re.match(r"^\s*(and|but|what about|how about|also|so|then)\b", follow_up, re.I)
        pronoun = re.search(r"\b(he|she|they|it|him|her|them|his|their|that|this|those)\b",
                            follow_up, re.I)
        if leaning or pronoun or len(follow_up.split()) <= 4:
            return f"{history[-1][0]} {follow_up}"
        return follow_up


def _describe(filters: Filters) -> str:
    return ", ".join(f"{k} {v if not isinstance(v, list) else '/'.join(v)}"
                     for k, v in filters.describe().items())
