"""A filter matching few chunks is searched in Chroma by their ids (read from the BM25
columns) instead of a `where` clause: the same passages, found ten times faster. And because
it is cheap, the news days of a question naming no time are searched on their own when they
are narrow, so a newer report the first search ranked too low still leads."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from llama_index.core.schema import QueryBundle

import rag.retrieval
from rag import Assistant, Filters, HybridRetriever
from rag.settings import Settings

FIRST = date(2024, 3, 1)
OUTLETS = ["harbourpost.example", "quaysidenews.example", "tidewire.example"]


def _day(n: int) -> str:
    return (FIRST + timedelta(days=n)).isoformat()


RECORDS = [
    {
        "id": f"ferry-{n:02d}",
        "title": f"Quillhaven ferry, day {n}",
        "date": _day(n),
        "source": OUTLETS[n % 3],
        "text": f"The Quillhaven ferry carried {1000 + 37 * n} passengers on day {n} of its "
        f"service, the harbour office said. Crossings took {40 + n % 5} minutes and the "
        f"second vessel, the {['Gull', 'Tern', 'Heron'][n % 3]}, stayed in the dock.",
    }
    for n in range(10)
] + [
    {  # the last two days' news is about something else, and mentions the ferry in passing
        "id": f"festival-{n:02d}",
        "title": f"Harbour festival, night {n - 9}",
        "date": _day(n),
        "source": OUTLETS[n % 3],
        "text": f"A brass band and a lantern parade opened night {n - 9} of the Quillhaven "
        "harbour festival, and stalls sold smoked fish until midnight. Late visitors "
        "went home on the ferry.",
    }
    for n in (10, 11)
]

FILTERS = [
    Filters(since=FIRST + timedelta(days=4)),
    Filters(until=FIRST + timedelta(days=5)),
    Filters(since=FIRST + timedelta(days=3), until=FIRST + timedelta(days=8)),
    Filters(sources=(OUTLETS[1],)),
    Filters(
        since=FIRST + timedelta(days=2),
        until=FIRST + timedelta(days=9),
        sources=(OUTLETS[0], OUTLETS[2]),
    ),
    Filters(since=date(2024, 2, 27), until=date(2024, 3, 3)),  # over a leap day
    Filters(since=FIRST + timedelta(days=1), until=FIRST + timedelta(days=200)),  # wide
    Filters(published_by=FIRST + timedelta(days=6)),  # asked as of a day
    Filters(  # a news window reaching past the day it is asked as of
        since=FIRST + timedelta(days=3),
        until=FIRST + timedelta(days=9),
        published_by=FIRST + timedelta(days=6),
    ),
    Filters(since=FIRST + timedelta(days=2), published_by=FIRST + timedelta(days=7)),
    Filters(since=FIRST + timedelta(days=30)),  # matches nothing
]


NAMES = [
    "since",
    "until",
    "between",
    "outlet",
    "outlets-between",
    "leap-day",
    "wide",
    "as-of",
    "window-past-as-of",
    "since-as-of",
    "nothing",
]
WINDOW = {"festival-10", "festival-11"}


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("ferry")
    feed = folder / "ferry.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    assistant = Assistant.from_settings(Settings(data_dir=folder / "data"))
    report = assistant.ingest([feed], progress=False)
    assert len(report.added) == len(RECORDS) and not report.problems
    return assistant


@pytest.mark.parametrize("filters", FILTERS, ids=NAMES)
def test_every_way_of_searching_a_filter_finds_what_the_where_clause_finds(
    ferry: Assistant, filters: Filters
) -> None:
    """By the ids the filter admits (narrow), among the nearest chunks unfiltered (wide), or
    with Chroma's `where` clause: the same candidates in the same order."""
    query = QueryBundle("How many passengers did the ferry carry?")
    by_ids = ferry.retriever._fused(filters, 6).retrieve(query)
    wide = HybridRetriever(ferry.store, ferry.settings, ferry.embed_model, narrow_ids=0)
    among_nearest = wide._fused(filters, 6).retrieve(query)
    too_wide = HybridRetriever(  # too wide to look through the nearest
        ferry.store, ferry.settings, ferry.embed_model, narrow_ids=0, fetch_limit=0
    )
    by_where = too_wide._fused(filters, 6).retrieve(query)

    assert [n.node.node_id for n in by_ids] == [n.node.node_id for n in by_where]
    assert [n.node.node_id for n in among_nearest] == [n.node.node_id for n in by_where]
    records = ferry.store.registry.records(sorted({n.node.ref_doc_id or "" for n in by_ids}))
    assert all(filters.admits(r) for r in records.values())
    assert len(records) == ferry.matching_articles(filters)  # the question matches them all


