"""The watch list (feeds.json) shared by `rag watch`, `rag ingest FEED` and the UI, against a
real news server on 127.0.0.1 (tests/helpers/news_server.py).

Shows: a one-shot `rag ingest FEED` read again costs one 304 and no article page; a feed
added through the Assistant is polled at once, listed with its poll, and removed without
losing its articles; a bad feed is refused in one line and not kept; `rag watch` with no
FEED polls the stored list, `--list` shows it and `--remove` shortens it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Assistant, Settings
from rag.cli import app
from tests.helpers.news_server import NewsServer, quick_fetch_settings

pytestmark = pytest.mark.slow  # starts a news site on 127.0.0.1


@pytest.fixture
def news():  # type: ignore[no-untyped-def]
    with NewsServer() as server:
        yield server


def run_rag(*args: str):  # type: ignore[no-untyped-def]
    """The real `rag` command, run in this process (a subprocess costs its imports, ~10 s)."""
    from typer.testing import CliRunner

    # RAG_INGEST_NICE=0: in this process, `rag watch` would lower the test runner's priority
    done = CliRunner().invoke(app, list(args), env={"RAG_INGEST_NICE": "0"})
    done.returncode = done.exit_code  # type: ignore[attr-defined]
    return done


def _sent(news: NewsServer, since: int) -> list[tuple[str, int]]:
    return sorted((path.split("?")[0], status) for path, status, _ in news.site.requests[since:])


def test_one_shot_ingest_of_an_unchanged_summary_feed_fetches_no_article_page(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    feed = news.base + "/business.atom"
    first = assistant.ingest([], progress=False, urls=[feed])
    assert len(first.added) == 3 and not first.failed
    assert first.feeds == [
        f"{feed}: 200; 3 new, 0 updated, 0 unchanged, 0 failed; "
        f"4 requests, {first.feeds[0].rsplit(', ', 1)[1]}"
    ]

    before = len(news.site.requests)
    again = assistant.ingest([], progress=False, urls=[feed])
    assert _sent(news, before) == [("/business.atom", 304)]  # no article page fetched
    assert (again.added, again.updated, again.failed) == ([], [], False)
    assert again.feeds[0].startswith(
        f"{feed}: 304 not modified; 0 new, 0 updated, 3 unchanged, 0 failed; 1 request,"
    )

    news.site.business.append("bridge")  # the feed changes: one new summary-only entry
    before = len(news.site.requests)
    third = assistant.ingest([], progress=False, urls=[feed])
    assert _sent(news, before) == [("/business.atom", 200), ("/news/bridge.html", 200)]
    assert third.added == [f"{news.base}/news/bridge.html"]
    assert assistant.watched_feeds() == {}  # read once is remembered, not watched


def test_a_feed_added_is_polled_listed_and_removed_keeping_its_articles(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    feed = news.base + "/business.atom"
    line = assistant.watch_feed(f"  {feed} ")
    assert (line.result, line.new, line.unchanged, line.failed) == ("200", 3, 0, 0)
    watched = assistant.watched_feeds()
    assert list(watched) == [feed]
    state = watched[feed]
    assert state.title == "Northport Business" and state.last_poll and state.polls == 1
    assert (state.last_result, state.last_counts) == (
        "200",
        {"new": 3, "updated": 0, "unchanged": 0, "failed": 0},
    )
    articles = set(assistant.library())
    assert len(articles) == 3

    assert assistant.unwatch_feed(feed) is True
    assert assistant.watched_feeds() == {} and set(assistant.library()) == articles
    assert assistant.unwatch_feed(feed) is False


BAD_FEEDS = [  # what is given -> what its one line says
    ("", "Give the feed's address (an http(s) URL)."),
    ("example.com/rss", "'example.com/rss' is not a feed address; give an http(s) URL"),
    ("http:///rss.xml", "'http:///rss.xml' is not a feed address"),
    ("/bad/missing.xml", "/bad/missing.xml: HTTP 404 Not Found; the feed was not added"),
    ("/bad/html-as-feed.xml", "is an HTML page, not an RSS or Atom feed"),
    ("/bad/malformed.xml", "is not well-formed XML at line 1"),
]


def test_a_bad_feed_is_refused_in_one_line_and_not_kept(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    assistant.watch_feed(news.base + "/world.rss")
    for given, said in BAD_FEEDS:
        url = news.base + given if given.startswith("/") else given
        with pytest.raises(ValueError) as refused:
            assistant.watch_feed(url)
        message = str(refused.value)
        assert said in message and "\n" not in message, (given, message)
    assert list(assistant.watched_feeds()) == [news.base + "/world.rss"]  # nothing else kept
    assert len(assistant.library()) == 2  # what was stored stays


def test_a_failing_poll_is_listed_with_its_error_line(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    feed = news.base + "/business.atom"
    assistant.watch_feed(feed)
    news.site.business.append("bridge")
    news.site.missing_pages.add("bridge")
    line = assistant.watch_feed(feed)  # polling a watched feed again: its new entry fails
    assert (line.new, line.unchanged, line.failed) == (0, 3, 1)
    state = assistant.watched_feeds()[feed]
    assert state.last_counts["failed"] == 1
    assert len(state.last_problems) == 1 and "HTTP 404 Not Found" in state.last_problems[0]


def test_rag_watch_without_feeds_polls_the_watch_list(
    news: NewsServer, tmp_path: Path, isolated_env: Path
) -> None:
    assistant = Assistant.from_settings(Settings(data_dir=isolated_env))
    assistant.watch_feed(news.base + "/world.rss")  # as the UI adds one
    assistant.watch_feed(news.base + "/business.atom")
    before = len(news.site.requests)
    polled = run_rag("watch", "--once")
    assert polled.returncode == 0, polled.stderr
    assert "Watching 2 feed(s) (the watch list)" in polled.stderr
    lines = [line.split(" ", 1)[1] for line in polled.stdout.splitlines()]
    assert [line.split(";")[0] for line in lines] == [
        f"poll 1 {news.base}/world.rss: 304 not modified",
        f"poll 1 {news.base}/business.atom: 304 not modified",
    ]
    assert _sent(news, before) == [("/business.atom", 304), ("/world.rss", 304)]

    listed = run_rag("watch", "--list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(r[0], r[1]) for r in rows] == [
        (news.base + "/world.rss", "Northport Herald"),
        (news.base + "/business.atom", "Northport Business"),
    ]
    assert rows[0][2].endswith(": 304 not modified; 0 new, 0 updated, 2 unchanged, 0 failed")

    removed = run_rag("watch", "--remove", news.base + "/world.rss")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == (
        f"No longer watching {news.base}/world.rss; its articles stay stored."
    )
    again = run_rag("watch", "--remove", news.base + "/world.rss")
    assert again.returncode == 2 and again.stderr.strip() == (
        f"error: {news.base}/world.rss is not a watched feed; see rag watch --list"
    )
    assert list(assistant.watched_feeds()) == [news.base + "/business.atom"]
    assert len(assistant.library()) == 4  # the unwatched feed's articles stay
    # a feed watched from the command line joins the list the UI shows
    assert run_rag("watch", news.base + "/world.rss", "--once").returncode == 0
    assert list(assistant.watched_feeds()) == [
        news.base + "/business.atom",
        news.base + "/world.rss",
    ]


def test_a_json_feed_is_read_like_the_others(news: NewsServer, tmp_path: Path) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    feed = news.base + "/culture.json"
    first = assistant.watch_feed(feed)
    assert (first.result, first.new, first.failed, first.requests) == ("200", 2, 0, 1 + 1)
    bridge, museum = (f"{news.base}/news/{s}.html" for s in ("bridge", "museum"))
    library = assistant.library()
    assert library[bridge].title == "Old swing bridge to be restored"  # its page was read
    assert library[museum].date == "2026-06-07"  # date_published; content_text as text
    assert assistant.watched_feeds()[feed].title == "Northport Culture"
    answer = assistant.ask("How many sailors did the lifeboat in the museum save?")
    assert "31 sailors" in answer.answer and answer.citations[0].url == museum

    before = len(news.site.requests)
    assert assistant.watch_feed(feed).result == "304 not modified"
    news.site.culture.append("library")  # a new entry with its full text: no page fetched
    third = assistant.watch_feed(feed)
    assert (third.new, third.unchanged) == (1, 2)
    assert _sent(news, before) == [("/culture.json", 200), ("/culture.json", 304)]


def test_a_site_page_given_as_a_feed_leads_to_the_feed_it_announces(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    line = assistant.watch_feed(news.base + "/")  # the home page
    assert (line.url, line.new) == (news.base + "/culture.json", 2)  # its first <link>
    assert list(assistant.watched_feeds()) == [news.base + "/culture.json"]
    with pytest.raises(ValueError) as refused:
        assistant.watch_feed(news.base + "/bad/nofeed.html")
    assert str(refused.value) == (
        f"{news.base}/bad/nofeed.html: is an HTML page that "
        'announces no feed (no <link rel="alternate" type="'
        "application/rss+xml\">); give the feed's own address. The "
        "feed was not added"
    )
    # `rag watch PAGE` polls what it is given, and its failure line names the feed to watch
    polled = run_rag("watch", news.base + "/", "--once")
    assert polled.returncode == 1
    assert polled.stdout.split(" ", 1)[1].startswith(
        f"poll 1 {news.base}/: failed: is an HTML page, not an RSS or Atom feed (was the "
        f"page's address given instead of its feed's?); the page announces its feed at "
        f"{news.base}/culture.json: watch that; "
    )


def test_a_damaged_watch_state_does_not_stop_a_one_shot_ingest(
    news: NewsServer, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    state = assistant.settings.data_dir / "feeds.json"
    state.write_text("{not json", encoding="utf-8")
    report = assistant.ingest([], progress=False, urls=[news.base + "/world.rss"])
    assert len(report.added) == 2 and not report.failed and report.feeds == []
    assert state.read_text(encoding="utf-8") == "{not json"  # left for its owner to look at
    with pytest.raises(ValueError, match="feeds.json: damaged watch state"):
        assistant.watched_feeds()


def test_polling_the_list_does_not_put_back_a_feed_removed_meanwhile(
    news: NewsServer, tmp_path: Path
) -> None:
    from rag import Fetcher, poll_feeds

    assistant = Assistant.from_settings(quick_fetch_settings(tmp_path))
    assistant.watch_feed(news.base + "/world.rss")
    listed = list(assistant.watched_feeds())  # what `rag watch` read before its poll
    assert assistant.unwatch_feed(news.base + "/world.rss")  # removed in the UI meanwhile
    fetcher = Fetcher(assistant.settings)
    try:
        report = poll_feeds(listed, assistant, fetcher, listed_only=True)
    finally:
        fetcher.close()
    assert report.feeds == [] and assistant.watched_feeds() == {}
