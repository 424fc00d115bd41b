"""Citation markers written inside article text, removed so that they cannot pose as ours.

An article may hold "[2]" of its own, or a lookalike (`defuse_markers` lists them); its words
reach answers and prompts only with those taken out. What it leaves out: the markers the
answerers write and read (`rag.text.markers`).
"""

from __future__ import annotations

import re

# Brackets and digits that look like ours: fullwidth and CJK brackets, fullwidth digits.
_LOOKALIKES = str.maketrans(
    {
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
        "［": "[",
        "］": "]",
        **{chr(0xFF10 + d): str(d) for d in range(10)},
    }
)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\u2061-\u2064\ufeff\u00ad]")
_ESCAPED_BRACKET = re.compile(r"\\([\[\]])")
# "[3]", "[3, 4]", "[[3]](https://…)" (a Markdown link posing as a citation), "⁽⁴⁾"
_ARTICLE_MARKERS = re.compile(
    r"\s*(?:\[+\s*\d+(?:\s*,\s*\d+)*\s*\]+(?:\([^)\s]*\))?"
    r"|⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾)"
)


def defuse_markers(text: str) -> str:
    """Article text without citation markers of its own, so they cannot pose as ours.

    Applied wherever article words reach an answer or a prompt (a quoted sentence, a passage
    shown to the LLM); the stored text and the citation's verbatim quote keep them. Lookalikes
    count: `\\[2\\]`, `【2】`, `［３］`, `[2` with an invisible character before `]`, `⁽⁴⁾`, and
    a Markdown link dressed as one (`[[3]](https://…)`).
    """
    cleaned = _ESCAPED_BRACKET.sub(r"\1", _INVISIBLE.sub("", text.translate(_LOOKALIKES)))
    if not _ARTICLE_MARKERS.search(cleaned):
        return text  # nothing poses as a citation: the words stay as written
    return _ARTICLE_MARKERS.sub("", cleaned)
