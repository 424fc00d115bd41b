"""The page's look where issue 26 found it wanting, measured in a real browser (Debian's
chromium): briefing tables keep their words whole, a clicked [n] lights its footnote, bold in
the chat is one real bold face, nothing floats over the chat's text, and on a phone the
question box is on the first screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_rag
from tests.helpers.browser import make_briefing

DEIF = "What did Gallant call Mohammed Deif?"
EVACUATED = "How many Israelis were evacuated from the northern border?"
TOPIC = "Israel–Hezbollah border"

# Every word (a run without spaces) of every briefing table cell that the browser laid out on
# more than one line: a word broken inside, as "dat|e" or "2024-|10-01".
BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll('#brief-text table').forEach(t => {
    const walk = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
        if (lines.size > 1) { broken.push(m[0]); }
      }
    }
  });
  return broken;
}"""

Box = tuple[float, float, float, float]


def _box(page: Any, selector: str) -> Box | None:
    """(left, top, right, bottom) of the first element `selector` finds, if it shows."""
    found = page.locator(selector)
    if not found.count() or not found.first.is_visible():
        return None
    b = found.first.bounding_box()
    return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def open_page(browser: Any, url: str, width: int = 1400, height: int = 900) -> Any:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for()
    page.wait_for_function(
        "() => document.querySelector('#store-line')?.innerText.includes('articles')"
    )
    return page


def ask(page: Any, question: str) -> None:
    before = page.locator("#chat [data-testid=bot] .copy-md").count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length > {before}",
        timeout=90_000,
    )


@pytest.mark.parametrize("width", [1400, 390])
def test_briefing_tables_keep_every_word_whole(browser: Any, ui_url: str, width: int) -> None:
    page = open_page(browser, ui_url, width=width)
    make_briefing(page, TOPIC)
    # the timeline, the disagreement and the figures over time
    assert page.locator("#brief-text table").count() == 3
    assert page.evaluate(BROKEN_WORDS) == []
    # the quote column wraps at spaces yet keeps room to read: no word-per-line column
    quotes = page.locator("#brief-text td:nth-child(4):last-child").first.bounding_box()
    assert quotes is not None and quotes["width"] >= 200
    page.context.close()


def test_a_source_written_as_one_long_run_stays_inside_the_timeline_panel(
    browser: Any, ui_url: str, data_dir: Path, tmp_path: Path
) -> None:
    """A source name with no space in it (a feed's URL) made the timeline wider than its
    panel, its source column cut off at the right (stop 43's screenshot)."""
    article = {
        "title": "Lindqvist harbour crane delivered",
        "date": "2024-05-06",
        "source": "https://feeds.harbour-news.example/regional/maritime/lindqvist/2024/05/"
        "crane-delivered-rss-full-text",
        "url": "https://harbour-news.example/lindqvist-crane",
        "text": "The new Lindqvist harbour crane was delivered on Monday, the port said. "
        "The Lindqvist harbour crane cost 4 million euros, the port's director said.",
    }
    corpus = tmp_path / "crane.jsonl"
    corpus.write_text(json.dumps(article) + "\n", encoding="utf-8")
    assert run_rag("ingest", str(corpus), env={"RAG_DATA_DIR": str(data_dir)}).returncode == 0
    page = open_page(browser, ui_url)
    make_briefing(page, "Lindqvist harbour crane", until="Sources")
    timeline = page.locator("#brief-text table").first
    assert "crane-delivered" in timeline.inner_text()
    spill = timeline.evaluate("t => t.scrollWidth - t.clientWidth")
    assert spill <= 1, f"the timeline is {spill}px wider than its panel"
    broken = page.evaluate(BROKEN_WORDS)  # only the long run is broken, every word whole
    assert all("crane-delivered" in w for w in broken), broken
    page.context.close()


def test_a_clicked_n_in_the_briefing_lights_its_footnote(browser: Any, ui_url: str) -> None:
    page = open_page(browser, ui_url)
    make_briefing(page, TOPIC)
    page.locator("#brief-text a[href='#fn-2']").first.click()
    page.wait_for_function(
        "() => document.getElementById('fn-2').closest('li').classList.contains('flash')"
    )
    lit = page.evaluate(
        "() => getComputedStyle(document.getElementById('fn-2').closest('li')).backgroundColor"
    )
    assert lit not in ("rgba(0, 0, 0, 0)", "transparent")
    others = page.evaluate(
        "() => getComputedStyle(document.getElementById('fn-3').closest('li')).backgroundColor"
    )
    assert others == "rgba(0, 0, 0, 0)"  # only the clicked footnote
    page.context.close()


def test_bold_in_the_chat_is_one_real_bold_face(browser: Any, ui_url: str) -> None:
    """The glyphs of a bold title in a chat message all come from one bold font file: the
    theme's semibold file holds only a few capitals, and mixing it with a fallback bold
    made those capitals lighter than the letters around them."""
    page = open_page(browser, ui_url)
    ask(page, DEIF)
    page.locator("#chat .msg-sources summary").first.click()  # its sources unfold
    selector = "#chat [data-testid=bot] .src-head b"
    assert "Gallant" in page.locator(selector).first.text_content()
    weight = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontWeight")
    assert weight == "700"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert len(fonts) == 1 and fonts[0]["isCustomFont"], fonts  # the page's font, no fallback
    assert fonts[0]["postScriptName"].endswith("-Bold"), fonts
    page.context.close()


def test_nothing_floats_over_the_chats_text(browser: Any, ui_url: str) -> None:
    """Scrolled up, the chat shows its ↓ button; neither it nor a label badge lies over a
    message (the badge stayed at the top-left while the messages scrolled under it)."""
    page = open_page(browser, ui_url)
    ask(page, DEIF)
    ask(page, EVACUATED)
    page.locator("#chat .bubble-wrap").hover()
    arrow = page.locator("#chat .scroll-down-button-container button")
    for _ in range(20):  # a wheel while the chat still scrolls to the new answer is lost
        page.mouse.wheel(0, -250)
        page.wait_for_timeout(300)
        if arrow.count() and arrow.is_visible():
            break
    assert arrow.is_visible()
    messages = page.locator("#chat .message").all()
    boxes = [(b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]) for m in messages
             if (b := m.bounding_box())]  # fmt: skip
    assert boxes
    for floating in (
        "#chat .scroll-down-button-container button",
        "#chat [data-testid=block-label]",
    ):
        box = _box(page, floating)
        assert box is None or not any(_overlap(box, m) for m in boxes), floating
    wrap = _box(page, "#chat .bubble-wrap")
    label = _box(page, "#chat [data-testid=block-label]")
    assert wrap is not None and (label is None or label[3] <= wrap[1])  # not over the list
    page.context.close()


@pytest.mark.parametrize("width,height", [(390, 844), (375, 667)])
def test_on_a_phone_the_question_box_is_on_the_first_screen(
    browser: Any, ui_url: str, width: int, height: int
) -> None:
    page = open_page(browser, ui_url, width=width, height=height)
    page.wait_for_timeout(1000)  # the conversation list has folded away
    box = page.locator("#question textarea").bounding_box()
    assert box is not None and box["y"] + box["height"] <= height
    assert page.evaluate("() => window.scrollY") == 0
    chat = page.locator("#chat").bounding_box()
    assert chat is not None and chat["height"] >= 240  # still room to read an answer
    page.context.close()
