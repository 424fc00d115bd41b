"""How an `Answer` looks in the browser, and how it is exported as plain Markdown.

Pure functions from `rag.answer.Answer` to Markdown/HTML strings. Each answer in the chat
carries its own sources (`chat_message`): a collapsible list of cards under the text, so a
`[n]` in an older answer opens that answer's passage, never the latest one's (the page
script, `ui/static/app.js`, also mirrors the clicked answer's cards into the side panel).
The quoted span is highlighted; citations the check rejected are listed as such, never
hidden. `answer_markdown` / `conversation_markdown` are what Copy and Download give:
readable Markdown with numbered sources (article text escaped as in the chat, `[n]` plain
markers). Also the Briefing tab's view of a briefing file (`briefing_markdown`), and the
Library tab's watched feeds (`feed_rows`, `feed_poll_markdown`). Article text is escaped
by `rag.text.markup`, the one escaper the briefing file uses too. No retrieval, no storage,
no polling, no page style (`ui/static/app.css`).
"""

from __future__ import annotations

import html
import re
from typing import Callable, Mapping, Sequence

from rag import (
    MARKER,
    Answer,
    Citation,
    FeedPoll,
    FeedState,
    Passage,
    also_line,
    as_text,
    cited_numbers,
    code_span,
    framed,
    visible,
    web_link,
)

FEED_HEADERS = ["feed", "title", "last polled", "last poll brought", "problems"]
# the Library table: what a reader scans first, the id the command line uses last
LIBRARY_HEADERS = ["headline", "outlet", "date", "passages", "id"]


# What an answer's frame adds to the quoted words: our `[n]` markers and the bold short
# answer. Everything else is article text and is shown as text, never as Markdown or HTML.
_OURS = re.compile(MARKER.pattern + r"|\*\*(.+?)\*\*")


def _framed(text: str, marker: Callable[[str], str]) -> str:
    """`text` with our `[n]` markers (each written by `marker`) and bold short answer kept,
    and everything between them, the article's words, escaped as text."""
    return framed(
        text,
        _OURS,
        lambda m: _each(m.group(0), marker) if m.group(1) else f"**{as_text(m.group(2))}**",
    )


def _each(group: str, marker: Callable[[str], str]) -> str:
    """A marker as `marker` writes one number; a group `[1, 2]` becomes one per number."""
    return " ".join(marker(str(n)) for n in cited_numbers(group))


def chat_markdown(answer: Answer) -> str:
    """The answer for the chat, each `[n]` a link to its source; notices and as-of below.

    Article words reach the chat as text: a Markdown link or an `<img>` inside a quoted
    sentence shows as characters, so it can neither pose as a citation nor make the browser
    fetch anything.
    """
    lines = [_framed(answer.answer, lambda n: f"[\\[{n}\\]](#src-{n})")]
    if answer.as_of_note:
        lines.append(f"*{answer.as_of_note}*")
    if answer.notice:
        lines.append(f"> {as_text(answer.notice)}")
    removed = answer.dropped
    if removed:  # said in the message, so what streamed and then vanished is accounted for
        items = "\n".join(f"- “{as_text(d.claim)}” — {as_text(d.reason)}" for d in removed)
        lines.append(
            f"*The citation check removed {len(removed)} unsupported claim(s) from "
            f"what was written:*\n\n{items}"
        )
    return "\n\n".join(lines)


def _e(text: str) -> str:
    """Article text for the cards' HTML: escaped, without invisible or bidi characters."""
    return html.escape(visible(text))


def _passage_for(citation: Citation, passages: list[Passage]) -> Passage | None:
    return next((p for p in passages if p.chunk_id == citation.chunk_id), None)


def _highlighted(citations: list[Citation], passage: Passage | None) -> str:
    """The passage with each citation's quote marked (quotes without offsets, or a passage
    not at hand: the quotes alone, marked)."""
    spans: list[tuple[int, int]] = []
    if passage is not None and passage.start is not None:
        for c in citations:
            if c.start is None:
                spans = []
                break
            spans.append((max(0, c.start - passage.start), (c.end or c.start) - passage.start))
    if passage is None or not spans:
        return " … ".join(f"<mark>{_e(c.quote)}</mark>" for c in citations)
    out, at = [], 0
    for s, e in sorted(spans):
        s, e = max(s, at), min(len(passage.text), e)
        if e <= s:
            continue
        out += [_e(passage.text[at:s]), "<mark>", _e(passage.text[s:e]), "</mark>"]
        at = e
    return "".join(out) + _e(passage.text[at:])