def test_too_few_admitted_among_the_nearest_falls_back_to_the_filter(ferry: Assistant) -> None:
    """Looking through only the two nearest chunks, none from the festival's nights: the
    filter's own nearest are then searched with it, not left out."""
    from llama_index.core import VectorStoreIndex

    from rag.index.bm25_search import admission, filtered
    from rag.index.nearest_admitted import NearestAdmitted

    window = Filters(since=FIRST + timedelta(days=10), until=FIRST + timedelta(days=11))
    metadata_filters = window.to_metadata_filters()
    assert metadata_filters is not None
    bm25 = ferry.retriever.bm25()
    assert bm25 is not None
    view = filtered(bm25, metadata_filters, 20)
    assert view is not None
    judged = admission(bm25, view)
    assert judged is not None
    index = VectorStoreIndex.from_vector_store(
        ferry.store.vector_store, embed_model=ferry.embed_model
    )
    query = QueryBundle("How many passengers did the Quillhaven ferry carry?")

    def docs(fetch: int) -> list[str]:
        dense = NearestAdmitted(index, 2, metadata_filters, judged[0], fetch, ferry.store.chunks)
        return [n.node.ref_doc_id or "" for n in dense.retrieve(query)]

    assert sorted(docs(fetch=2)) == sorted(WINDOW)  # the fallback: none of the 2 admitted
    assert sorted(docs(fetch=len(RECORDS))) == sorted(WINDOW)  # looked through them all


def test_a_narrow_news_window_is_searched_again_and_a_wide_one_is_not(ferry: Assistant) -> None:
    """With few candidates the first search keeps only the older reports, which answer
    better; the window's own search finds its report anyway, so it can rank. A wide window
    is looked for among the candidates only, which costs nothing and finds nothing here."""
    settings = Settings(data_dir=ferry.settings.data_dir, candidates_k=1)
    retriever = HybridRetriever(ferry.store, settings, ferry.embed_model)
    query = QueryBundle("How many passengers did the Quillhaven ferry carry?")
    window = Filters(since=FIRST + timedelta(days=10), until=FIRST + timedelta(days=11))

    def docs(search_preferred: bool) -> set[str]:
        found = retriever.search(query, top_k=2, prefer=window, search_preferred=search_preferred)
        return {n.node.ref_doc_id or "" for n in found}

    plain = retriever.search(query, top_k=2)  # without the window: only the ferry's reports
    assert plain and {n.node.ref_doc_id for n in plain}.isdisjoint(WINDOW)
    assert not docs(search_preferred=False).isdisjoint(WINDOW)  # narrow: searched by ids
    assert not docs(search_preferred=True).isdisjoint(WINDOW)
    retriever = HybridRetriever(ferry.store, settings, ferry.embed_model, narrow_ids=0)
    assert not docs(search_preferred=True).isdisjoint(WINDOW)  # searched with `where`
    assert docs(search_preferred=False).isdisjoint(WINDOW)  # among the candidates only


@pytest.mark.parametrize("filters", FILTERS, ids=NAMES)
def test_a_short_range_listed_as_its_days_matches_what_the_range_matches(
    ferry: Assistant, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A range of a few weeks is asked of Chroma as the list of its days (25 times faster
    than the range); the articles counted and the passages found are the same."""
    query = QueryBundle("How many passengers did the ferry carry?")
    listed = ferry.matching_articles(filters), ferry.retriever.search(query, filters)
    monkeypatch.setattr(rag.retrieval, "DAYS_LISTED", 0)  # every range as bounds
    bounded = ferry.matching_articles(filters), ferry.retriever.search(query, filters)
    assert listed[0] == bounded[0]
    assert [n.node.node_id for n in listed[1]] == [n.node.node_id for n in bounded[1]]
