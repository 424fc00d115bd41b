"""The Sources section of a briefing file as a Markdown viewer shows it: each footnote its own
paragraph (not run together, not hidden as a link definition), no placeholder for an outlet
the article did not give, and the Briefing tab still a numbered list with anchors."""

from __future__ import annotations

import re
from dataclasses import replace

from llama_index.core.schema import NodeWithScore, TextNode
from markdown_it import MarkdownIt

from rag.answering.scoring import Sentence
from rag.briefing.groups import OTHER
from rag.briefing.markdown import _FOOTNOTE, render_markdown
from rag.briefing.model import Briefing, Line
from ui.render import briefing_markdown

QUOTES = [
    "The pier cost $230 million to build.",
    "It opened in May.",
    "Officials said it would close soon.",
]


def _sentence(text: str, doc: str, **meta: object) -> Sentence:
    node = TextNode(text=text, metadata={"doc_id": doc, **meta})
    return Sentence(
        text=text, start=0, end=len(text), passage=NodeWithScore(node=node), passage_rank=0
    )


def _briefing() -> Briefing:
    """Three footnotes: no outlet (as every seed article); an outlet whose name a Markdown
    parser could read as a link title, on a wire story other outlets carried too (its "also"
    line between two footnotes); a web url."""
    notes = [
        _sentence(QUOTES[0], "a.txt", title="Pier", date="2024-05-01"),
        _sentence(
            QUOTES[1],
            "b.txt",
            source='The "Times',
            title='Pier "opens"',
            date="",
            also_reported_by=[{"source": "cnn.com", "date": "2024-06-02", "doc": "d.txt"}],
        ),
        _sentence(
            QUOTES[2],
            "c.txt",
            source="apnews.com",
            title="Closing",
            date="2024-06-01",
            url="https://example.com/c",
        ),
    ]
    return Briefing(
        topic="pier",
        generated_at="2026-01-01T00:00:00+00:00",
        filters={},
        summary=[Line(q, [s], [n]) for n, (q, s) in enumerate(zip(QUOTES, notes), start=1)],
        key_points=[],
        timeline=[],
        disagreements=[],
        open_questions=[],
        footnotes=notes,
        reproducibility={
            "corpus": {"articles": 3, "sha256": "0" * 64, "content_hashes": {}},
            "mode": "extractive",
            "model": "none",
            "embedder": "local",
            "retrieval": {},
        },
    )


def _sources(html: str) -> str:
    return html.split("<h2>Sources</h2>")[1].split("<h2>")[0]


def test_each_footnote_is_its_own_paragraph_in_a_markdown_viewer() -> None:
    md = render_markdown(_briefing())
    env: dict[str, object] = {}
    html = MarkdownIt("commonmark").render(md, env)
    assert not env.get("references")  # no footnote swallowed as a hidden link definition
    paragraphs = re.findall(r"<p>(.*?)</p>", _sources(html), re.S)
    assert len(paragraphs) == 3
    for n, (p, quote) in enumerate(zip(paragraphs, QUOTES), start=1):
        assert p.startswith(f"[{n}]: ") and quote in p
        assert not any(q in p for q in QUOTES if q != quote)  # not run into the next one
    assert "also reported by cnn.com (2024-06-02)" in paragraphs[1]  # stays with its footnote


def test_a_footnote_without_an_outlet_starts_at_its_title() -> None:
    md = render_markdown(_briefing())
    assert "outlet not given" not in md
    assert "[1]: *Pier*, 2024-05-01 · `doc: a.txt` · “The pier cost $230 million to build.”" in md
    assert '[2]: The "Times — *Pier "opens"*, undated · `doc: b.txt`' in md
    assert "[3]: apnews.com — *Closing*, 2024-06-01 <https://example.com/c>" in md


def test_the_check_and_the_briefing_tab_still_read_every_footnote() -> None:
    md = render_markdown(_briefing())
    read = [m for line in md.splitlines() if (m := _FOOTNOTE.match(line))]
    assert [(m.group(1), m.group(3)) for m in read] == [
        ("1", "a.txt"),
        ("2", "b.txt"),
        ("3", "c.txt"),
    ]
    tab = MarkdownIt("commonmark").render(briefing_markdown(md))
    items = re.findall(r"<li>(.*?)</li>", _sources(tab), re.S)
    assert len(items) == 3 and "<p>" not in _sources(tab)  # one tight numbered list
    for n, (item, quote) in enumerate(zip(items, QUOTES), start=1):
        assert item.startswith(f"<span class='fn' id='fn-{n}'></span>") and quote in item


def test_key_points_that_share_no_name_stand_under_key_points_alone() -> None:
    """Seen in the UI: "Key points", then "Other points" and nothing else, as if a section had
    gone missing. With labelled groups beside them, they still go last as "Other points"."""
    lines = [Line(q, [s], [n]) for n, (q, s) in enumerate(zip(QUOTES, _briefing().footnotes), 1)]
    alone = replace(_briefing(), key_points=[(OTHER, lines[:2])])
    md = render_markdown(alone)
    assert "Other points" not in md
    assert md.split("## Key points")[1].lstrip().startswith(f"- {QUOTES[0]}")
    both = replace(_briefing(), key_points=[("Pier", lines[:1]), (OTHER, lines[1:2])])
    assert "**Pier**" in render_markdown(both) and "**Other points**" in render_markdown(both)
