"""The web UI in a real browser (Debian's chromium driven by playwright), as a person uses it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.browser import make_briefing


@pytest.fixture
def page(browser, ui_url):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(ui_url)
    page.locator("#question textarea").wait_for()
    yield page
    page.close()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.locator("#sources .src, #sources .sources-empty").first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('#chat').innerText.endsWith('…')")


def test_cited_answer_and_clicking_1_shows_the_highlighted_passage(page, tmp_path: Path) -> None:
    ask(page, "What did Gallant call Mohammed Deif?")
    page.locator("#src-1").wait_for()
    chat = page.locator("#chat").inner_text()
    assert "Osama bin Laden of Gaza" in chat and "[1]" in chat
    page.screenshot(path=str(tmp_path / "answered-chat.png"), full_page=True)
    page.locator("#chat a[href='#src-1']").first.click()
    card = page.locator("#src-1")
    page.wait_for_function("() => document.querySelector('#src-1').classList.contains('flash')")
    assert card.get_attribute("data-doc") == "002_0cdd084e739fcba0.txt"
    assert "Osama bin Laden of Gaza" in card.locator("mark").inner_text()
    box, viewport = card.bounding_box(), page.viewport_size
    assert box is not None and 0 <= box["y"] < viewport["height"]  # scrolled into view


def test_a_date_filter_that_excludes_the_cited_article_changes_the_answer(page) -> None:
    ask(page, "What did Gallant call Mohammed Deif?")
    page.locator("#src-1").wait_for()
    assert page.locator("#src-1").get_attribute("data-doc") == "002_0cdd084e739fcba0.txt"
    page.get_by_text("Filters and settings").click()
    page.locator("#since textarea, #since input").first.fill("2024-06-01")
    page.locator("#chat").evaluate("el => el.setAttribute('data-before', el.innerText)")
    ask(page, "What did Gallant call Mohammed Deif?")
    page.wait_for_function(
        "() => { const el = document.querySelector('#chat'); "
        "return el.innerText.split('What did Gallant call').length > 2 && "
        "!el.innerText.endsWith('…'); }"
    )
    docs = page.locator("#sources .src[data-doc]").evaluate_all(
        "els => els.map(e => e.dataset.doc)"
    )
    assert "002_0cdd084e739fcba0.txt" not in docs
    last_answer = page.locator("#chat").inner_text().rsplit("What did Gallant call", 1)[-1]
    assert "Osama bin Laden" not in last_answer


def _upload(page, files: list[Path]) -> str:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_timeout(500)
    page.locator("#add").click()
    names = [f.name for f in files]
    page.wait_for_function(
        "names => names.every(n => document.querySelector('#upload-results')?.innerText"
        ".includes(n))",
        arg=names,
        timeout=60_000,
    )
    return page.locator("#upload-results").inner_text()


def test_upload_a_new_article_then_ask_about_it(page, tmp_path: Path) -> None:
    article = tmp_path / "zanzibar_ferry.txt"
    article.write_text(
        "Zanzibar ferry service resumes\n\ndate 2024-03-14\n\nThe Zanzibar "
        "ferry service resumed on 12 March 2024 after a three-week halt caused "
        "by storms, the port authority said.\n"
    )
    results = _upload(page, [article])
    assert "zanzibar_ferry.txt" in results and "added" in results
    assert "zanzibar_ferry.txt" in page.locator("#articles").inner_text()
    assert "6 articles" in page.locator("#store-line").inner_text()
    page.get_by_role("tab", name="Ask").click()
    ask(page, "When did the Zanzibar ferry service resume?")
    page.locator("#src-1").wait_for()
    assert "12 March 2024" in page.locator("#chat").inner_text()
    assert page.locator("#src-1").get_attribute("data-doc") == "zanzibar_ferry.txt"


def test_upload_of_a_binary_file_is_rejected_with_its_reason(page, tmp_path: Path) -> None:
    blob = tmp_path / "photo.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(256))
    results = _upload(page, [blob])
    assert "photo.txt" in results and "rejected" in results and "looks binary" in results
    assert "photo.txt" not in page.locator("#articles").inner_text()


def test_briefing_tab_offers_the_markdown_as_a_download(page) -> None:
    make_briefing(page, "Israel–Hezbollah border")
    text = page.locator("#brief-text").inner_text()
    assert "63,500" in text and "80,000" in text and "60,000" in text
    link = page.locator("#brief-file a[download], #brief-file a").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = download.value.path()
    assert Path(saved).read_text(encoding="utf-8").startswith("# Briefing: Israel–Hezbollah")