def _by_passage(citations: list[Citation]) -> list[list[Citation]]:
    """The citations grouped by the passage they quote, in the order of their first number:
    two sentences of one passage are one card."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.chunk_id or f"{c.doc}#{c.n}", []).append(c)
    return list(groups.values())


def _cards(answer: Answer, in_chat: bool, gone: Mapping[str, str] | None = None) -> list[str]:
    """One card per cited passage, headed by every `[n]` that quotes it, each quote marked.
    In the panel a card has `id='src-n'` (its first number; the others as classes); in a
    chat message (where Gradio keeps classes but drops ids' uniqueness and data attributes)
    each of its numbers is a class `src-n`, found relative to its own message. Newlines are
    written as `&#10;` so Markdown sees one HTML line and never parses article text. A card
    offers its whole article (the page script opens it, `ArticleView`), unless the article
    is in `gone` (id to the day it was deleted, "" when not known): deleted since the answer
    was written, so the card says so and keeps the quote."""
    cards, gone = [], gone or {}
    for group in _by_passage(answer.citations):
        c, e = group[0], _e
        meta = " · ".join(x for x in (e(c.source), e(c.date or "undated")) if x)
        web = c.url.lower().startswith(("http://", "https://")) and visible(c.url) == c.url
        link = (
            f" · <a href='{e(c.url)}' target='_blank' rel='noopener'>{e(c.url)}</a>"
            if web
            else (f" · {e(c.url)}" if c.url else "")
        )  # javascript:, data: … not linked
        refused = [x.n for x in group if not x.supported]
        status = (
            " <span class='unsupported'>not supported"
            + (f": [{'], ['.join(map(str, refused))}]" if len(group) > 1 else "")
            + "</span>"
            if refused
            else ""
        )
        numbers = [f"src-{x.n}" for x in group]
        opening = (
            f"<div class='{' '.join(['src', *numbers])}'>"
            if in_chat
            else f"<div class='{' '.join(['src', *numbers[1:]])}' id='src-{c.n}' "
            f"data-doc='{e(c.doc)}'>"
        )
        passage = _highlighted(group, _passage_for(c, answer.passages))
        also = (
            f"<div class='src-meta also'>{e(also_line(c.also, c.source))}</div>" if c.also else ""
        )  # the same wire story under other outlets
        heads = " ".join(f"<span class='src-n'>[{x.n}]</span>" for x in group)
        card = (
            f"{opening}<div class='src-head'>{heads} "
            f"<b>{e(c.title or c.doc)}</b>{status}</div>"
            f"<div class='src-meta'>{meta}{link} · <code class='src-doc'>{e(c.doc)}</code>"
            f"</div>{also}<div class='passage'>{passage}</div>{_reading(gone.get(c.doc))}</div>"
        )
        cards.append(card.replace("\n", "&#10;"))
    return cards


def removed_line(deleted_on: str) -> str:
    """What a card or the article view says of an article deleted since (on a day or not)."""
    day = f" on {_e(deleted_on)}" if deleted_on else ""
    return f"This article was removed from the library{day}."


def _reading(deleted_on: str | None) -> str:
    """The foot of a card: the link that opens its article, or why there is none."""
    if deleted_on is not None:
        return f"<div class='src-meta removed'>{removed_line(deleted_on)}</div>"
    return "<a class='open-article' href='#article'>Read the article</a>"


def sources_html(answer: Answer | None, gone: Mapping[str, str] | None = None) -> str:
    """The source panel: one card per citation, then anything the check rejected."""
    if answer is None:
        return "<div class='sources-empty'>Sources of the answer appear here.</div>"
    cards = _cards(answer, in_chat=False, gone=gone)
    dropped = answer.dropped
    if dropped:
        items = "".join(
            f"<li><span class='unsupported'>{_e(d.reason)}</span>: “{_e(d.claim)}”</li>"
            for d in dropped
        )
        cards.append(
            f"<div class='src rejected'><b>Removed by the citation check</b><ul>{items}</ul></div>"
        )
    if not cards:
        cards.append(
            "<div class='sources-empty'>No passage is cited: the articles do not answer this.</div>"
        )
    return "<div class='sources'>" + "".join(cards) + "</div>"


def chat_message(
    answer: Answer,
    searched: str = "",
    question: str = "",
    gone: Mapping[str, str] | None = None,
    follow_ups: Sequence[str] = (),
) -> str:
    """An answer as a chat message that carries its own sources and its Markdown export.

    Below the text: "Sources (n)" folded open on a click of any `[n]`, and a "Copy as
    Markdown" link whose text (`answer_markdown`) rides along hidden in the message, so a
    conversation reopened tomorrow copies and cites exactly as it did today. Cards of
    articles in `gone` (deleted since) say so. `follow_ups` (the latest answer's) are links
    the page script asks as if typed.
    """
    shown = chat_markdown(answer)
    if searched and searched != question:  # say how a follow-up was read
        shown = f"*Searching for: {searched}*\n\n{shown}"
    cards = _cards(answer, in_chat=True, gone=gone)
    parts = [shown]
    if cards:
        parts.append(
            f"<details class='msg-sources'><summary>Sources ({len(cards)})</summary>"
            + "".join(cards)
            + "</details>"
        )
    export = html.escape(answer_markdown(answer, question or answer.question), quote=False).replace(
        "\n", "&#10;"
    )
    parts.append(
        f"<pre class='md-export' hidden>{export}</pre>"
        "<a class='copy-md' href='#copy'>Copy as Markdown</a>"
    )
    if follow_ups:  # names from article text: escaped like every card
        links = "".join(f"<a class='follow-up' href='#ask'>{_e(q)}</a>" for q in follow_ups)
        parts.append(f"<div class='follow-ups'><span>Ask next:</span>{links}</div>")
    return "\n\n".join(parts)


def _quoted_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in `text` (both with whitespace squashed, as stored texts are):
    verbatim first, then ignoring case; None when the article no longer says it."""
    quote = " ".join(quote.split())
    if not quote:
        return None
    at = text.find(quote)
    if at < 0:
        at = text.lower().find(quote.lower())
    return (at, at + len(quote)) if at >= 0 else None


def article_html(
    doc: str,
    text: str | None,
    quote: str,
    title: str = "",
    source: str = "",
    date: str = "",
    url: str = "",
    deleted_on: str = "",
) -> str:
    """One article as a citation opens it: headline, outlet and date (said only when known),
    a link to the original when it is a web address, then the whole stored text with the
    quoted words marked (`id='article-quote'`, which the page scrolls to). `text` None: the
    article is no longer stored, so only the quote the answer kept is shown, with that said
    (and the day, `deleted_on`, when it is known).
    Every word of the article is escaped as text."""
    said = " · ".join(_e(x) for x in (source, date) if x)
    web = url.lower().startswith(("http://", "https://")) and visible(url) == url
    link = (
        f"<a href='{_e(url)}' target='_blank' rel='noopener'>Read it at the original</a>"
        if web
        else ""
    )
    head = (
        f"<div class='article-head'><h3>{_e(title or doc)}</h3>"
        f"<div class='src-meta'>{' · '.join(x for x in (said, link) if x)}</div>"
        f"<div class='src-meta'><code class='src-doc'>{_e(doc)}</code></div></div>"
    )
    if text is None:
        body = (
            f"<p class='removed'>{removed_line(deleted_on)} The answer quoted:</p>"
            f"<blockquote><mark id='article-quote'>{_e(quote)}</mark></blockquote>"
        )
    elif (span := _quoted_span(text, quote)) is None:
        body = (
            "<p class='src-meta'>The quoted words are not in the stored text as quoted "
            f"(the article may have been updated since): “{_e(quote)}”</p>"
            f"<div class='article-text'>{_e(text)}</div>"
        )
    else:
        s, e = span
        body = (
            f"<div class='article-text'>{_e(text[:s])}<mark id='article-quote'>{_e(text[s:e])}"
            f"</mark>{_e(text[e:])}</div>"
        )
    return f"<div class='article'>{head}{body}</div>".replace("\n", "&#10;")


def pending_message(stage: str) -> str:
    """What an answer being worked on shows: the stage, with a moving indicator."""
    return f"<span class='working'>{html.escape(stage.capitalize())}…</span>"


def _source_lines(answer: Answer) -> list[str]:
    lines = []
    for c in answer.citations:
        said = ", ".join(x for x in (c.source, c.date or "undated") if x)
        url = f" {web_link(c.url)}" if c.url else ""
        flag = "" if c.supported else " (not supported by the citation check)"
        lines.append(
            f"- [{c.n}] **{as_text(c.title or c.doc)}** — {as_text(said)}{url} · "
            f"{code_span(c.doc)}{flag}"
        )
        lines.append(f"  > {as_text(' '.join(c.quote.split()))}")
    return lines


def answer_markdown(answer: Answer, question: str = "", sources: bool = True) -> str:
    """One answer as Markdown with its numbered sources (title, outlet, date, url, quote).

    Pasted where Markdown is rendered (an issue, a wiki, an OpenAI-compatible chat app's
    reply), it must show what the chat shows: the article's words escaped as text, `[n]`
    plain markers, only web urls as links. `sources=False` leaves the sources out (a client
    that reads them as data)."""
    out = [f"**Q:** {question}", ""] if question else []
    out.append(_framed(answer.answer, lambda n: f"[{n}]"))
    if answer.as_of_note:
        out += ["", f"*{answer.as_of_note}*"]
    if answer.notice:
        out += ["", f"> {as_text(answer.notice)}"]
    if answer.citations and sources:
        out += ["", "**Sources**", ""] + _source_lines(answer)
    return "\n".join(out) + "\n"


def conversation_markdown(title: str, turns: list[tuple[str, Answer | None, str]]) -> str:
    """A whole conversation: each (question, answer or None, text shown instead) in order."""
    out = [f"# {title or 'Conversation'}", ""]
    for question, answer, text in turns:
        out += [f"## {question}", ""]
        body = answer_markdown(answer) if answer is not None else text
        out += [body.rstrip("\n"), ""]
    return "\n".join(out)


_FOOTNOTE_LINE = re.compile(r"^\[(\d+)\]: (.*)$")
_MARKER = re.compile(MARKER.pattern + r"(?!:)")  # not a footnote line's `[n]:`


def briefing_markdown(markdown: str) -> str:
    """A briefing file as the Briefing tab shows it: footnotes as a numbered list with
    anchors (`[n]: …` lines are link definitions, which Markdown hides or runs together), and
    every `[n]` in the text a link to its footnote. The file itself is left as written: its
    article text is already escaped (`rag.briefing.markdown`), so a `[n]` here is ours.
    The blank line the file keeps between footnotes (each its own paragraph in a Markdown
    viewer) is dropped here, so they stay one tight list (a file written before, with none
    between them, shows alike)."""
    out, in_sources = [], False
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            in_sources = line.strip() == "## Sources"
        between = 0 < i < len(lines) - 1 and lines[i - 1].strip() and not line.strip()
        if in_sources and between and _FOOTNOTE_LINE.match(lines[i + 1]):
            continue
        m = _FOOTNOTE_LINE.match(line) if in_sources else None
        if m:
            out.append(f"{m.group(1)}. <span class='fn' id='fn-{m.group(1)}'></span>{m.group(2)}")
        else:
            out.append(
                _MARKER.sub(lambda k: _each(k.group(0), lambda n: f"[\\[{n}\\]](#fn-{n})"), line)
            )
    return "\n".join(out)


def _brought(result: str, counts: dict[str, int]) -> str:
    """'200: 2 new, 0 updated, 1 unchanged, 0 failed', or the failure's own line."""
    if result.startswith(("failed", "skipped")):
        return result
    return (
        f"{result}: {counts.get('new', 0)} new, {counts.get('updated', 0)} updated, "
        f"{counts.get('unchanged', 0)} unchanged, {counts.get('failed', 0)} failed"
    )


def _when(iso: str) -> str:
    """'2026-11-22 11:40 UTC' from the state's ISO time ('never' before the first poll)."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else "never"


def feed_rows(watched: dict[str, FeedState]) -> list[list[str]]:
    """The watched feeds as table rows: url, title, last poll, what it brought, problems.

    Cells are plain text (the table does not render Markdown), so nothing needs escaping.
    """
    return [
        [
            url,
            state.title or "(untitled)",
            _when(state.last_poll),
            _brought(state.last_result, state.last_counts) if state.polls else "not polled yet",
            " | ".join(state.last_problems),
        ]
        for url, state in watched.items()
    ]


def feed_poll_markdown(line: FeedPoll, title: str, was_watched: bool, given: str = "") -> str:
    """What adding (or polling again) a feed brought, as Markdown; when the address given
    was a page, which feed it announced. Addresses are code spans no backtick in them can
    close (a page names its feed: its url is the page's text, not ours)."""
    name = f"**{as_text(title)}** ({code_span(line.url)})" if title else code_span(line.url)
    brought = as_text(_brought(line.result, vars(line)))
    found = (
        f"{code_span(given)} is a page; it announces the feed {name}. "
        if given and given != line.url
        else ""
    )
    said = found + (
        f"Polled {name} again: {brought}"
        if was_watched
        else f"Now watching {name}. First poll: {brought}"
    )
    return said + f" ({line.requests} request{'s' if line.requests != 1 else ''})."
