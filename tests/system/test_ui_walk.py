"""A day's use of the web UI in one walk, in Debian's chromium: each conversation has its own
address (reload, back and a new window reopen it), a citation opens its whole article at the
quote, a deleted conversation can be brought back, a deleted article is said to be gone.

With `RAG_UI_SHOTS=DIR` the walk also saves the README's screenshots there (the desktop
chat `screenshot.png`, the article view `article.png`, the phone view `phone.png`):
`RAG_UI_SHOTS=ui pytest tests/system/test_ui_walk.py` remakes them.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import run_rag
from tests.helpers.browser import make_briefing
from tests.system.test_ui_daily import DEIF, ask, bot, open_page

SHOTS = os.environ.get("RAG_UI_SHOTS", "")
COUNT_ANSWERS = "n => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length === n"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name))


def address(page) -> str:  # type: ignore[no-untyped-def]
    """The page's address as the browser holds it now (pushState included)."""
    return str(page.evaluate("() => location.href"))


def stored(data_dir: Path, article: Path, text: str) -> None:
    """`article` written with `text` and ingested by `rag ingest` into the served store."""
    article.write_text(text, encoding="utf-8")
    assert run_rag("ingest", str(article), env={"RAG_DATA_DIR": str(data_dir)}).returncode == 0


def answers_shown(page, n: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(COUNT_ANSWERS, arg=n, timeout=30_000)


def test_each_conversation_has_an_address_reload_back_and_a_new_window_reopen(
    browser, ui_url
) -> None:
    page = open_page(browser, ui_url)
    assert "c=" not in address(page)
    tabs = page.locator("[role=tablist]")  # one tab bar holding all three
    assert tabs.count() == 1
    assert [t.strip() for t in tabs.locator("[role=tab]").all_inner_texts()] == [
        "Ask",
        "Briefing",
        "Library",
    ]
    ask(page, DEIF)
    ask(page, "Who is Amos Hochstein?")  # a follow-up in the same conversation
    page.wait_for_function("() => location.search.startsWith('?c=')")
    first = address(page)
    bot(page, 1).locator("a[href='#src-1']").first.click()  # its passage beside the chat
    page.locator("#sources #src-1.flash").wait_for()
    shot(page, "screenshot.png")
    page.reload()
    answers_shown(page, 2)  # a reload brings the open conversation back
    assert address(page) == first
    assert page.locator("#conv-list input:checked").count() == 1
    page.locator("#new-chat").click()
    page.wait_for_function("() => !location.search.includes('c=')")
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')")
    ask(page, "How much did the Gaza pier cost?")
    page.wait_for_function("() => location.search.startsWith('?c=')")
    second = address(page)
    assert second != first
    page.go_back()  # back: the first conversation again
    answers_shown(page, 2)
    assert address(page) == first and "Osama bin Laden of Gaza" in bot(page, 0).inner_text()
    page.go_forward()
    answers_shown(page, 1)
    assert "$230 million" in bot(page, 0).inner_text()
    other = open_page(browser, first)  # a bookmark or a link in another window
    answers_shown(other, 2)
    assert "Osama bin Laden of Gaza" in bot(other, 0).inner_text()
    phone = open_page(browser, first, width=390, height=844)  # the same address on a phone
    answers_shown(phone, 2)
    box = phone.locator("#question textarea").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # asked from the first screen
    shot(phone, "phone.png")
    phone.context.close()
    missing = open_page(browser, ui_url + "?c=99999")
    missing.locator("#ask-error").wait_for()
    assert "That conversation is not here" in missing.locator("#ask-error").inner_text()
    assert missing.locator("#chat [data-testid=bot]").count() == 0
    for p in (page, other, missing):
        p.context.close()


def test_a_citation_opens_its_article_scrolled_to_the_highlighted_quote(browser, ui_url) -> None:
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, DEIF)
    bot(page, 0).locator("a[href='#src-1']").first.click()
    bot(page, 0).locator(".src-1 a.open-article").click()
    quote = page.locator("#article-view #article-quote")
    quote.wait_for()
    assert "Osama bin Laden of Gaza" in quote.inner_text()
    head = page.locator("#article-view .article-head").inner_text()
    assert "Israeli Defense Minister Yoav Gallant" in head and "002_0cdd084e739fcba0.txt" in head
    whole = page.locator("#article-view .article-text").inner_text()
    assert whole.startswith("Israeli Defense Minister") and len(whole) > 2_000  # all of it
    page.wait_for_function(  # scrolled so the quote is inside the view, not below it
        """() => { const v = document.querySelector('#article-view').getBoundingClientRect();
        const q = document.querySelector('#article-quote').getBoundingClientRect();
        return q.top >= v.top && q.bottom <= v.bottom; }"""
    )
    shot(page, "article.png")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#article-view')?.offsetParent")
    # the side panel's card opens it too
    page.locator("#sources #src-1 a.open-article").click()
    quote.wait_for()
    page.locator("#article-close").click()
    page.wait_for_function("() => !document.querySelector('#article-view')?.offsetParent")
    page.context.close()


