"""The parties of a sentence: the names in it, the titles they carry, and when two names are
one person or body.

"Defense Minister Yoav Gallant" and "Gallant" are one party, "Secretary Austin and Minister
Gallant" are two, and two names ending in "Ministry" are not the same one. Names are
`rag.text.answer_kinds`' runs of capitalised words. What it leaves out: what a party did or
said (`rag.text.roles`) and what "he" or "the minister" stands for (`rag.text.coreference`).
"""

from __future__ import annotations

import re

from rag.text.answer_kinds import _names  # the product's name finder
from rag.text.dates import MONTH_NUMBERS, WEEKDAYS
from rag.text.descriptions import TITLE_WORDS
from rag.text.lexicon import name_alone, names_missing

TITLES = "|".join(TITLE_WORDS)  # a regex alternation of the title words
TITLE_WORD = re.compile(rf"\b(?i:{TITLES})\b")
# Heads of organisation names: two names ending in "Ministry" are not the same one.
_GENERIC = frozenset(
    "ministry department office forces force army party council court house command "
    "government police agency committee union state states authority service group news "
    "times post".split()
)


def names_in(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name in `sentence`, calendar words left out (the finder
    keeps "Wednesday." when a full stop follows it)."""
    found = []
    for start, end, name in _names(sentence):
        name = name.rstrip(".")
        if name.lower() not in WEEKDAYS and name.lower() not in MONTH_NUMBERS:
            found.append((start, start + len(name), name))
    return found


def split_parties(name: str | None) -> tuple[str, ...]:
    """The parties a name stands for: "Secretary Austin and Minister Gallant" is two."""
    if not name:
        return ()
    return tuple(p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", name) if p.strip())


def _key(name: str) -> set[str]:
    """The capitalised words of a name, lower-cased, without a possessive "’s"."""
    words = [re.sub(r"[’']s?$", "", w) for w in name.split()]
    return {w.lower() for w in words if w[:1].isupper()}


def _surname(name: str) -> str:
    """The last capitalised word of a name before any "of" ("Austin", "Ministry")."""
    words = [re.sub(r"[’']s?$", "", w) for w in name.split(" of ")[0].split()]
    capital = [w for w in words if w[:1].isupper()]
    return capital[-1].lower() if capital else ""


def same_party(a: str, b: str) -> bool:
    """Whether two names are one person or body: "Gallant" / "Defense Minister Yoav Gallant",
    "Secretary Austin" / "Lloyd Austin", "IDF" / "Israel Defense Forces"."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka <= kb or kb <= ka:
        return True
    if (last := _surname(a)) and last == _surname(b) and last not in _GENERIC:
        return True
    return any(
        (alone := name_alone(x)).entities and not names_missing(alone, y)
        for x, y in ((a, b), (b, a))
    )


def has_party(party: str, names: tuple[str, ...]) -> bool:
    """Whether one of `names` is `party` under any of its names."""
    return any(same_party(party, n) for n in names)
