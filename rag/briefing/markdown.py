"""A briefing as Markdown, and the check that its quotes still stand in the articles.

`render_markdown` writes every section with `[n]` markers and footnotes carrying the verbatim
quoted span; `check_briefing` reads such a file back and re-verifies each footnote against
the stored article, and each cited line against its footnotes: a figure in a line ("$90M")
that none of the quotes it cites contains means the line was edited after it was written.

Everything an article gave (its sentences, outlet, title, date, id, url) is written as text
through `rag.text.markup`, so neither GitHub nor the Briefing tab renders it as HTML, links,
images or headings; only our own `[n]`, emphasis and web-url links are Markdown. What this
leaves out: choosing what a briefing says (`rag.briefing.build`).
"""

from __future__ import annotations

import re

from rag.answer import also_reported_by
from rag.answer_text import also_line
from rag.answering.scoring import Sentence
from rag.briefing.groups import OTHER
from rag.briefing.model import Briefing, Line
from rag.index.store import Store
from rag.text.dates import minute_utc
from rag.text.markers import MARKER, NOT_SAID, cited_numbers, marker_runs, markers, strip_markers
from rag.text.markup import as_text, code_span, framed, plain, visible, web_link


def _cite(line: Line) -> str:
    return f" {markers(line.numbers)}" if line.numbers else ""


def _meta(s: Sentence) -> dict[str, str]:
    return s.meta


def newer_note(group: list[tuple[str, Line]]) -> str:
    """Which figure is the newer, in words: "*Newest: at least 63,500 (2024-10-01); earlier:
    more than 80,000 (2024-01-04); undated: more than 60,000.*" (rows are newest first)."""
    dated = [
        (as_text(v), as_text(_meta(ln.sentences[0])["date"]))
        for v, ln in group
        if _meta(ln.sentences[0]).get("date")
    ]
    undated = [as_text(v) for v, ln in group if not _meta(ln.sentences[0]).get("date")]
    parts = []
    if len({d for _, d in dated}) > 1:
        parts.append(f"newest: {dated[0][0]} ({dated[0][1]})")
        parts.append("earlier: " + ", ".join(f"{v} ({d})" for v, d in dated[1:]))
    elif len(dated) > 1:
        parts.append("reported the same day: " + ", ".join(f"{v} ({d})" for v, d in dated))
    elif dated:
        parts.append(f"dated: {dated[0][0]} ({dated[0][1]})")
    if undated:
        parts.append("undated, so not placed in time: " + ", ".join(undated))
    text = "; ".join(parts)
    return f"*{text[0].upper() + text[1:]}.*" if text else ""


def _text(text: str) -> str:
    """A line's words as text; a `[n]` in them is ours (an LLM-written line carries its
    checked markers inline; an extractive line's article markers were removed when built)."""
    return framed(text, MARKER, lambda m: m.group(0))


def _line(ln: Line) -> str:
    """A line of the briefing: its words as text, then our `[n]` markers."""
    return _text(ln.text) + _cite(ln)


def _cell(text: str) -> str:
    """A line's words for a table cell (a `|` in a quoted sentence is written `/`, as always)."""
    return _text(text.replace("|", "/"))


def _source_cell(s: Sentence) -> str:
    """ "outlet, date" of a timeline row, as text."""
    return as_text(f"{_meta(s).get('source') or s.doc}, {_meta(s).get('date') or 'undated'}")


def _footnote(n: int, s: Sentence) -> str:
    """The footnote line "[n]: outlet — *title*, date <url> · `doc: id` · “quote”": the url
    a link only when it is a web address, the id a code span no backtick in it closes, the
    rest text. An article with no outlet starts at its title ("[n]: *title*, …"): a
    placeholder outlet on every such line said nothing the missing name does not."""
    m = _meta(s)
    url = f" {web_link(m['url'])}" if m.get("url") else ""
    outlet = f"{as_text(m['source'])} — " if m.get("source") else ""
    return (
        f"[{n}]: {outlet}*{as_text(m.get('title') or s.doc)}*, "
        f"{as_text(m.get('date') or 'undated')}{url}"
        f" · {code_span('doc: ' + s.doc)} · “{as_text(s.text)}”"
    )


def _figure_row(value: str, ln: Line) -> str:
    """A row of a figures table: the figure, its outlet and date, the line citing it."""
    s = ln.sentences[0]
    return (
        f"| **{as_text(value)}** | {as_text(_meta(s).get('source') or s.doc)}"
        f" | {as_text(_meta(s).get('date') or 'undated')} | {_cell(ln.text)} [{ln.numbers[0]}] |"
    )