def test_a_deleted_conversation_comes_back_with_undo_at_its_address(browser, ui_url) -> None:
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, "What did Gallant and Austin discuss?")
    page.wait_for_function("() => location.search.startsWith('?c=')")
    kept = address(page)
    page.locator("#conv-manage").get_by_text("Rename or delete").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#conv-delete").click()
    page.locator("#conv-undo").wait_for()
    assert (
        "Deleted “What did Gallant and Austin discuss?”"
        in page.locator("#conv-undo-note").inner_text()
    )
    assert page.locator("#chat [data-testid=bot]").count() == 0
    page.wait_for_function("() => !location.search.includes('c=')")
    page.locator("#conv-undo").click()
    answers_shown(page, 1)
    page.wait_for_function("u => location.href === u", arg=kept)
    assert not page.locator("#conv-undo").is_visible()
    assert page.locator("#conv-list label", has_text="What did Gallant and Austin").count() == 1
    page.reload()  # it is stored again, not only shown
    answers_shown(page, 1)
    page.context.close()


def test_an_answer_citing_a_deleted_article_says_it_is_gone(
    browser, ui_url, data_dir: Path, tmp_path: Path
) -> None:
    env = {"RAG_DATA_DIR": str(data_dir)}
    stored(
        data_dir,
        tmp_path / "harbour_walk.txt",
        "Harbour Walk reopens. The Kestrel Bay harbour walk reopened on Friday after "
        "repairs that cost $7 million, the council said.\n",
    )
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, "How much did the Kestrel Bay harbour walk repairs cost?")
    assert "$7 million" in bot(page, 0).inner_text()
    assert run_rag("delete", "harbour_walk.txt", env=env).returncode == 0
    # the card still on screen opens the article: it says the article is gone, quote kept
    bot(page, 0).locator("a[href='#src-1']").first.click()
    bot(page, 0).locator(".src-1 a.open-article").click()
    page.locator("#article-view #article-quote").wait_for()
    text = page.locator("#article-view").inner_text()
    assert "removed from the library" in text and "$7 million" in text
    page.keyboard.press("Escape")
    page.reload()  # reopened, the card itself says so
    answers_shown(page, 1)
    card = bot(page, 0).locator(".src-1").text_content() or ""  # folded under the answer
    assert "removed from the library" in card and "$7 million" in card
    assert bot(page, 0).locator(".src-1 a.open-article").count() == 0
    page.context.close()


