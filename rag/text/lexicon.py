"""The vocabulary every answering step shares: content words, names and their aliases.

`terms()` is what "the same wording" means across the product (stemmed content words and bare
numbers); `question_entities()` and `question_names()` find the names a question depends on,
`names_missing()` whether passages mention them under any spelling. Pure functions over text: no
models, no I/O. The word lists are `rag.text.stopwords`', the known aliases
`rag.text.aliases`'. It does not score sentences (`rag.answering.scoring`), read figures
(`rag.text.figures`) or tell what kind of answer a question wants (`rag.text.asked_kind`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import AbstractSet, Any, Sequence

from rag.text.aliases import ALIAS_OF, contains_phrase, initials, spelled_out
from rag.text.stopwords import QUESTION_STARTERS, STOPWORDS

__all__ = [
    "STOPWORDS",  # the vocabulary's stopwords, for callers that read them with the terms
    "WORD_RE",
    "Names",
    "akin",
    "cosine",
    "counted_terms",
    "mentions",
    "missing_entities",
    "name_alone",
    "names_missing",
    "question_entities",
    "question_names",
    "shared",
    "terms",
    "words",
]

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d")


def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


_STEM = _stemmer()


def words(text: str) -> list[str]:
    """The words and numbers of `text`, as written."""
    return WORD_RE.findall(text)


def terms(text: str) -> set[str]:
    """Stemmed content words and bare numbers: what 'the same wording' means here."""
    # a curly apostrophe read as a straight one: the stemmer drops "'s" ("Deif’s" is "deif"),
    # and news writes its possessives both ways
    found = [w.lower().replace("’", "'").strip("'-.,") for w in WORD_RE.findall(text)]
    found = [w.replace(",", "") if w[:1].isdigit() else w for w in found]
    content = [w for w in found if w and w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return set(_STEM.stemWords(content))


def akin(a: str, b: str) -> bool:
    """Same word up to an ending the stemmer keeps apart ("isra"/"israel", "north"/"northern")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def shared(wanted: AbstractSet[str], found: AbstractSet[str]) -> int:
    """How many of the `wanted` terms have an akin term among `found`."""
    return sum(any(akin(w, f) for f in found) for w in wanted)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def question_entities(question: str) -> list[str]:
    """Proper names and acronyms the question mentions (words capitalised mid-sentence).

    Left out, because a passage can answer without them: the question's first word and the
    first word of any later sentence of it (capitalised by position, not as a name: "…this
    week. Approximately how many…"), unless it is an acronym; calendar words (months and
    weekdays: when, not who); and the lower-case part of a hyphenated modifier
    ("Prize-winning" asks for "Prize", "U-turn" for nothing).
    """
    from rag.text.dates import MONTH_NUMBERS, WEEKDAYS

    found = []
    for i, match in enumerate(re.finditer(r"[A-Z][\w’'\-]*", question)):
        word = re.sub(r"[’']s$", "", match.group(0))
        if "-" in word:  # keep the capitalised parts before the first lower-case one
            parts = word.split("-")
            cut = next((k for k, p in enumerate(parts) if p[:1].islower()), len(parts))
            word = "-".join(parts[:cut])
        starts = match.start() == 0 or question[: match.start()].rstrip()[-1:] in '.?!"“¿¡('
        if (
            len(word) < 3
            or word.lower() in QUESTION_STARTERS
            or (starts and word.lower() in STOPWORDS)
        ):
            continue
        if starts and (i == 0 or not word.isupper()):
            continue
        if word.lower() in MONTH_NUMBERS or word.lower() in WEEKDAYS:
            continue
        found.append(word)
    return found


def mentions(entity: str, haystack: str) -> bool:
    """Whether lower-cased `haystack` mentions `entity`: as written, a plural as its singular,
    or a word sharing its first five letters or more ("Japanese" / "Japan", "Ukrainian" /
    "Ukraine"), which is how demonyms and adjectives relate to the names they come from."""
    e = entity.lower()
    if e in haystack or (e.endswith("s") and e[:-1] in haystack):
        return True
    if len(e) < 5:
        return False
    stem = e[: max(5, len(e) - 3)]
    return re.search(rf"(?<![a-z]){re.escape(stem)}", haystack) is not None


def counted_words(question: str) -> list[str]:
    """The words of X in a "how many X" question, as written ("Israeli", "soldiers")."""
    m = re.search(r"\bhow many\s+(.*)", question, re.I)
    if not m:
        return []
    counted = []
    for word in WORD_RE.findall(m.group(1)):
        if word.lower() in STOPWORDS:
            break
        counted.append(word)
    return counted


def counted_terms(question: str) -> set[str]:
    """What a "how many X" question counts: the stemmed words of X ("Israeli soldiers").
    "People" is no restriction: residents, Israelis and civilians are all people."""
    return terms(" ".join(counted_words(question))) - _ANYONE


_ANYONE = terms("people persons individuals")


_RUN = re.compile(r"[A-Z][\w’'\-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w’'\-]*)+")


@dataclass(frozen=True)
class Names:
    """The names a question depends on, read from it once to be looked for in many passages:
    each name (`question_entities`), and each run of capitalised words ("United Arab
    Emirates") with its initials and known aliases, which passages may write instead."""

    entities: tuple[str, ...]
    runs: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]  # words, initials, aliases


def question_names(question: str) -> Names:
    """The `Names` of `question`."""
    runs = []
    for run in _RUN.finditer(question):
        phrase = run.group(0).lower()
        runs.append(
            (tuple(run.group(0).split()), initials(phrase.split()), ALIAS_OF.get(phrase, ()))
        )
    return Names(tuple(question_entities(question)), tuple(runs))


def name_alone(name: str) -> Names:
    """The `Names` of one name read on its own: a question that mentions only it, with a
    placeholder first word so the name's own first word is not taken for a sentence opener."""
    return question_names(f"x {name}")


def names_missing(names: Names, haystack: str) -> list[str]:
    """The `names` that `haystack` (passage text) never mentions.

    A name counts as mentioned when it is there as written, as a plural's singular, under a
    known alias (U.S. / United States), as the acronym of a spelled-out name (IDF / Israel
    Defense Forces) or spelled out where the question uses the acronym.
    """
    lower = haystack.lower()
    words = re.findall(r"[a-z0-9][a-z0-9.'’\-]*", lower)
    explained: set[str] = set()
    # Runs of capitalised words ("United Arab Emirates") may be abbreviated in the articles.
    for run_words, acronym, aliases in names.runs:
        if (
            len(acronym) >= 2
            and (acronym in words or f"{'.'.join(acronym)}." in lower)
            or any(contains_phrase(lower, a) for a in aliases)
        ):
            explained.update(run_words)
    missing = []
    for entity in names.entities:
        e = entity.lower()
        if entity in explained or mentions(entity, lower):
            continue
        if any(contains_phrase(lower, a) for a in ALIAS_OF.get(e.replace("’", "'"), ())):
            continue
        if entity.isupper() and 2 <= len(entity) <= 6 and spelled_out(e, words):
            continue
        missing.append(entity)
    return missing


def missing_entities(question: str, haystack: str) -> list[str]:
    """Names `question` depends on that `haystack` (passage text) never mentions (see
    `names_missing`)."""
    return names_missing(question_names(question), haystack)