def render_markdown(b: Briefing) -> str:
    filt = ", ".join(f"{k} {as_text(str(v))}" for k, v in b.filters.items()) or "none"
    out = [
        f"# Briefing: {as_text(b.topic)}",
        "",
        f"*Generated {b.generated_at} from {b.reproducibility['corpus']['articles']} stored "
        f"articles · {b.reproducibility['mode']} mode · filters: {filt}*",
        "",
    ]
    if b.changed_since:
        out += _what_changed(b)
    out += ["## Summary", ""]
    out += [" ".join(_line(ln) for ln in b.summary) or f"{NOT_SAID} anything about this topic.", ""]
    if b.reproducibility.get("notice"):
        out += [f"*{as_text(b.reproducibility['notice'])}*", ""]
    if b.key_points:
        out += ["## Key points", ""]
        if b.reproducibility.get("key_points_notice"):
            out += [f"*{as_text(b.reproducibility['key_points_notice'])}*", ""]
        # one group that shares no name is the key points themselves: "Other points" under
        # "Key points", with nothing else, reads as if a section went missing
        alone = len(b.key_points) == 1 and b.key_points[0][0] == OTHER
        for label, group in b.key_points:
            heading = [] if alone else [f"**{as_text(label)}**", ""]
            out += heading + [f"- {_line(ln)}" for ln in group] + [""]
    if b.timeline:
        out += ["## Timeline", "", "| date | what the articles say | source |", "|---|---|---|"]
        for ev in b.timeline:
            out.append(
                f"| {as_text(ev.label)} | {_cell(ev.line.text)}{_cite(ev.line)} | "
                f"{_source_cell(ev.line.sentences[0])} |"
            )
        out.append("")
    if b.disagreements:
        out += ["## Where sources disagree", ""]
        for reports in b.disagreements:
            out += ["| figure | outlet | date | as reported |", "|---|---|---|---|"]
            out += [_figure_row(value, ln) for value, ln in reports]
            out += ["", newer_note(reports), ""]
    if b.over_time:
        out += ["## Figures over time", ""]
        for reports in b.over_time:
            out += ["| figure | outlet | date | as reported |", "|---|---|---|---|"]
            out += [_figure_row(value, ln) for value, ln in reports] + [""]
    if b.open_questions:
        out += ["## Open questions", ""]
        out += [f"- Left open: {_line(ln)}" for ln in b.open_questions] + [""]
    out += ["## Sources", ""]
    # each footnote its own paragraph: lines one after the other are one paragraph in a
    # Markdown viewer, the footnotes run together (its "also" line continues it)
    for n, s in enumerate(b.footnotes, start=1):
        out.append(_footnote(n, s))
        if also := also_reported_by(_meta(s)):  # the same wire story under other outlets
            out.append(f"    ({as_text(also_line(also, _meta(s).get('source') or ''))})")
        out.append("")
    corpus = b.reproducibility["corpus"]
    out += [
        "## Reproducibility",
        "",
        f"- corpus: {corpus['articles']} articles, sha256 `{corpus['sha256']}`",
        f"- mode: {b.reproducibility['mode']}; model: {b.reproducibility['model']}; "
        f"embedder: {b.reproducibility['embedder']}",
        "- retrieval: " + ", ".join(f"{k}={v}" for k, v in b.reproducibility["retrieval"].items()),
        f"- generated: {b.generated_at}",
        "- cited articles:",
    ]
    # the cited articles' hashes prove what was quoted; the corpus hash covers the rest (a
    # briefing over 4,700 articles listed every one of them: 1,300 lines nobody forwards)
    cited = dict.fromkeys(s.doc for s in b.footnotes)
    out += [
        f"  - {code_span(doc)} sha256 `{corpus['content_hashes'][doc]}`"
        for doc in cited
        if doc in corpus["content_hashes"]
    ]
    return "\n".join(out) + "\n"


