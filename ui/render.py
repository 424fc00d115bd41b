"""How an `Answer` looks in the browser: chat text with clickable `[n]`, and a source panel.

Pure functions from `rag.answer.Answer` to Markdown/HTML strings. Every `[n]` in the chat
links to `#src-n` in the source panel, where the passage is shown with the quoted span
highlighted; citations the check rejected are listed as such, never hidden. No retrieval.
"""

from __future__ import annotations

import html
import re

from rag import Answer, Citation, Passage, also_line


# What an answer's frame adds to the quoted words: our `[n]` markers and the bold short
# answer. Everything else is article text and is shown as text, never as Markdown or HTML.
_OURS = re.compile(r"\[(\d+)\]|\*\*(.+?)\*\*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>-])")


def as_text(text: str) -> str:
    """`text` escaped so Markdown and HTML render it literally (no links, images, markup)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def chat_markdown(answer: Answer) -> str:
    """The answer for the chat, each `[n]` a link to its source; notices and as-of below.

    Article words reach the chat as text: a Markdown link or an `<img>` inside a quoted
    sentence shows as characters, so it can neither pose as a citation nor make the browser
    fetch anything.
    """
    parts, pos = [], 0
    for m in _OURS.finditer(answer.answer):
        parts.append(as_text(answer.answer[pos:m.start()]))
        if m.group(1):
            parts.append(f"[\\[{m.group(1)}\\]](#src-{m.group(1)})")
        else:
            parts.append(f"**{as_text(m.group(2))}**")
        pos = m.end()
    parts.append(as_text(answer.answer[pos:]))
    lines = ["".join(parts)]
    if answer.as_of_note:
        lines.append(f"*{answer.as_of_note}*")
    if answer.notice:
        lines.append(f"> {as_text(answer.notice)}")
    removed = answer.citation_check.get("dropped", [])
    if removed:
        lines.append(f"*Citation check removed {len(removed)} unsupported citation(s); see "
                     "the sources panel.*")
    return "\n\n".join(lines)


def _passage_for(citation: Citation, passages: list[Passage]) -> Passage | None:
    return next((p for p in passages if p.chunk_id == citation.chunk_id), None)


def _highlighted(citation: Citation, passage: Passage | None) -> str:
    if passage is None or passage.start is None or citation.start is None:
        return f"<mark>{html.escape(citation.quote)}</mark>"
    s = max(0, citation.start - passage.start)
    e = min(len(passage.text), (citation.end or citation.start) - passage.start)
    return (html.escape(passage.text[:s]) + "<mark>" + html.escape(passage.text[s:e]) +
            "</mark>" + html.escape(passage.text[e:]))


def sources_html(answer: Answer | None) -> str:
    """The source panel: one card per citation, then anything the check rejected."""
    if answer is None:
        return "<div class='sources-empty'>Sources of the answer appear here.</div>"
    cards = []
    for c in answer.citations:
        e = html.escape
        meta = " · ".join(x for x in (e(c.source), e(c.date or "undated")) if x)
        link = f" · <a href='{e(c.url)}' target='_blank' rel='noopener'>{e(c.url)}</a>" \
            if c.url.lower().startswith(("http://", "https://")) else \
            (f" · {e(c.url)}" if c.url else "")  # javascript:, data: … are shown, not linked
        status = "" if c.supported else " <span class='unsupported'>not supported</span>"
        cards.append(
            f"<div class='src' id='src-{c.n}' data-doc='{e(c.doc)}'>"
            f"<div class='src-head'><span class='src-n'>[{c.n}]</span> "
            f"<b>{e(c.title or c.doc)}</b>{status}</div>"
            f"<div class='src-meta'>{meta}{link} · <code>{e(c.doc)}</code></div>"
            + (f"<div class='src-meta also'>{e(also_line(c.also, c.source))}</div>"
               if c.also else "") +
            f"<div class='passage'>{_highlighted(c, _passage_for(c, answer.passages))}</div>"
            f"</div>")
    dropped = answer.citation_check.get("dropped", [])
    if dropped:
        items = "".join(f"<li><span class='unsupported'>{html.escape(d['reason'])}</span>: "
                        f"“{html.escape(d['claim'])}”</li>" for d in dropped)
        cards.append(f"<div class='src rejected'><b>Removed by the citation check</b>"
                     f"<ul>{items}</ul></div>")
    if not cards:
        cards.append("<div class='sources-empty'>No passage is cited: the articles do not "
                     "answer this.</div>")
    return "<div class='sources'>" + "".join(cards) + "</div>"


CSS = """
.sources{display:flex;flex-direction:column;gap:10px;max-height:70vh;overflow-y:auto}
.src{border:1px solid #d0d7de;border-radius:8px;padding:10px;background:#fff;color:#1f2328}
.src.flash{outline:3px solid #f2b600;transition:outline .2s}
.src-head{font-size:15px}.src-n{font-weight:700;color:#0969da}
.src-meta{font-size:12px;color:#57606a;margin:4px 0}
.passage{font-size:13px;line-height:1.45;white-space:pre-wrap}
.passage mark{background:#fff3b0;padding:0 1px}
.unsupported{color:#b42318;font-weight:600}.rejected{border-color:#f3b1ab;background:#fff6f5}
.sources-empty{color:#57606a;font-style:italic}
"""

# One delegated handler: a click on [n] in the chat scrolls its source card into view.
HEAD = """<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest('a[href^="#src-"]');
  if (!link) { return; }
  const card = document.getElementById(link.getAttribute('href').slice(1));
  if (!card) { return; }
  event.preventDefault(); event.stopPropagation();
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  document.querySelectorAll('.src.flash').forEach(el => el.classList.remove('flash'));
  card.classList.add('flash');
}, true);
</script>"""
