"""Article text as Markdown-safe text: what an article, a feed or a page says is shown as the
characters it is, wherever Markdown is rendered (the chat, briefings in the UI and in the `.md`
file, the library's messages, exports).

`as_text` escapes text for running Markdown (`framed`: all but the caller's own `[n]`
markers), `code_span` puts text in a code span no backtick in it can close, `web_link` links
a record's url only when it is http(s), `visible` drops the invisible and direction-changing
characters, and `plain` undoes `as_text` (for reading a briefing back). One module, so the
chat, the exports, the briefing writer and the UI's messages escape alike.

What it leaves out: HTML written by hand (the source panel builds its cards with
`html.escape` after `visible`), and deciding what is ours: callers escape the article's words and
write their own `[n]` markers, emphasis and links around them.
"""

from __future__ import annotations

import html
import re
from typing import Callable

# Zero-width and direction-changing characters (an article can hide words or reverse what
# follows it on screen), and control characters other than tab and line breaks.
_UNSEEN = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
# Characters that open Markdown anywhere in a line: code, emphasis, strikethrough, links and
# images (`!` too: before one of our own `[n]` links it would make an image of it), tables.
# `<`, `>` and `&` are written as entities first, so no HTML tag or entity survives.
_INLINE = re.compile(r"([\\`*_\[\]|~!])")
# What opens a block only at the start of a line: headings, lists, setext underlines (`>`
# quotes are entities by then). Escaped at the start of the text too: callers put article
# text at a line's start ("- " + text is a list item whose own content may be a heading).
_BLOCK_MARK = re.compile(r"^([ \t]*)([#+=-])", re.M)
_ORDINAL = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.M)  # "1. ", not "3.5 million"
# Bare addresses that GitHub's and Gradio's Markdown turn into links by themselves.
_AUTOLINK = re.compile(r"://|@|(?<![\w.])(www)\.", re.I)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.I)


def visible(text: str) -> str:
    """`text` without zero-width, bidi-control and control characters: what is shown is what
    the reader sees, in the order written, and nothing hides between the characters."""
    return _UNSEEN.sub("", text)


def _defuse_autolink(m: re.Match[str]) -> str:
    """`http\\://…`, `www\\.…`, `a\\@b`: still read as written, no longer made into links."""
    return m.group(1) + "\\." if m.group(1) else "\\" + m.group(0)


def as_text(text: str) -> str:
    """`text` escaped so Markdown and HTML render it literally (no tags, links, images, code,
    headings, quotes or lists; no invisible or direction-changing characters).

    Line breaks stay: where Markdown keeps them they still break the text, but every line
    starts as plain text.
    """
    escaped = _INLINE.sub(r"\\\1", html.escape(visible(text), quote=False))
    escaped = _ORDINAL.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\1\\\2", escaped))
    return _AUTOLINK.sub(_defuse_autolink, escaped)


def framed(text: str, ours: re.Pattern[str], write: Callable[[re.Match[str]], str]) -> str:
    """`text` escaped as by `as_text`, except the spans `ours` matches, which `write` writes:
    the `[n]` markers (and emphasis) the caller itself put into the text, as in an answer
    or an LLM-written summary line, stay Markdown; the article's words between them do not."""
    parts, pos = [], 0
    for m in ours.finditer(text):
        parts += [as_text(text[pos : m.start()]), write(m)]
        pos = m.end()
    return "".join(parts) + as_text(text[pos:])


def plain(markdown: str) -> str:
    """What `as_text` was given (less the characters `visible` drops): the article's own words
    back from a file we wrote, so they can be compared with the stored article."""
    return html.unescape(_ESCAPED.sub(r"\1", markdown))


def code_span(text: str) -> str:
    """`text` as inline code, fenced with one backtick more than its longest run of backticks
    so none of them can end the span (the text after would otherwise be Markdown again)."""
    text = " ".join(visible(text).splitlines())
    if not text:
        return ""
    runs = re.findall(r"`+", text)
    fence = "`" * (max((len(r) for r in runs), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (text[0] == " " == text[-1]) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def web_link(url: str) -> str:
    """A record's url as a link (`<https://…>`) when it is a plain http(s) address; anything
    else (`javascript:`, a path, a url with spaces or hidden characters) as text."""
    if _WEB_URL.fullmatch(url) and visible(url) == url:
        return f"<{url}>"
    return as_text(url)
