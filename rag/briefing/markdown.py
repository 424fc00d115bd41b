"""A briefing as Markdown, and the check that its quotes still stand in the articles.

`render_markdown` writes every section with `[n]` markers and footnotes carrying the verbatim
quoted span; `check_briefing` reads such a file back and re-verifies each footnote against
the stored article.
"""

from __future__ import annotations

import re

from rag.answering.scoring import Sentence
from rag.briefing.model import Briefing, Line
from rag.index.store import Store


def _cite(line: Line) -> str:
    return "".join(f" [{n}]" for n in line.numbers)


def _meta(s: Sentence) -> dict[str, str]:
    return s.meta


def render_markdown(b: Briefing) -> str:
    filt = ", ".join(f"{k} {v}" for k, v in b.filters.items()) or "none"
    out = [f"# Briefing: {b.topic}", "",
           f"*Generated {b.generated_at} from {b.reproducibility['corpus']['articles']} stored "
           f"articles · {b.reproducibility['mode']} mode · filters: {filt}*", "", "## Summary",
           ""]
    out += [" ".join(ln.text + _cite(ln) for ln in b.summary) or
            "The articles do not say anything about this topic.", ""]
    if b.reproducibility.get("notice"):
        out += [f"*{b.reproducibility['notice']}*", ""]
    if b.key_points:
        out += ["## Key points", ""]
        for label, group in b.key_points:
            out += [f"**{label}**", ""] + [f"- {ln.text}{_cite(ln)}" for ln in group] + [""]
    if b.timeline:
        out += ["## Timeline", "", "| date | what the articles say | source |", "|---|---|---|"]
        for ev in b.timeline:
            first = ev.line.sentences[0]
            src = f"{_meta(first).get('source') or first.doc}, {_meta(first).get('date') or 'undated'}"
            out.append(f"| {ev.label} | {ev.line.text.replace('|', '/')}{_cite(ev.line)} | {src} |")
        out.append("")
    if b.disagreements:
        out += ["## Where sources disagree", ""]
        for group in b.disagreements:
            out += ["| figure | outlet | date | as reported |", "|---|---|---|---|"]
            for value, ln in group:
                s = ln.sentences[0]
                out.append(f"| **{value}** | {_meta(s).get('source') or s.doc} | "
                           f"{_meta(s).get('date') or 'undated'} | "
                           f"{ln.text.replace('|', '/')} [{ln.numbers[0]}] |")
            out.append("")
    if b.open_questions:
        out += ["## Open questions", ""]
        out += [f"- Left open: {ln.text}{_cite(ln)}" for ln in b.open_questions] + [""]
    out += ["## Sources", ""]
    for n, s in enumerate(b.footnotes, start=1):
        m = _meta(s)
        url = f" <{m['url']}>" if m.get("url") else ""
        out.append(f"[{n}]: {m.get('source') or 'outlet not given'} — *{m.get('title') or s.doc}*"
                   f", {m.get('date') or 'undated'}{url} · `doc: {s.doc}` · “{s.text}”")
    corpus = b.reproducibility["corpus"]
    out += ["", "## Reproducibility", "",
            f"- corpus: {corpus['articles']} articles, sha256 `{corpus['sha256']}`",
            f"- mode: {b.reproducibility['mode']}; model: {b.reproducibility['model']}; "
            f"embedder: {b.reproducibility['embedder']}",
            "- retrieval: " + ", ".join(f"{k}={v}" for k, v in
                                        b.reproducibility["retrieval"].items()),
            f"- generated: {b.generated_at}", "- articles:"]
    out += [f"  - `{doc}` sha256 `{h}`" for doc, h in corpus["content_hashes"].items()]
    return "\n".join(out) + "\n"


_FOOTNOTE = re.compile(r"^\[(\d+)\]: .*?`doc: (.+?)` · “(.*)”\s*$")


def _squash(text: str) -> str:
    return " ".join(text.split())


def check_briefing(store: Store, markdown: str) -> list[str]:
    """Every footnote whose quoted span no longer stands in its stored article (empty: ok)."""
    problems = []
    footnotes = [m for line in markdown.splitlines() if (m := _FOOTNOTE.match(line))]
    if not footnotes:
        return ["the file has no footnotes to check (is it a briefing from `rag brief`?)"]
    texts: dict[str, str] = {}
    for m in footnotes:
        n, doc, quote = m.group(1), m.group(2), m.group(3)
        if doc not in texts:
            chunks = sorted(store.chunk_records({"doc_id": doc}),
                            key=lambda r: r["metadata"].get("chunk", 0))
            texts[doc] = _squash(" ".join(r["text"] for r in chunks))
        if not texts[doc]:
            problems.append(f"[{n}] {doc}: the article is no longer stored")
        elif _squash(quote) not in texts[doc]:
            problems.append(f"[{n}] {doc}: the quoted span no longer stands in the article: "
                            f"“{quote[:80]}…”")
    return problems
