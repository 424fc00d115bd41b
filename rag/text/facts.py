"""Hard facts in text: dates, figures, weekdays, months, quoted words and names, compared
in one normalised form.

"January 4, 2024", "4 Jan 2024" and "2024-01-04" are one date; "$230 million" and "230
million US dollars" one sum; "1,200" and "1200" one number. `hard_facts` lists what a
sentence states that a passage backing it must also contain, `missing_facts` what a passage
lacks of them, `figures_and_dates` the figures and dates alone. The citation check
(`rag.answering.citecheck`) and briefings' same-fact test (`rag.briefing.paraphrase`) both
read facts here, so they agree on what "the same figure" is.
What it leaves out: the kind of answer a question asks for (`rag.text.asked_kind`),
quantities with what they count (`rag.briefing.quantities`), and dates relative to an
article's own date (`rag.briefing.when`).
"""

from __future__ import annotations

import re

from rag.text.dates import MONTH_NUMBERS, WEEKDAYS, dates_in
from rag.text.quotes import QUOTED

__all__ = [
    "figures_and_dates",
    "folded",
    "contains_fact",
    "hard_facts",
    "missing_facts",
    "normalise",
]

_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SCALE = r"(?:million|billion|trillion|thousand)"
_FIGURE = re.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?: {_SCALE})?(?: dollars)?")
_MONEY = re.compile(rf"(?:us)?\$ ?(\d+(?:\.\d+)?)(?: ?({_SCALE}|bn|m)\b)?")
_SCALE_ABBR = {"bn": "billion", "m": "million"}
_FULL_MONTHS = [m for m in MONTH_NUMBERS if len(m) > 4 or m in ("may", "june", "july")]
# "May" is a month only beside a number or after a preposition; otherwise it is the verb.
_MONTH = re.compile(
    r"\b(?:(?:(?:in|on|since|of|by|until|last|next|early|late) |mid-?)May\b"
    r"|May(?= \d)|" + "|".join(m.capitalize() for m in _FULL_MONTHS if m != "may") + r")\b"
)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'\-]{2,}(?:\s+[A-Z][a-zA-Z’'\-]{2,})*")
# Capitalised words that are not names: calendar words and sentence openers.
_NOT_NAMES = {w.capitalize() for w in (*MONTH_NUMBERS, *WEEKDAYS)} | {
    "The",
    "This",
    "That",
    "These",
    "He",
    "She",
    "They",
    "It",
    "His",
    "Her",
    "Their",
    "According",
    "However",
    "Also",
    "But",
}


def folded(text: str) -> str:
    """Lower case, straight quotes, no thousands separators, single spaces."""
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return " ".join(text.lower().split())


def _money(m: re.Match[str]) -> str:
    scale = _SCALE_ABBR.get(m.group(2) or "", m.group(2) or "")
    return f"{m.group(1)} {scale} dollars".replace("  ", " ")


def normalise(text: str) -> str:
    """`text` as facts are compared: dates as ISO, money as "N scale dollars", lower case.

    "January 4, 2024", "4 Jan 2024" and "2024-01-04" all read "2024-01-04"; "$230 million"
    and "230 million US dollars" both read "230 million dollars"; "1,200" reads "1200".
    """
    for start, end, day in reversed(dates_in(text)):
        text = f"{text[:start]}{day.isoformat()}{text[end:]}"
    text = folded(text).replace(" us dollars", " dollars")
    return _MONEY.sub(_money, text)


def hard_facts(claim: str) -> list[str]:
    """What a supporting passage must contain: dates, figures, weekdays, months, quoted words
    and proper names (dates and figures in `normalise`d form)."""
    facts = _dates_and_figures(claim)
    undated = claim
    for start, end, _day in reversed(dates_in(claim)):
        undated = undated[:start] + " " + undated[end:]
    facts += [m.group(1).lower() for m in _WEEKDAY.finditer(undated)]
    facts += [re.findall(r"[A-Za-z]+", m.group(0))[-1].lower() for m in _MONTH.finditer(undated)]
    facts += [m.group(1).strip() for m in QUOTED.finditer(claim)]
    for m in _NAME.finditer(claim):
        words = [w for w in m.group(0).split() if w not in _NOT_NAMES]
        if words:
            facts.append(" ".join(words))
    return list(dict.fromkeys(facts))


def contains_fact(passage: str, fact: str, passage_normalised: str | None = None) -> bool:
    """Whether `fact` occurs in the passage (`passage` is `folded`, the other `normalise`d)."""
    fact_n = folded(fact)
    for haystack in (passage, passage_normalised or normalise(passage)):
        if fact_n[:1].isdigit():  # a figure or a date: not part of a longer number
            if re.search(rf"(?<![\d.]){re.escape(fact_n)}(?![\d])", haystack):
                return True
        elif fact[:1].islower():  # a weekday or a month: a whole word
            if re.search(rf"\b{re.escape(fact_n)}\b", haystack):
                return True
        elif fact_n in haystack:
            return True
    if fact[:1].isupper():  # a name: each word (Gallant, "Yoav Gallant") may stand apart
        return all(w.lower().rstrip("'s") in passage for w in fact_n.split())
    return False


def missing_facts(claim: str, passage_text: str) -> list[str]:
    """The hard facts of `claim` that `passage_text` does not contain."""
    plain, normalised = folded(passage_text), normalise(passage_text)
    return [f for f in hard_facts(claim) if not contains_fact(plain, f, normalised)]


def figures_and_dates(text: str) -> set[str]:
    """The figures and ISO dates `text` states, `normalise`d ("$230 million" → "230 million
    dollars", "January 4, 2024" → "2024-01-04")."""
    return set(_dates_and_figures(text))


def _dates_and_figures(text: str) -> list[str]:
    """ISO dates, then figures outside them, in the `normalise`d text, in order."""
    norm = normalise(text)
    return _ISO.findall(norm) + [m.group(0) for m in _FIGURE.finditer(_ISO.sub(" ", norm))]
