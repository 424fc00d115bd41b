"""Following a story from the command line, with a feed that releases articles day by day.

A scripted RSS feed on 127.0.0.1 publishes day one's two ferry articles, then day two's: a
figure that moved, a dated event and a syndicated copy of day one's fares story. `rag watch
--once` stores each day and refreshes the followed topic; `rag topic list` flags the news,
`rag topic show` prints exactly what day two added (and marks it read), and a refresh with
nothing new says so. Errors name the topic. In the UI's Briefing tab, following the topic
typed shows its first briefing; after another process stores day two, Refresh topics marks
it with news, and opening it shows what changed and clears the mark.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import escape

import pytest

from tests.helpers import run_rag
from tests.helpers.servers import QuietHandler, start_ui, stop
from tests.integration.test_topics import DAY_ONE, DAY_TWO, write
from ui.controllers.topics import NEWS


def _item(base: str, name: str, text: str) -> str:
    """One RSS item with the article's full text; its date from the article's Date line."""
    title, _, rest = text.partition("\n\n")
    day = rest.split("Date: ", 1)[1][:10]
    body = rest.split("\n\n", 1)[1]
    when = datetime.fromisoformat(day).replace(hour=8, tzinfo=timezone.utc)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.splitlines() if p.strip())
    return (
        f"<item><title>{escape(title)}</title><link>{base}/news/{name}.html</link>"
        f"<guid>{name}</guid><pubDate>{format_datetime(when)}</pubDate>"
        f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
    )


class Feed:
    """What the feed publishes: day one's articles, then day two's as well."""

    def __init__(self) -> None:
        self.days = [DAY_ONE]
        self.base = ""

    def rss(self) -> bytes:
        items = "".join(_item(self.base, n, t) for day in self.days for n, t in day.items())
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Island Times</title><link>{self.base}/</link>{items}</channel></rss>"
        ).encode()


@pytest.fixture
def feed() -> Iterator[tuple[Feed, str]]:
    published = Feed()

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = published.rss() if self.path == "/feed.xml" else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    published.base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield published, f"{published.base}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def rag(data: Path, *args: str) -> tuple[int, str, str]:
    done = run_rag(*args, env={"RAG_DATA_DIR": str(data)})
    return done.returncode, done.stdout, done.stderr


def test_a_followed_topic_says_what_each_day_of_a_feed_added(
    feed: tuple[Feed, str], tmp_path: Path
) -> None:
    published, url = feed
    data = tmp_path / "data"
    code, out, err = rag(data, "topic", "add", "Quillhaven ferry")
    assert code == 0, err
    code, out, err = rag(data, "watch", url, "--once")
    assert code == 0, err
    assert "Quillhaven ferry: first briefing made" in out
    code, out, _ = rag(data, "topic", "list")
    assert out.startswith("new  Quillhaven ferry  ·  Quillhaven ferry  ·  ")

    published.days.append(DAY_TWO)  # day two
    code, out, err = rag(data, "watch", url, "--once")
    assert code == 0, err
    assert (
        "Quillhaven ferry: 2 of 2 new article(s) on it; 1 figure(s) moved, 1 new timeline event(s)"
        in out
    ), out
    code, out, err = rag(data, "topic", "show", "Quillhaven ferry")
    assert code == 0, err
    changed = out.split("## What changed since ")[1].split("## Summary")[0]
    lines = [ln for ln in changed.splitlines() if ln.startswith("- ")]
    assert len(lines) == 2, changed
    assert lines[0].startswith("- Moved, passengers: **48,213** [")
    assert "→ **212,400** [" in lines[0]
    assert "second Quillhaven ferry will enter service on June 14" in lines[1]
    assert "fare" not in changed  # the syndicated copy is not news
    code, out, _ = rag(data, "topic", "list")
    assert out.startswith("     Quillhaven ferry")  # read now

    code, out, _ = rag(data, "topic", "refresh")
    assert code == 0 and "Quillhaven ferry: no new articles since the last briefing" in out
    code, _, err = rag(data, "topic", "show", "Nope")
    assert code == 2 and "error: no topic named 'Nope' (see `rag topic list`)" in err
    code, _, err = rag(data, "topic", "add", "quillhaven ferry")
    assert code == 2 and "exists already" in err
    code, out, _ = rag(data, "topic", "remove", "Quillhaven ferry")
    assert code == 0 and "Stopped following 'Quillhaven ferry'." in out
    code, out, _ = rag(data, "topic", "list")
    assert "No topics yet" in out


def test_in_the_ui_a_followed_topic_shows_its_news_and_what_changed(
    browser: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    day_one, day_two = write(tmp_path / "day1", DAY_ONE), write(tmp_path / "day2", DAY_TWO)
    assert rag(data, "ingest", str(day_one))[0] == 0
    proc, url = start_ui(data)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url)
        page.locator("#question textarea").wait_for()  # the page's script is running
        page.get_by_role("tab", name="Briefing").click()
        page.locator("#topic textarea, #topic input").first.fill("Quillhaven ferry")
        page.locator("#topic-follow").click()
        shows(page, "#brief-text", "48,213")
        shows(page, "#topic-list", "Quillhaven ferry")
        assert NEWS not in page.locator("#topic-list").inner_text()  # opened: read

        assert rag(data, "ingest", str(day_two))[0] == 0  # another process, as a feed poll
        page.locator("#topics-refresh").click()
        shows(
            page,
            "#brief-text",
            "Quillhaven ferry: 2 of 2 new article(s) on it; "
            "1 figure(s) moved, 1 new timeline event(s)",
        )
        shows(page, "#topic-list", NEWS + "Quillhaven ferry")
        page.locator("#topic-list label", has_text="Quillhaven ferry").click()
        shows(page, "#brief-text", "What changed since")
        said = page.locator("#brief-text").inner_text()
        changed = said.split("What changed since")[1].split("Summary")[0]
        assert "Moved, passengers: 48,213" in changed and "→ 212,400" in changed
        assert "second Quillhaven ferry will enter service on June 14" in changed
        assert "fare" not in changed
        page.wait_for_function(
            "n => !document.querySelector('#topic-list').innerText.includes(n)", arg=NEWS
        )
        page.screenshot(path=str(tmp_path / "topic.png"), full_page=True)
    finally:
        stop(proc)


def shows(page: Any, selector: str, text: str, timeout: float = 120_000) -> None:
    """Wait until `selector` shows `text`; on timeout, say what it showed instead."""
    try:
        page.wait_for_function(
            "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)",
            arg=[selector, text],
            timeout=timeout,
        )
    except Exception as err:
        shown = page.locator(selector).inner_text()[:600]
        raise AssertionError(f"{selector} never showed {text!r}; it shows: {shown!r}") from err