def _what_changed(b: Briefing) -> list[str]:
    """The section a refreshed topic opens with: each change on a line, cited; the old figure
    of a moved one cited to the last version's quote."""
    out = [f"## What changed since {as_text(minute_utc(b.changed_since))}", ""]
    if not b.changes:
        return out + [
            "Nothing new on this topic: the articles that arrived repeat what it said.",
            "",
        ]
    for c in b.changes:
        if c.kind == "moved" and c.was is not None:
            # when and where after the last marker: `check_briefing` holds each figure to
            # the quote its own marker cites, and a date is not in the quote
            old, new = c.was.sentences[0], c.line.sentences[0]
            out.append(
                f"- Moved, {as_text(c.what)}: **{as_text(c.before)}**{_cite(c.was)} → "
                f"**{as_text(c.after)}**{_cite(c.line)} ({_source_cell(old)} → "
                f"{_source_cell(new)})"
            )
        elif c.kind == "event":
            out.append(f"- New on the timeline: {_line(c.line)} — {as_text(c.what)}")
        else:
            out.append(f"- New: {_line(c.line)}")
    return out + [""]


# `[n]: … · `doc: id` · “quote”`; the id's fence is as long as `code_span` made it
_FOOTNOTE = re.compile(r"^\[(\d+)\]: .*? · (`+) ?doc: (.+?) ?\2 · “(.*)”\s*$")


def _squash(text: str) -> str:
    return " ".join(text.split())


_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
_UNCHECKED_SECTIONS = {"Sources", "Reproducibility"}
_FIGURE_TABLES = {"Where sources disagree", "Figures over time"}  # the figure cell is a claim


def _numbers(text: str) -> set[str]:
    """The numbers written in `text`, normalised ("60,000" and "60000" are one number)."""
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def _cited_claims(line: str, section: str) -> list[tuple[str, list[int]]]:
    """The parts of one line that state something, each with the footnotes it cites.

    Prose is cut after each run of markers, so every sentence answers to its own `[n]`.
    Table rows: the cell carrying the markers, and in "Where sources disagree" the figure
    cell too; the date and outlet cells come from the registry, not from the quotes.
    """
    if line.startswith("|"):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        cited = [c for c in cells if MARKER.search(c)]
        if not cited:
            return []
        numbers = cited_numbers(cited[-1])
        texts = [strip_markers(c) for c in cited]
        if section in _FIGURE_TABLES:
            texts.insert(0, cells[0].strip("* "))
        return [(" ".join(texts), numbers)]
    claims, start = [], 0
    for begin, end, numbers in marker_runs(line):
        claims.append((line[start:begin], numbers))
        start = end
    return claims


def _unsupported_figures(markdown: str, quotes: dict[int, str]) -> list[str]:
    """Cited lines stating a number that none of their cited quotes contains."""
    problems, section = [], ""
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if section in _UNCHECKED_SECTIONS or _FOOTNOTE.match(line):
            continue
        for text, numbers in _cited_claims(line, section):
            missing = [n for n in numbers if n not in quotes]
            if missing:
                problems.append(
                    f"line {lineno}: cites {markers(missing)} but the file has no such footnote"
                )
            cited = [_numbers(quotes[n]) for n in numbers if n in quotes]
            for figure in sorted(_numbers(text)):
                if cited and not any(figure in q for q in cited):
                    problems.append(
                        f"line {lineno}: {figure} is in none of its cited quotes "
                        f"{markers(numbers)}: “{_squash(text)[:80]}”"
                    )
    return problems


def check_briefing(store: Store, markdown: str) -> list[str]:
    """What no longer stands (empty: ok): footnotes whose quoted span is gone from the stored
    article, and cited lines stating a figure none of their cited quotes contains."""
    footnotes = [m for line in markdown.splitlines() if (m := _FOOTNOTE.match(line))]
    if not footnotes:
        return ["the file has no footnotes to check (is it a briefing from `rag brief`?)"]
    problems = _unsupported_figures(
        markdown, {int(m.group(1)): plain(m.group(4)) for m in footnotes}
    )
    texts: dict[str, str] = {}
    for m in footnotes:
        n, doc, quote = m.group(1), m.group(3), plain(m.group(4))
        if doc not in texts:
            chunks = sorted(
                store.chunk_records({"doc_id": doc}), key=lambda r: r["metadata"].get("chunk", 0)
            )
            # the file shows what `visible` keeps: compare the article likewise
            texts[doc] = _squash(visible(" ".join(r["text"] for r in chunks)))
        if not texts[doc]:
            problems.append(f"[{n}] {doc}: the article is no longer stored")
        elif _squash(quote) not in texts[doc]:
            problems.append(
                f"[{n}] {doc}: the quoted span no longer stands in the article: “{quote[:80]}…”"
            )
    return problems
