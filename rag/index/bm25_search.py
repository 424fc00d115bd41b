"""Searching the BM25 index: only chunks that share a term with the question, and filtered views.

`MatchingBM25Retriever` is llama-index's `BM25Retriever` (bm25s) returning matching chunks
only; `filtered()` narrows it to chunks whose metadata pass the question's filters (dates,
outlets) without rebuilding anything, and `admitted_ids()` and `admission()` tell the dense
half which chunks such a filter admits (its ids, or a test on an id). Building, persisting
and loading the index is `rag.index.bm25`'s job.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, cast

from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.types import MetadataFilter, MetadataFilters
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import


class MatchingBM25Retriever(BM25Retriever):
    """BM25 that returns only chunks sharing at least one term with the query.

    bm25s fills its top-k with zero-score (or filtered-out) chunks when few match; those are
    not evidence of anything and must not reach the fusion step. Selecting among the matching
    chunks only is also what keeps it fast: bm25s partitions the whole score array, and
    numpy's partition degrades on an array that is almost all zeros (14 ms instead of 1 ms at
    100k chunks).
    """

    # the library's 0/1 list, or the float32 array `_mask` turns it into (what bm25s takes)
    corpus_weight_mask: Any
    # how the store writes its names (`rag.text.truecase.WrittenNames`), kept with the index
    written_names: dict[str, str] = {}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        import bm25s
        import numpy as np

        tokens = bm25s.tokenize(
            query_bundle.query_str,
            token_pattern=self.token_pattern,
            stemmer=None if self.skip_stemming else self.stemmer,
            return_ids=False,
            show_progress=False,
        )[0]
        ids = self.bm25.get_tokens_ids(tokens)
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids, weight_mask=self._mask())
        hits = np.flatnonzero(scores > 0)
        k = self.similarity_top_k
        if len(hits) > k:
            hits = hits[np.argpartition(scores[hits], -k)[-k:]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [
            NodeWithScore(node=metadata_dict_to_node(self.corpus[int(i)]), score=float(scores[i]))
            for i in hits
        ]

    def _mask(self) -> Any:
        """The filter as a 0/1 array over the corpus (None: no filter), converted once."""
        import numpy as np

        if self.corpus_weight_mask is not None and not isinstance(
            self.corpus_weight_mask, np.ndarray
        ):
            self.corpus_weight_mask = np.asarray(self.corpus_weight_mask, dtype=np.float32)
        return self.corpus_weight_mask


def filtered(
    base: MatchingBM25Retriever, filters: MetadataFilters | None, top_k: int
) -> MatchingBM25Retriever | None:
    """A view of `base` restricted to chunks matching `filters` (None when none match).

    The date and outlet filters the assistant uses are evaluated with numpy over columns
    cached on `base`; anything else goes through llama-index's per-chunk filter function.
    """
    if filters is None or not filters.filters:
        return base
    k = min(top_k, len(base.corpus))
    mask = _column_mask(base, filters)
    if mask is None:
        try:
            return MatchingBM25Retriever(
                existing_bm25=base.bm25, filters=filters, similarity_top_k=k
            )
        except ValueError:  # llama-index raises when the filters leave nothing
            return None
    if not mask.any():
        return None
    view = MatchingBM25Retriever(existing_bm25=base.bm25, similarity_top_k=k)
    view.corpus, view.corpus_weight_mask = base.corpus, mask
    return view


def _column_mask(base: MatchingBM25Retriever, filters: MetadataFilters) -> Any:
    import numpy as np
    from llama_index.core.vector_stores.types import FilterCondition, FilterOperator

    if filters.condition not in (None, FilterCondition.AND) or any(
        not hasattr(f, "key") for f in filters.filters
    ):
        return None
    columns = base.__dict__.setdefault("_columns", {})
    mask = np.ones(len(base.corpus), dtype=bool)
    for f in cast(list[MetadataFilter], filters.filters):  # each has a key: none is nested
        if f.key not in columns:
            columns[f.key] = np.array([c.get(f.key) for c in base.corpus], dtype=object)
        column = columns[f.key]
        match f.operator:
            case FilterOperator.EQ:
                mask &= column == f.value
            case FilterOperator.IN:
                wanted = list(cast(list[Any], f.value))  # IN takes a list
                # a list of days: on the numeric column (np.isin over objects took 5 ms)
                numbers = bool(wanted) and all(isinstance(v, (int, float)) for v in wanted)
                mask &= np.isin(_numeric(columns, f.key) if numbers else column, wanted)
            case FilterOperator.GTE | FilterOperator.LTE | FilterOperator.GT:
                values = _numeric(columns, f.key)
                mask &= {
                    FilterOperator.GTE: values >= f.value,
                    FilterOperator.LTE: values <= f.value,
                    FilterOperator.GT: values > f.value,
                }[f.operator]
            case _:
                return None
    return mask.astype(np.float32)


def _numeric(columns: dict[str, Any], key: str) -> Any:
    """The column of `key` as float64 (not a number: -1), made once per loaded index."""
    import numpy as np

    numeric = f"{key}#numeric"
    if numeric not in columns:
        columns[numeric] = np.array(
            [v if isinstance(v, (int, float)) else -1 for v in columns[key]], dtype=np.float64
        )
    return columns[numeric]


def admitted_ids(view: MatchingBM25Retriever, limit: int) -> list[str] | None:
    """The node ids of the chunks a `filtered()` view admits, when its filter is a column one
    and they are at most `limit`; None otherwise (search with the filter itself).

    The dense half uses them: Chroma searches a list of ids far faster than a `where` filter
    on dates (22 ms against 203 ms for a ten-day window of ~1,200 chunks among 68k,
    `eval.findings.date_filter_cost`), and the ids are the same chunks the filter matches
    because the BM25 corpus is every stored chunk of the store's generation."""
    import numpy as np

    mask = view.corpus_weight_mask
    if not isinstance(mask, np.ndarray):  # no filter, or one only llama-index evaluates
        return None
    picked = np.flatnonzero(mask)
    if len(picked) > limit:
        return None
    return [view.corpus[int(i)]["node_id"] for i in picked]


def admission(
    base: MatchingBM25Retriever, view: MatchingBM25Retriever
) -> tuple[Callable[[str], bool], float] | None:
    """Whether the column filter of `view` (a `filtered()` view of `base`) admits each chunk,
    as a function of its node id, with the share of chunks it admits; None when the view
    has no column filter. Node positions are indexed once per loaded index."""
    import numpy as np

    mask = view.corpus_weight_mask
    if not isinstance(mask, np.ndarray):
        return None
    positions: dict[str, int] = base.__dict__.get("_positions") or base.__dict__.setdefault(
        "_positions", {c["node_id"]: i for i, c in enumerate(base.corpus)}
    )

    def admits(node_id: str) -> bool:
        at = positions.get(node_id)
        return at is not None and bool(mask[at])

    return admits, float(mask.mean()) if len(mask) else 0.0
