"""The article a citation opens (`ui.render.article_html`): its words are text, the quote is
marked where the article says it, and a deleted article says so and keeps the quote."""

from __future__ import annotations

import re

from ui.render import article_html

TEXT = (
    "The harbour reopened on Monday. Officials said the repairs cost $4 million. "
    "<img src=http://127.0.0.1/beacon> Ferries resume next week."
)


def test_the_quote_is_marked_once_where_the_article_says_it() -> None:
    page = article_html(
        "harbour.txt",
        TEXT,
        "Officials said the  repairs\ncost $4 million.",
        title="Harbour reopens",
        source="Coast News",
        date="2024-05-02",
        url="https://news.example/harbour",
    )
    assert page.count("<mark") == 1
    assert "<mark id='article-quote'>Officials said the repairs cost $4 million.</mark>" in page
    assert "<h3>Harbour reopens</h3>" in page and "Coast News · 2024-05-02" in page
    assert "href='https://news.example/harbour'" in page


def test_article_words_are_text_never_markup_and_odd_links_are_not_links() -> None:
    page = article_html("x.txt", TEXT, "Ferries resume", title="<b>T</b>", url="javascript:x()")
    assert "<img" not in page and "&lt;img src=http://127.0.0.1/beacon&gt;" in page
    assert "<b>T</b>" not in page and "&lt;b&gt;T&lt;/b&gt;" in page
    assert "href=" not in page  # only a web address becomes a link


def test_unknown_outlet_and_date_are_left_unsaid() -> None:
    page = article_html("x.txt", TEXT, "Ferries resume")
    assert "undated" not in page and "not given" not in page and "<h3>x.txt</h3>" in page


def test_a_quote_the_text_no_longer_holds_is_said_and_the_text_still_shown() -> None:
    page = article_html("x.txt", TEXT, "The bridge collapsed.")
    assert "<mark" not in page and "not in the stored text" in page
    assert "Ferries resume next week." in page


def test_a_deleted_article_says_so_and_keeps_the_quote() -> None:
    page = article_html("x.txt", None, "Officials said the repairs cost $4 million.")
    assert "removed from the library" in page
    assert "<mark id='article-quote'>Officials said the repairs cost $4 million.</mark>" in page


def test_two_quotes_of_one_passage_are_one_card_with_both_numbers_and_marks() -> None:
    from rag import Answer, Citation, Passage
    from ui.render import chat_message, sources_html

    text = "The pier cost $230 million. It opened in May. It will soon cease operations."
    passage = Passage(1, "c1", "pier.txt", "Pier", "2024-07-16", "", "", text, 0.9, 100, 178)

    def cite(n: int, quote: str, chunk: str = "c1") -> Citation:
        at = 100 + text.index(quote)
        return Citation(
            n, "pier.txt", "Pier", "2024-07-16", "", "", quote, 0.9, chunk, at, at + len(quote)
        )

    answer = Answer(
        "How much did the pier cost and when will it close?",
        "The pier cost $230 million. [1] It will soon cease operations. [2]",
        False,
        "extractive",
        citations=[
            cite(1, "The pier cost $230 million."),
            cite(2, "It will soon cease operations."),
        ],
        passages=[passage],
    )
    panel = sources_html(answer)
    cards = re.findall(r"<div class='src[ ']", panel)
    assert len(cards) == 1 and "<div class='src src-2' id='src-1'" in panel
    assert panel.count("<mark>") == 2 and "It opened in May." in panel  # both quotes marked
    assert "[1]</span> <span class='src-n'>[2]</span>" in panel
    shown = chat_message(answer)
    assert "Sources (1)" in shown and "class='src src-1 src-2'" in shown
