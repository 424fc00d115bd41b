"""A briefing over an article written as page markup: the `rag brief` file and the Briefing
tab show the article's tags, links and images as text, our `[n]` still cite, and
`rag brief --check` still reads the escaped quotes back."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from rag import Assistant, Settings, build_briefing, render_markdown
from rag.briefing import check_briefing
from tests.helpers.hostile import TOPIC, WEB_URL, markup_articles
from ui.render import briefing_markdown

TAGS = re.compile(r"<(img|form|input|meta|style|script|iframe)\b", re.I)
OUR_SECTIONS = {"Summary", "Key points", "Timeline", "Sources", "Reproducibility"}


def _html(markdown: str) -> str:
    """`markdown` as a CommonMark renderer with GitHub's tables shows it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _links(rendered: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', rendered)


def test_a_briefing_shows_article_markup_as_text_in_the_file_and_the_tab(
    settings: Settings, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(settings)
    folder = markup_articles(tmp_path / "articles", "http://127.0.0.1:9")
    assert not assistant.ingest([folder], progress=False).problems
    md = render_markdown(build_briefing(assistant, TOPIC))
    file_html, tab_html = _html(md), _html(briefing_markdown(md))
    for rendered in (file_html, tab_html):
        assert not TAGS.search(rendered), TAGS.search(rendered)
        assert "&lt;img src=" in rendered and "&lt;form action=" in rendered  # shown, as text
        assert set(re.findall(r"<h2>(.*?)</h2>", rendered)) <= OUR_SECTIONS
        assert "\u202e" not in rendered
    # the only links: the plain article's web url, and in the tab our [n] to their footnotes
    assert _links(file_html) == [WEB_URL]
    footnotes = {f"#fn-{n}" for n in re.findall(r"^\[(\d+)\]: ", md, re.M)}
    assert len(footnotes) >= 3 and set(_links(tab_html)) == footnotes | {WEB_URL}
    assert re.search(r"in total\. \[\d+\]", file_html)  # our markers stay in the file
    # the escaped quotes still stand in the stored articles
    assert check_briefing(assistant.store, md) == []
