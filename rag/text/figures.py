"""Figures in text: numbers given as quantities ("at least 63,500", "$230 million").

Used to tell whether a sentence answers a "how many/how much" question and to find articles
that give different figures for one quantity. Years and the day of a written date are not
figures. It does not judge whether two figures count the same thing; callers compare the
`unit` and `context` stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.dates import MONTHS
from rag.text.lexicon import terms

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE_RE = re.compile(
    r"(?P<qual>\b(?:at least|more than|over|nearly|almost|about|around|roughly|some|up to|"
    r"fewer than|less than|under|approximately|an estimated)\s+)?(?P<cur>\$)?"
    rf"(?P<num>{_NUMBER})(?:\s*(?P<scale>million|billion|thousand|percent|%))?", re.I)
_DAY_OF_DATE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.I)


@dataclass(frozen=True)
class FigureMention:
    """A number given as a quantity (not a year or the day of a date), with its context."""

    text: str  # as written: "at least 63,500"
    value: float
    unit: str  # stem of the word after it ("isra" for "Israelis")
    context: frozenset[str]  # stems of the words around it


def is_year(m: re.Match) -> bool:
    num = m.group("num")
    return bool(re.fullmatch(r"(19|20)\d\d", num)) and not m.group("qual") and not m.group("cur")


def has_figure(text: str) -> bool:
    """Whether `text` states a number other than a bare year."""
    return any(not is_year(m) for m in FIGURE_RE.finditer(text))


def figure_mentions(text: str) -> list[FigureMention]:
    found = []
    for m in FIGURE_RE.finditer(text):
        if is_year(m) or re.match(r"\s*(st|nd|rd|th)\b", text[m.end():]):
            continue
        before = text[max(0, m.start() - 40):m.start()]
        if _DAY_OF_DATE.search(before):
            continue  # the day of a date, not a figure
        after = text[m.end():].split()[:6]
        found.append(FigureMention(
            text=m.group(0).strip(), value=float(m.group("num").replace(",", "")),
            unit=next(iter(terms(after[0])), "") if after else "",
            context=frozenset(terms(" ".join(after) + " " + " ".join(before.split()[-3:])))))
    return found
