"""The Library tab's watched feeds in a real browser: add a feed (its first poll runs and
what it brought shows), see a bad address refused in one line, remove the feed after a
confirmation, and keep its articles. The feeds come from a news server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.helpers.news_server import NewsServer
from tests.helpers.servers import start_ui


@pytest.fixture(scope="module")
def news() -> Iterator[NewsServer]:
    with NewsServer() as server:
        yield server


@pytest.fixture(scope="module")
def ui_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_ui(tmp_path_factory.mktemp("ui-feeds-data"))
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def _has(page, selector: str, text: str, timeout: float = 120_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)",
        arg=[selector, text],
        timeout=timeout,
    )


def test_add_a_feed_see_its_poll_then_remove_it_keeping_its_articles(
    browser, ui_url: str, news: NewsServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    feed = news.base + "/business.atom"
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(ui_url)
    page.locator("#question textarea").wait_for()
    page.get_by_role("tab", name="Library").click()
    box = page.locator("#feed-url textarea, #feed-url input").first

    box.fill("example.com/rss")  # not a URL: one line, nothing kept
    page.locator("#feed-add").click()
    _has(page, "#feed-result", "Not added: 'example.com/rss' is not a feed address")
    box.fill(news.base + "/bad/missing.xml")
    page.locator("#feed-add").click()
    _has(page, "#feed-result", "/bad/missing.xml: HTTP 404 Not Found; the feed was not added")
    assert "/bad/missing.xml" not in page.locator("#feeds").inner_text()

    box.fill(feed)
    page.locator("#feed-add").click()
    _has(page, "#feed-result", "Now watching Northport Business")
    said = page.locator("#feed-result").inner_text()
    assert "First poll: 200: 3 new, 0 updated, 0 unchanged, 0 failed (4 requests)" in said
    table = page.locator("#feeds").inner_text()
    assert feed in table and "Northport Business" in table
    assert "200: 3 new, 0 updated, 0 unchanged, 0 failed" in table
    _has(page, "#articles", news.base + "/news/bakery.html")  # the first poll stored them
    page.screenshot(path=str(tmp_path / "feed-added.png"), full_page=True)

    page.locator("#feed-remove").click()
    _has(page, "#feed-result", "Pick a feed to stop watching.")
    page.locator("#feed-victim input").click()
    page.get_by_role("option", name=f"Northport Business ({feed})").click()
    page.locator("#feed-remove").click()
    _has(page, "#unwatch-text", "Stop watching Northport Business")
    assert (
        "The 3 articles it brought stay in the library"
        in page.locator("#unwatch-text").inner_text()
    )
    assert feed in page.locator("#feeds").inner_text()  # not yet
    page.locator("#unwatch-yes").click()
    _has(page, "#feed-result", f"No longer watching {feed}; its articles stay in the library.")
    page.wait_for_function("u => !document.querySelector('#feeds').innerText.includes(u)", arg=feed)
    assert news.base + "/news/bakery.html" in page.locator("#articles").inner_text()
    page.reload()  # the list is the store's, not the page's: still gone after a reload
    page.locator("#question textarea").wait_for()
    page.get_by_role("tab", name="Library").click()
    _has(page, "#articles", news.base + "/news/tram.html")
    assert feed not in page.locator("#feeds").inner_text()
    page.close()


def test_an_address_sent_while_a_feed_is_added_is_added_too(
    browser, ui_url: str, news: NewsServer
) -> None:  # type: ignore[no-untyped-def]
    # The box emptied only when the first feed's poll ended, wiping the address typed
    # since, and an address sent meanwhile was dropped.
    world, culture = news.base + "/world.rss", news.base + "/culture.json"
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(ui_url)
    page.locator("#question textarea").wait_for()
    page.get_by_role("tab", name="Library").click()
    box = page.locator("#feed-url textarea, #feed-url input").first
    box.fill(world)
    box.press("Enter")
    page.wait_for_timeout(100)
    assert box.input_value() == ""  # taken as it was sent
    box.fill(culture)
    box.press("Enter")
    _has(page, "#feeds", world)
    _has(page, "#feeds", culture)
    assert box.input_value() == ""
    page.close()
