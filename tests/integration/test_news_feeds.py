"""Live news in process: feeds and article URLs from a real HTTP server on 127.0.0.1.

The server (tests/helpers/news_server.py) publishes two feeds (RSS 2.0 with full text, Atom
with summaries only) that change between polls, and plays every bad source the issue lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Assistant
from rag.ingest.feed_state import StateFile
from rag.ingest.watch import poll_feeds
from rag.ingest.web import USER_AGENT, Fetcher
from tests.helpers.news_server import NewsServer, NewsSite, quick_fetch_settings

pytestmark = pytest.mark.slow  # starts a news site on 127.0.0.1

BAD_SOURCES = {  # path on the test server -> what its one line must say
    "/bad/malformed.xml": "is not well-formed XML at line 1",
    "/bad/html-as-feed.xml": "is an HTML page, not an RSS or Atom feed",
    "/bad/missing.xml": "HTTP 404 Not Found",
    "/bad/gone.xml": "HTTP 410 Gone",
    "/bad/loop": "redirected more than 5 times (a redirect loop?)",
    "/bad/slow.xml": "no answer within 1 s (RAG_FETCH_TIMEOUT)",
    "/bad/huge.xml": "over the 1 MB limit (RAG_FETCH_MAX_MB); stopped reading there",
    "/bad/latin1.xml": "is not UTF-8 (byte 0xe9 at offset",
    "/bad/nolinks.xml": "1 of 1 entries have no link to an article",
    "/bad/dupguids.xml": "guid 'same' is used by 2 entries; only the first was read",
}


def _poll(server: NewsServer, assistant: Assistant, *paths: str):  # type: ignore[no-untyped-def]
    """One poll as after a restart: a fresh fetcher, state read from the data dir."""
    fetcher = Fetcher(assistant.settings)
    try:
        report = poll_feeds([server.base + p for p in paths], assistant, fetcher)
    finally:
        fetcher.close()
    return {line.url.removeprefix(server.base): line for line in report.feeds}, report


@pytest.fixture
def news():  # type: ignore[no-untyped-def]
    with NewsServer() as server:
        yield server


def test_first_poll_ingests_all_and_second_fetches_nothing_new(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    first, report = _poll(news, assistant, "/world.rss", "/business.atom")
    assert not report.failed
    assert (first["/world.rss"].result, first["/world.rss"].new) == ("200", 2)
    # the Atom feed's harbour entry is the RSS feed's article: stored once, through one feed
    assert (first["/business.atom"].new, first["/business.atom"].unchanged) == (2, 1)
    # the feed, then its three article pages (harbour's too: the feeds are read side by side)
    assert first["/business.atom"].requests == 1 + 3
    ids = set(assistant.library())
    assert ids == {
        f"{news.base}/news/{s}.html" for s in ("harbour", "library", "bakery", "tram")
    }  # canonical: no utm/fbclid/#
    generation = assistant.store.generation()

    before = len(news.site.requests)
    second, report = _poll(news, assistant, "/world.rss", "/business.atom")
    sent = news.site.requests[before:]
    assert [(path, status) for path, status, _ in sorted(sent)] == [
        ("/business.atom", 304),
        ("/world.rss", 304),
    ]
    assert all(h.get("If-None-Match", "").startswith('"') for _, _, h in sent)
    assert all(h["User-Agent"] == USER_AGENT and "rag-news" in USER_AGENT for _, _, h in sent)
    for line in second.values():
        assert (line.result, line.new, line.updated, line.requests) == ("304 not modified", 0, 0, 1)
    assert second["/world.rss"].unchanged == 2 and second["/business.atom"].unchanged == 3
    assert assistant.store.generation() == generation  # nothing written
    state = StateFile(assistant.settings.data_dir).load()[news.base + "/world.rss"]
    assert state.polls == 2 and state.totals["new"] == 2 and state.etag


def test_an_update_replaces_its_article_and_the_new_entry_is_answerable(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    _poll(news, assistant, "/world.rss", "/business.atom")
    news.site.advance()  # orchard is new, library updated, tram leaves the business feed
    before = len(news.site.requests)
    third, report = _poll(news, assistant, "/world.rss", "/business.atom")
    assert not report.failed
    assert (
        third["/world.rss"].new,
        third["/world.rss"].updated,
        third["/world.rss"].unchanged,
    ) == (1, 1, 1)
    assert (
        third["/business.atom"].new,
        third["/business.atom"].updated,
        third["/business.atom"].unchanged,
    ) == (0, 0, 2)
    # the business feed changed, but its two remaining entries were known: no page refetched
    assert [p for p, _, _ in news.site.requests[before:] if p.startswith("/news/")] == []

    library = f"{news.base}/news/library.html"
    texts = [r["text"] for r in assistant.store.chunk_records({"doc_id": library})]
    assert len(texts) == 1 and "first Monday of March" in texts[0]
    assert f"{news.base}/news/tram.html" in assistant.library()  # removed from the feed, kept

    answer = assistant.ask("Which supermarkets will the orchard cooperative export apples to?")
    assert "Nordic supermarkets" in answer.answer
    assert answer.citations[0].url == f"{news.base}/news/orchard.html"


def test_every_bad_source_is_reported_and_the_rest_lands(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    assistant.ingest([], urls=[news.base + "/world.rss"], progress=False)
    stored = set(assistant.library())
    said: list[str] = []
    report = assistant.ingest(
        [],
        progress=False,
        on_problem=lambda p: said.append(str(p)),
        urls=[news.base + p for p in BAD_SOURCES] + [news.base + "/business.atom"],
    )
    assert report.failed
    for path, message in BAD_SOURCES.items():
        lines = [line for line in said if line.startswith(news.base + path + ":")]
        assert len(lines) == 1 and message in lines[0], (path, said)
    assert len(said) == len(BAD_SOURCES)
    assert news.site.huge_bytes_sent < 10 * 1_048_576  # stopped near the limit, not 200 MB
    library = assistant.library()
    assert stored < set(library)  # nothing stored was lost
    # the rest landed: the Atom feed's articles and the duplicate-guid feed's first entry
    assert {f"{news.base}/news/{s}.html" for s in ("bakery", "tram", "bridge")} <= set(library)
    # a declared non-UTF-8 charset (the bakery page is windows-1252) is read correctly
    assert (
        library[f"{news.base}/news/bakery.html"].title
        == "Bakery chain opens a café in the old station"
    )


def test_an_article_url_is_stored_under_its_canonical_url(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    report = assistant.ingest(
        [], progress=False, urls=[news.base + "/news/bridge.html?utm_source=mail&gclid=1#comments"]
    )
    assert report.added == [f"{news.base}/news/bridge.html"] and not report.failed
    record = assistant.library()[f"{news.base}/news/bridge.html"]
    assert (record.title, record.source, record.date) == (
        "Old swing bridge to be restored",
        "Northport Herald",
        "2026-06-01",
    )
    again = assistant.ingest([], progress=False, urls=[news.base + "/news/bridge.html"])
    assert again.skipped == [f"{news.base}/news/bridge.html"]  # same article, unchanged


def test_backoff_honours_retry_after(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    waits: list[float] = []
    fetcher = Fetcher(assistant.settings, sleep=waits.append)
    report = poll_feeds([news.base + "/flaky.xml", news.base + "/bad/busy.xml"], assistant, fetcher)
    lines = {line.url.removeprefix(news.base): line for line in report.feeds}
    assert waits == [1.0]  # the 503's Retry-After: 1, then the retry succeeded
    assert (lines["/flaky.xml"].result, lines["/flaky.xml"].requests, lines["/flaky.xml"].new) == (
        "200",
        2,
        2,
    )
    assert lines["/bad/busy.xml"].result.startswith(
        "failed: HTTP 429; the server asks to wait 3600 s"
    )
    assert lines["/bad/busy.xml"].requests == 1  # an hour is too long to wait inside a poll

    asked = len(news.requests_to("/bad/busy.xml"))
    again = poll_feeds([news.base + "/bad/busy.xml"], assistant, fetcher)
    assert again.feeds[0].result.startswith("skipped: the server asked to wait until")
    assert again.feeds[0].requests == 0 and len(news.requests_to("/bad/busy.xml")) == asked
    fetcher.close()


def test_a_summary_feed_entry_whose_page_fails_is_retried_next_poll(tmp_path: Path) -> None:
    site = NewsSite(business=["bakery", "bridge"], missing_pages={"bridge"})
    with NewsServer(site) as news:
        assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
        first, report = _poll(news, assistant, "/business.atom")
        line = first["/business.atom"]
        assert (line.new, line.failed) == (1, 1) and report.failed
        assert (
            "its article page" in report.problems[0].message
            and "HTTP 404" in report.problems[0].message
        )
        state = StateFile(assistant.settings.data_dir).load()[news.base + "/business.atom"]
        assert state.etag == ""  # so the next poll fetches the feed in full and retries
        assert list(state.entries) == ["tag:northport,2026:bakery"]

        site.missing_pages.clear()
        before = len(site.requests)
        second, report = _poll(news, assistant, "/business.atom")
        assert (second["/business.atom"].new, second["/business.atom"].unchanged) == (1, 1)
        # only the failed entry's page is fetched again, not the one already stored
        assert [p for p, _, _ in site.requests[before:]] == ["/business.atom", "/news/bridge.html"]
        assert f"{news.base}/news/bridge.html" in assistant.library()


def test_a_second_feed_does_not_replace_an_article_but_its_own_feed_updates_it(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    _poll(news, assistant, "/world.rss")
    harbour = f"{news.base}/news/harbour.html"
    news.site.updates["harbour"] = "Update: evening crossings start in July."
    # the Atom feed shows harbour for the first time while its own feed updates it
    second, report = _poll(news, assistant, "/world.rss", "/business.atom")
    assert not report.failed
    assert (
        second["/world.rss"].updated,
        second["/business.atom"].new,
        second["/business.atom"].updated,
        second["/business.atom"].unchanged,
    ) == (1, 2, 0, 1)
    record = assistant.library()[harbour]
    assert record.path == news.base + "/world.rss"  # still the first feed's article
    texts = [r["text"] for r in assistant.store.chunk_records({"doc_id": harbour})]
    assert len(texts) == 1 and "evening crossings start in July" in texts[0]
    third, _ = _poll(news, assistant, "/world.rss", "/business.atom")
    assert [line.result for line in third.values()] == ["304 not modified"] * 2