def test_the_latest_answer_offers_follow_ups_and_a_click_asks_one(browser, ui_url) -> None:
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, "How much did the Gaza pier cost?")
    links = bot(page, 0).locator("a.follow-up")
    links.first.wait_for()  # they follow the answer, once it shows
    assert links.count() >= 2
    picked = links.first.inner_text()
    assert picked.startswith("What do the articles say about ")
    links.first.click()
    answers_shown(page, 2)
    assert picked in page.locator("#chat [data-testid=user]").nth(1).inner_text()
    assert bot(page, 0).locator("a.follow-up").count() == 0  # only the latest answer offers
    page.reload()  # reopened, the latest answer offers them again
    answers_shown(page, 2)
    assert bot(page, 0).locator("a.follow-up").count() == 0
    page.context.close()


def test_briefings_are_kept_listed_reopened_and_deleted(browser, ui_url) -> None:
    page = open_page(browser, ui_url)
    make_briefing(page, "Gaza pier", until="Sources")
    listed = page.locator("#brief-list label")
    listed.first.wait_for()
    assert listed.first.inner_text().startswith("Gaza pier · ")
    make_briefing(page, "Hochstein and Hezbollah", until="Sources")
    page.wait_for_function("() => document.querySelectorAll('#brief-list label').length >= 2")
    assert listed.first.inner_text().startswith("Hochstein and Hezbollah · ")  # newest first
    page.locator("#brief-list label", has_text="Gaza pier").click()  # reopened from the list
    page.wait_for_function(
        "() => document.querySelector('#brief-text')?.innerText.includes('Briefing: Gaza pier')"
    )
    link = page.locator("#brief-file a").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    assert (
        Path(download.value.path()).read_text(encoding="utf-8").startswith("# Briefing: Gaza pier")
    )
    page.reload()  # still listed after a reload
    page.get_by_role("tab", name="Briefing").click()
    page.locator("#brief-list label", has_text="Gaza pier").click()
    page.wait_for_function(
        "() => document.querySelector('#brief-text')?.innerText.includes('Briefing: Gaza pier')"
    )
    page.once("dialog", lambda dialog: dialog.dismiss())  # Cancel keeps it
    page.locator("#brief-delete").click()
    page.wait_for_timeout(500)
    assert page.locator("#brief-list label", has_text="Gaza pier").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#brief-delete").click()
    page.wait_for_function(
        "() => !document.querySelector('#brief-list').innerText.includes('Gaza pier')"
    )
    assert page.locator("#brief-list label", has_text="Hochstein and Hezbollah").count() == 1
    page.context.close()


def test_an_article_deleted_in_the_library_comes_back_with_undo(
    browser, ui_url, data_dir: Path, tmp_path: Path
) -> None:
    stored(
        data_dir,
        tmp_path / "tram_line.txt",
        "Tram line opens\n\nThe Kestrel Bay tram line opened on Saturday; it cost $90 million.\n",
    )
    page = open_page(browser, ui_url)
    page.get_by_role("tab", name="Library").click()
    page.wait_for_function(
        "() => document.querySelector('#articles')?.innerText.includes('Tram line opens')"
    )
    headers = page.locator("#articles th").all_inner_texts()
    assert [h.strip() for h in headers][:3] == ["headline", "outlet", "date"]
    page.locator("#victim input").click()
    page.get_by_role("option", name="Tram line opens (tram_line.txt)").click()
    page.locator("#delete").click()
    page.locator("#confirm-yes").wait_for()
    page.wait_for_function(  # the question is brought to where the reader is looking
        """() => { const r = document.querySelector('#confirm-delete').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )
    page.locator("#confirm-yes").click()
    page.locator("#article-undo").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#articles').innerText.includes('Tram line opens')"
    )
    page.locator("#article-undo").click()
    page.wait_for_function(
        "() => document.querySelector('#articles')?.innerText.includes('Tram line opens')"
    )
    assert "Restored" in page.locator("#deleted").inner_text()
    assert not page.locator("#article-undo").is_visible()
    page.get_by_role("tab", name="Ask").click()
    ask(page, "How much did the Kestrel Bay tram line cost?")
    assert "$90 million" in bot(page, 0).inner_text()
    page.context.close()
