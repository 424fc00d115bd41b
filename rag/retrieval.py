"""Hybrid retrieval: dense (Chroma) and BM25, fused by reciprocal rank, with metadata filters.

Built from llama-index parts: a `VectorIndexRetriever` over the Chroma vector store, the
persisted `BM25Retriever`, a `QueryFusionRetriever` in reciprocal-rank mode (one query, so no
LLM is asked to rewrite it), and a postprocessor that keeps at most a few passages per article
and one article per story (`rag.passage_caps.StoryCap`). Filters on date and outlet apply to
both halves: BM25 filters in memory; the dense half searches a narrow filter by the ids of
the chunks it matches, a wide one among the nearest chunks (`NearestAdmitted`), since
Chroma's `where` clause on dates is slow at archive size. `HybridRetriever` is the one place
they are put together. It neither answers nor decides whether an answer exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import MockLLM
from llama_index.core.retrievers import QueryFusionRetriever, VectorIndexRetriever
from llama_index.core.retrievers.fusion_retriever import FUSION_MODES
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from rag.index.bm25 import MatchingBM25Retriever, filtered, load_bm25
from rag.index.bm25_search import admission, admitted_ids
from rag.index.chroma_client import is_stale_index
from rag.index.nearest_admitted import NearestAdmitted
from rag.index.registry_records import ArticleRecord
from rag.index.store import Store
from rag.passage_caps import StoryCap, doc_of
from rag.settings import Settings
from rag.text.lexicon import Names

# A filter matching at most this many chunks is searched in Chroma by their ids (read from
# the BM25 columns) instead of a `where` clause: 22 ms against 203 ms for a ten-day window
# among 68k chunks. Past it, listing the ids costs more than the filter saves.
NARROW_IDS = 5000
# a wider filter is searched among at most this many nearest chunks (`NearestAdmitted`)
FETCH_LIMIT = 1000
# a date range of at most this many days is filtered as the list of its days
DAYS_LISTED = 92


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the question to: a date range and outlets.

    `published_by` is the day a question is asked as of (`rag ask --as-of`, a gold question's
    date): an article published after it did not exist yet, so it is left out. Unlike `until`
    it keeps undated articles, which cannot be shown to be later, and it is not a narrowing the
    user chose, so it does not make the filters truthy.
    """

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    published_by: date | None = None

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.sources)

    def describe(self) -> dict[str, object]:
        return {
            k: v
            for k, v in {
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "source": list(self.sources) or None,
            }.items()
            if v
        }

    def to_metadata_filters(self) -> MetadataFilters | None:
        """The filters as llama-index metadata filters on the chunks' `date_int` and `source`.

        A range of at most `DAYS_LISTED` days is written as the list of its days: Chroma
        answers a list of values (`$in`) in 11 ms where it takes 280 ms over the same ten
        days as a range (`$gte` and `$lte`), counting 4,712 articles' records."""
        parts: list[MetadataFilter] = []
        # with a first day, the as-of day is one more last day (undated articles are out)
        ends = [d for d in (self.until, self.published_by if self.since else None) if d]
        last = min(ends, default=None)
        if self.since and last and 0 <= (last - self.since).days < DAYS_LISTED:
            days = (self.since + timedelta(days=n) for n in range((last - self.since).days + 1))
            parts.append(
                MetadataFilter(
                    key="date_int",
                    operator=FilterOperator.IN,
                    value=[int(d.strftime("%Y%m%d")) for d in days],
                )
            )
        else:
            parts.extend(self._range())
            if self.published_by and not (self.until and self.until <= self.published_by):
                parts.append(
                    MetadataFilter(
                        key="date_int",
                        operator=FilterOperator.LTE,
                        value=int(self.published_by.strftime("%Y%m%d")),
                    )
                )
        if len(self.sources) == 1:
            parts.append(
                MetadataFilter(key="source", operator=FilterOperator.EQ, value=self.sources[0])
            )
        elif self.sources:
            parts.append(
                MetadataFilter(key="source", operator=FilterOperator.IN, value=list(self.sources))
            )
        return MetadataFilters(filters=parts, condition=FilterCondition.AND) if parts else None

    def _range(self) -> list[MetadataFilter]:
        """A wide (or open) date range as bounds on `date_int`."""
        parts: list[MetadataFilter] = []
        if self.since:
            parts.append(
                MetadataFilter(
                    key="date_int",
                    operator=FilterOperator.GTE,
                    value=int(self.since.strftime("%Y%m%d")),
                )
            )
        if self.until:
            parts.append(
                MetadataFilter(
                    key="date_int",
                    operator=FilterOperator.LTE,
                    value=int(self.until.strftime("%Y%m%d")),
                )
            )
            if not self.since:  # undated articles (date_int 0) cannot be shown to be before
                parts.append(MetadataFilter(key="date_int", operator=FilterOperator.GT, value=0))
        return parts

    def admits(self, record: ArticleRecord) -> bool:
        """Whether an article with this registry record is within the filters."""
        day = record.date
        if (self.since or self.until) and not day:
            return False  # as `to_metadata_filters`: an undated article is outside any range
        if self.since and day < self.since.isoformat():
            return False
        if self.until and day > self.until.isoformat():
            return False
        if self.published_by and day and day > self.published_by.isoformat():
            return False  # as of an earlier day the newer version did not exist yet
        return not self.sources or record.source in self.sources

    def chroma_where(self) -> dict[str, Any] | None:
        """The same filters in Chroma's own syntax, for counting matching articles."""
        from llama_index.vector_stores.chroma.base import _to_chroma_filter

        mf = self.to_metadata_filters()
        return _to_chroma_filter(mf) if mf else None


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over one store, built once per assistant and shared by every caller.

    `search()` takes the filters and sizes of one question; `_retrieve()` (llama-index's
    entry point) searches without filters, so the retriever also plugs into any llama-index
    query engine. The BM25 index is reloaded when the store's generation changes (another
    ingest, perhaps in another process).
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        embed_model: BaseEmbedding,
        narrow_ids: int = NARROW_IDS,
        fetch_limit: int = FETCH_LIMIT,
    ) -> None:
        """`narrow_ids` and `fetch_limit` choose how a filter is searched (`_dense`); other
        values than the defaults are for measuring and testing each way."""
        super().__init__()
        self.narrow_ids, self.fetch_limit = narrow_ids, fetch_limit
        self._store = store
        self._settings = settings
        self._embed = embed_model
        self._bm25: tuple[str, MatchingBM25Retriever | None] | None = None
        from rag.ingest.chunking import build_transformations

        # the store's own chunking, for the index view `_fused` builds; left out, llama-index
        # builds its default splitter, loading a tiktoken encoding (0.2 s of a cold answer)
        self._chunking = build_transformations(settings)

    def bm25(self) -> MatchingBM25Retriever | None:
        """The BM25 index for the store as it is now."""
        generation = self._store.generation()
        if self._bm25 is None or self._bm25[0] != generation:
            self._bm25 = (generation, load_bm25(self._store, self._settings.candidates_k))
        return self._bm25[1]

    def written_names(self) -> dict[str, str]:
        """How the store writes its names (`rag.text.truecase`), counted with the BM25 index."""
        bm25 = self.bm25()
        return bm25.written_names if bm25 is not None else {}

    def search(
        self,
        query: QueryBundle,
        filters: Filters = Filters(),
        top_k: int | None = None,
        per_article: int | None = None,
        prefer: Filters | None = None,
        search_preferred: bool = True,
        must_name: Names | None = None,
    ) -> list[NodeWithScore]:
        """The best `top_k` passages, at most `per_article` of one article, in rank order;
        with `must_name`, a passage never naming it gives way to the best one left out that
        does (`PerArticleCap`).

        Every read of the store happens under `Store.reading()`, so an answer given while an
        ingest commits reads the store as it was before a commit or after it, never both.

        `prefer` narrows to the articles that rank higher (a question about "this week"):
        the ranking over all dates and the ranking inside the range are fused by reciprocal
        rank, so a passage found by both leads and an older one that answers still shows.
        With `search_preferred` the range is always searched on its own. Without (a question
        naming no time, which prefers its news days too), it is searched on its own only
        when it is narrow enough to be searched by chunk ids (`NARROW_IDS`); otherwise its
        passages are only looked for among the candidates already found: a wide window's
        own search may fall back to Chroma's `where` clause, which takes its dense search from
        7 ms to 290 ms at 68k chunks (by ids: 22 ms; `eval.findings.date_filter_cost`).
        """
        k = top_k or self._settings.top_k
        searched = prefer if prefer and (search_preferred or self._narrow(prefer)) else None
        with self._store.reading():  # one generation: no commit between these reads
            try:
                nodes = self._ranked(query, filters, k, searched)
            except Exception as err:  # another process's articles, unseen by this engine
                if not is_stale_index(err):
                    raise
                self._store.reload()
                nodes = self._ranked(query, filters, k, searched)
            records = self._records(nodes)
        if prefer and not searched:
            found = [n for n in nodes if doc_of(n) in records and prefer.admits(records[doc_of(n)])]
            nodes = fuse_rankings(nodes, found)
        cap = StoryCap(
            max_per_article=per_article or self._settings.max_chunks_per_article,
            top_n=k,
            records=records,
            admissible={d for d, r in records.items() if filters.admits(r)},
            must_name=must_name,
        )
        return cap.postprocess_nodes([n for n in nodes if doc_of(n) in records], query_bundle=query)

    def _ranked(
        self, query: QueryBundle, filters: Filters, k: int, prefer: Filters | None
    ) -> list[NodeWithScore]:
        """The fused dense + BM25 ranking, and with `prefer` the narrower one fused in."""
        nodes = self._fused(filters, k).retrieve(query)
        if prefer:
            nodes = fuse_rankings(nodes, self._fused(prefer, k).retrieve(query))
        return nodes

    def _narrow(self, filters: Filters) -> bool:
        """Whether the dense half would search these filters by chunk ids (see `_fused`)."""
        bm25 = self.bm25()
        metadata_filters = filters.to_metadata_filters()
        if bm25 is None or metadata_filters is None:
            return False
        view = filtered(bm25, metadata_filters, self._settings.candidates_k)
        return view is None or admitted_ids(view, self.narrow_ids) is not None

    def _records(self, nodes: list[NodeWithScore]) -> dict[str, ArticleRecord]:
        """Registry records of the retrieved articles that are fully stored, and of the other
        copies in their stories. Only done articles count: a batch being committed, or one a
        `kill -9` left pending, has chunks in Chroma (and perhaps BM25) but is not listed by
        `rag docs`, so no answer may cite it. Two registry lookups per question."""
        docs = sorted({doc_of(n) for n in nodes})
        if not docs:
            return {}
        found = self._store.registry.records(docs)
        stories = {r.story for r in found.values() if r.story}
        return {**self._store.registry.story_members(stories), **found} if stories else found

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.search(query_bundle)

    def _fused(self, filters: Filters, top_k: int) -> BaseRetriever:
        """Dense + BM25 fused; candidates are deep enough for the per-article cap to bite.

        The dense half is `_dense`'s choice; BM25 is filtered in memory."""
        candidates = max(self._settings.candidates_k, top_k * 3)
        metadata_filters = filters.to_metadata_filters()
        bm25 = self.bm25()
        view = filtered(bm25, metadata_filters, candidates) if bm25 is not None else None
        if bm25 is not None and view is None:
            return NothingRetriever()  # the filters match no stored chunk
        index = VectorStoreIndex.from_vector_store(
            self._store.vector_store,
            embed_model=self._embed,
            transformations=self._chunking,
        )
        dense = self._dense(index, metadata_filters, bm25, view, candidates)
        retrievers: list[BaseRetriever] = [dense]
        if bm25 is not None and view is not None:
            view.similarity_top_k = min(candidates, len(bm25.corpus))
            retrievers.append(view)
        return QueryFusionRetriever(
            retrievers,
            llm=MockLLM(),
            mode=FUSION_MODES.RECIPROCAL_RANK,
            similarity_top_k=candidates,
            num_queries=1,
            use_async=False,
        )

    def _dense(
        self,
        index: VectorStoreIndex,
        filters: MetadataFilters | None,
        bm25: MatchingBM25Retriever | None,
        view: MatchingBM25Retriever | None,
        k: int,
    ) -> BaseRetriever:
        """The dense half: a filter matching few chunks is searched by their ids (read from
        the BM25 columns, `NARROW_IDS`); one admitting many by looking through the nearest
        chunks unfiltered (`NearestAdmitted`, up to `FETCH_LIMIT` of them); anything else
        (no BM25 index, filters only llama-index evaluates) with Chroma's `where` clause."""
        if filters is None or bm25 is None or view is None:
            return VectorIndexRetriever(index=index, similarity_top_k=k, filters=filters)
        if (ids := admitted_ids(view, self.narrow_ids)) is not None:
            return VectorIndexRetriever(
                index=index, similarity_top_k=k, vector_store_kwargs={"ids": ids}
            )
        if (judged := admission(bm25, view)) is not None:
            admits, share = judged
            if (fetch := NearestAdmitted.fetch_for(k, share)) <= self.fetch_limit:
                return NearestAdmitted(index, k, filters, admits, fetch, self._store.chunks)
        return VectorIndexRetriever(index=index, similarity_top_k=k, filters=filters)


class NothingRetriever(BaseRetriever):
    """What filters that match no stored chunk retrieve: nothing, without asking Chroma."""

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return []


def fuse_rankings(*rankings: list[NodeWithScore], k: int = 60) -> list[NodeWithScore]:
    """Reciprocal-rank fusion of several rankings of the same store (what llama-index's
    QueryFusionRetriever does inside one retrieval, applied across two)."""
    # Not QueryFusionRetriever's own fusion: it keys nodes by content hash, which would merge
    # the identical passages of a wire report's copies, and it rewrites the inputs' scores.
    scores: dict[str, float] = {}
    nodes: dict[str, NodeWithScore] = {}
    for ranking in rankings:
        for rank, nws in enumerate(ranking):
            scores[nws.node.node_id] = scores.get(nws.node.node_id, 0.0) + 1.0 / (k + rank + 1)
            nodes.setdefault(nws.node.node_id, nws)
    ordered = sorted(scores, key=lambda i: scores[i], reverse=True)
    return [NodeWithScore(node=nodes[i].node, score=scores[i]) for i in ordered]
