"""JSON Feed parsing and feed autodiscovery on bytes and text (no network)."""

from __future__ import annotations

import json

import pytest

from rag.ingest.discover import alternate_feeds
from rag.ingest.feeds import is_feed_response, parse_feed
from rag.ingest.problems import Skip


def _json_feed(items: list[dict], **extra: object) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Gazette", "items": items, **extra}
    ).encode()


def test_json_feed_items_become_entries_with_links_dates_and_text() -> None:
    body = _json_feed(
        [
            {
                "id": "a",
                "url": "https://news.example/a?utm_source=j",
                "title": "A",
                "content_text": "First para.\n\nSecond <para>.",
                "date_published": "2026-06-01T23:30:00-02:00",
            },
            {
                "id": "b",
                "external_url": "https://news.example/b",
                "summary": "Only a summary",
                "date_modified": "2026-06-02T08:00:00Z",
            },
            {"id": "c", "title": "No link at all", "content_html": "<p>x</p>"},
            {"id": "a", "url": "https://news.example/a2", "content_html": "<p>dup</p>"},
        ]
    )
    assert is_feed_response(body, "application/json") and is_feed_response(body, "text/plain")
    feed = parse_feed(body, "https://news.example/feed.json", "application/feed+json")
    assert (feed.title, feed.version) == ("Gazette", "json11")
    a, b = feed.entries
    # the day in UTC, as feedparser gives RSS and Atom dates
    assert (a.key, a.link, str(a.published)) == ("a", "https://news.example/a", "2026-06-02")
    assert a.content_html == "<p>First para.</p><p>Second &lt;para&gt;.</p>"
    assert (b.link, b.content_html, b.summary_html, str(b.published)) == (
        "https://news.example/b",
        "",
        "Only a summary",
        "2026-06-02",
    )
    assert feed.problems == [
        "1 of 4 entries have no link to an article (first: 'No link at all'); they were skipped",
        "guid 'a' is used by 2 entries; only the first was read",
    ]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "is not valid JSON"),
        (b'{"name": "an API answer"}', 'is JSON but not a JSON Feed (no "version": '),
        (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', 'without an "items" list'),
    ],
)
def test_bad_json_feeds_are_refused_in_one_line(body: bytes, said: str) -> None:
    with pytest.raises(Skip) as refused:
        parse_feed(body, "https://news.example/feed.json", "application/json")
    assert said in str(refused.value) and "\n" not in str(refused.value)


def test_a_page_announces_its_feeds_in_page_order_resolved_against_its_address() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">'
        '<link rel="Alternate" type="application/atom+xml" href="feeds/all.atom">'
        '<link rel="alternate" type="application/rss+xml; charset=utf-8" '
        'href="https://cdn.example/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="feeds/all.atom">'
        "</head><body></body></html>"
    )
    assert alternate_feeds(html, "https://news.example/en/index.html") == [
        "https://news.example/en/feeds/all.atom",
        "https://cdn.example/rss.xml",
    ]
    assert alternate_feeds("<html><body>no head</body></html>", "https://x.example/") == []
