"""Photo galleries flattened into an article's text, read as their captions.

A scraped CNN page keeps its gallery as one run of text: "Photos: Deadly flooding in western
Europe Two brothers embrace Monday… Hide Caption 1 of 38 Photos: Deadly flooding in western
Europe A damaged road buckles… Hide Caption 2 of 38 …". Split into sentences as it stands, an
answer quoted "Hide Caption 12 of 44 Photos: Mass shooting at Texas elementary school The
friends and family of Maranda Mathis…" (33 of the 4,712 RealTime QA articles hold 2,045 such
captions). `without_gallery_furniture` cuts each sentence span at the "Hide Caption N of M"
that ends a caption and starts the next one after its "Photos:" heading and the gallery's
title, which every caption of a gallery repeats word for word, so a title is known where a
text holds two captions of its gallery; a caption opening with its photo's credit ("Punit
Paranjpe/AFP/Getty Images People pray in Nara…") starts after it. The spans stay spans of the
text: quotes are still verbatim.

What it leaves out: a lone caption's title when no credit follows it (one caption of a
gallery in a chunk: its title cannot be told from its caption and stays), and galleries
written any other way.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ITEM_END = re.compile(r"\s*\bHide Caption \d+ of \d+\b\s*")
_HEADING = re.compile(r"\bPhotos?:\s+")
# a photographer and agency before a caption: "Kevin Dietsch/Getty Images", "Chris O'Meara/AP"
_CREDIT_LEAD = re.compile(
    r"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*/)+(?:Getty Images|AFP|AP|Reuters|EPA(?:-EFE)?|"
    r"Shutterstock|Bloomberg|Sipa USA|Redux|NurPhoto|Anadolu Agency|Pool)\s+(?=[A-Z])"
)
MIN_CHARS = 12  # shorter pieces are what is left of the furniture, not a caption
TITLE_CHARS = 120  # how far after "Photos:" a credit may close an unknown title


def without_gallery_furniture(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` (sentences of `text`) cut and trimmed to a gallery's captions; a text with no
    gallery keeps its spans as they are."""
    if "Hide Caption" not in text and "/" not in text:
        return spans
    titles = gallery_titles(text)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        for piece_start, piece_end in _between_items(text, start, end):
            piece_start = _after_heading(text, piece_start, piece_end, titles)
            if credit := _CREDIT_LEAD.match(text, piece_start, piece_end):
                piece_start = credit.end()
            while piece_end > piece_start and text[piece_end - 1].isspace():
                piece_end -= 1
            if piece_end - piece_start >= MIN_CHARS:
                out.append((piece_start, piece_end))
    return out


def is_caption(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a photo's caption: a photo's credit opens it, a "Hide
    Caption" follows it, or it opens right after a "Photos:" heading (past the title and a
    credit). A caption may answer
    a question ("England's Chloe Kelly scores England's Euro-winning goal…") but describes a
    picture, so it is never a briefing line."""
    window = max(0, start - 150)
    if "/" in text[window:start] and any(
        m.end() == start for m in _CREDIT_LEAD.finditer(text, window, start + 1)
    ):
        return True  # "Toru Hanai/Bloomberg/Getty Images Then-Prime Minister Abe addresses…"
    if "Hide Caption" not in text:
        return False
    if _ITEM_END.match(text, end):
        return True
    headings = list(_HEADING.finditer(text, 0, start + 1))
    if not headings or _ITEM_END.search(text, headings[-1].end(), start):
        return False
    return _after_heading(text, headings[-1].start(), end, gallery_titles(text)) == start


@lru_cache(maxsize=256)  # asked again for each sentence of a chunk (`is_caption`)
def gallery_titles(text: str) -> frozenset[str]:
    """The titles of the galleries in `text`: the words two captions in a row open with after
    their "Photos:" heading (the last one may be cut by the end of the text)."""
    headings = list(_HEADING.finditer(text))
    items = []
    for i, heading in enumerate(headings):
        stop = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        end = _ITEM_END.search(text, heading.end(), stop)
        items.append(text[heading.end() : end.start() if end else stop])
    titles = set()
    for a, b in zip(items, items[1:]):
        common: list[str] = []
        for x, y in zip(a.split(), b.split()):
            if x != y:
                break
            common.append(x)
        if common and len(common) < min(len(a.split()), len(b.split())):
            titles.add(" ".join(common))
    # two captions that happen to open alike ("Rescuers search…", "Rescuers carry…") would
    # lengthen their gallery's title: the shortest of those that extend one another is it
    return frozenset(t for t in titles if not any(t.startswith(o + " ") for o in titles))


def _between_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of text[start:end] between its "Hide Caption N of M" markers."""
    pieces = []
    at = start
    for marker in _ITEM_END.finditer(text, start, end):
        pieces.append((at, marker.start()))
        at = marker.end()
    pieces.append((at, end))
    return pieces


def _after_heading(text: str, start: int, end: int, titles: frozenset[str]) -> int:
    """Where a caption starts: past a leading "Photos:" heading and the gallery's title."""
    heading = _HEADING.match(text, start, end)
    if heading is None:
        return start
    start = heading.end()
    for title in sorted(titles, key=len, reverse=True):
        if text.startswith(title + " ", start):
            return start + len(title) + 1
    # a title not known (one caption of its gallery here) ends where a credit does
    credit = _CREDIT_LEAD.search(text, start, min(end, start + TITLE_CHARS))
    return credit.end() if credit else start
