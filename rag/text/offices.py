"""The office a question asks about, and the offices the articles give the people they name.

"Who was the U.S. ambassador to Lebanon?" asks for whoever holds one office, and the reader,
left to itself, answers with any official named near those words: Amos Hochstein (a US
special envoy) or Michael Herzog (Israel's ambassador to the US). An office here is a title
word ("ambassador", "minister"), its portfolio ("foreign", "defense", "prime"), the country it
serves ("U.S.", "Lebanese", "Israel's", "of Lebanon") and, for whoever is sent somewhere, the
country sent to ("to Lebanon"). `asked_office` reads the office a who/which question asks
for; `offices_of` reads the offices a text gives one name, written before it ("Israel’s
ambassador to the US Michael Herzog") or after it ("Amos Hochstein, US special envoy to the
region,", "Bridget Brink as US ambassador to Ukraine"); `Office.conflicts` tells when two
offices cannot be one: another title word, another portfolio, or another country on either
side, each only where both say.

What it leaves out: offices held at other times ("former", "then-" make no office here),
words that name no one office ("official", "member", "head", "general"; "chief" only in "chief
of staff"), offices of organisations rather than countries ("Hamas commander"), and who an
unnamed "the minister" is (`rag.text.coreference`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.text.aliases import ALIAS_OF
from rag.text.places import COUNTRIES, COUNTRY_OF_PEOPLE

# Title words, each under the office it names ("secretary" and "premier" are ministers).
_TITLE_OF = {
    "minister": "minister",
    "secretary": "minister",
    "premier": "minister",
    "ambassador": "ambassador",
    "envoy": "envoy",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "president": "president",
    "chancellor": "chancellor",
    "governor": "governor",
    "senator": "senator",
    "mayor": "mayor",
    "king": "king",
    "queen": "queen",
    "prosecutor": "prosecutor",
    "judge": "judge",
    "commander": "commander",
    "leader": "leader",
    "ceo": "ceo",
}
# What a minister is minister of, under one spelling each.
_PORTFOLIO_OF = {
    "prime": "prime",
    "defense": "defense",
    "defence": "defense",
    "foreign": "foreign",
    "finance": "finance",
    "treasury": "finance",
    "interior": "interior",
    "home": "interior",
    "health": "health",
    "justice": "justice",
    "energy": "energy",
    "economy": "economy",
    "economic": "economy",
    "education": "education",
    "trade": "trade",
    "commerce": "trade",
    "transport": "transport",
    "transportation": "transport",
    "agriculture": "agriculture",
    "labor": "labor",
    "labour": "labor",
    "environment": "environment",
    "press": "press",
    "vice": "vice",
    "deputy": "deputy",
}
# Words that may stand inside an office's phrase without changing which office it is.
_NEUTRAL = frozenset("special senior top new current acting chief".split())
# Offices of another time make no office for the one asked ("then-president", "ex-minister"
# are one word each, which no office phrase reads past either).
_OTHER_TIME = frozenset("former late outgoing ex".split())
# a word ("U.S.", "Israel’s"), never two glued by a missing space ("Ukraine.The"), or a mark
_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z\-]|\.(?![A-Z][a-z]))*(?:[’'][A-Za-z]+)?|[,;:!?()“”\"—–.]")
_POSSESSIVE = re.compile(r"[’']s?$")
_LINKS = frozenset("to of in for".split())


@dataclass(frozen=True)
class Office:
    """One office as written: its title (`_TITLE_OF`'s value), portfolio, the country it
    serves and the one it is sent to (empty where the text does not say)."""

    title: str
    portfolio: frozenset[str] = frozenset()
    serves: frozenset[str] = frozenset()
    sent_to: frozenset[str] = frozenset()

    def conflicts(self, other: Office) -> bool:
        """Whether the two cannot be one office: another title, another portfolio, or
        another country served or sent to, each only where both offices say."""
        return (
            self.title != other.title
            or _differ(self.portfolio, other.portfolio)
            or _differ(self.serves, other.serves)
            or _differ(self.sent_to, other.sent_to)
        )


def _differ(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b and not a & b)


@cache
def _countries() -> dict[str, str]:
    """Every spelling of a country, lower-cased, to one name for it."""
    named = {c.lower().rstrip("."): c.lower().rstrip(".") for c in COUNTRIES}
    # one name for all of a country's spellings: "U.S.", "United States" and "American"
    named.update({s.rstrip("."): group[0] for s, group in ALIAS_OF.items()})
    named.update(COUNTRY_OF_PEOPLE)
    return named


def _country(word: str) -> str | None:
    """The country a word names ("Israel’s", "Lebanese", "U.S."), or None."""
    return _countries().get(_POSSESSIVE.sub("", word).lower().rstrip("."))


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _read(words: list[str], at: int) -> tuple[Office, int] | None:
    """The office phrase starting at `words[at]` ("US special envoy to the region") and where
    it ends; None when no title comes after its modifiers or the office is of another time."""
    portfolio: set[str] = set()
    serves: set[str] = set()
    i = at
    while i < len(words) and i - at <= 5:
        w = words[i]
        low = _POSSESSIVE.sub("", w).lower().rstrip(".")
        if low in _OTHER_TIME:
            return None
        if low == "chief" and [x.lower() for x in words[i + 1 : i + 3]] == ["of", "staff"]:
            return Office("chief of staff", frozenset(portfolio), frozenset(serves)), i + 3
        if low in _TITLE_OF:
            title = _TITLE_OF[low]
            if low == "premier":
                portfolio.add("prime")
            end = i + 1
            sent_to: set[str] = set()
            if end + 1 < len(words) and words[end].lower() in _LINKS:
                j = end + 1 + (words[end + 1].lower() == "the")
                place = _country_at(words, j)
                if place:
                    country, j = place
                    (sent_to if words[end].lower() in ("to", "in") else serves).add(country)
                    end = j
                elif (
                    j < len(words)
                    and words[j].lower() in _PORTFOLIO_OF
                    and words[end].lower() == "of"
                ):
                    portfolio.add(_PORTFOLIO_OF[words[j].lower()])
                    end = j + 1
                elif j < len(words) and words[j].lower() == "state" and words[end].lower() == "of":
                    portfolio.add("foreign")  # the Secretary of State
                    end = j + 1
            return Office(title, frozenset(portfolio), frozenset(serves), frozenset(sent_to)), end
        place = _country_at(words, i)
        if place:
            serves.add(place[0])
            i = place[1]
        elif low in _PORTFOLIO_OF:
            portfolio.add(_PORTFOLIO_OF[low])
            i += 1
        elif low in _NEUTRAL or low in ("the", "a", "an"):
            i += 1
        else:
            return None
    return None


def _country_at(words: list[str], i: int) -> tuple[str, int] | None:
    """The country named by the words from `i` (up to three: "Saudi Arabia", "United Arab
    Emirates"), longest first, and where it ends."""
    for n in (3, 2, 1):
        if i + n <= len(words):
            country = _country(" ".join(words[i : i + n]))
            if country:
                return country, i + n
    return None


_ASKING = re.compile(
    r"^\s*(?:(?:who|whom)(?:['’]s|\s+(?:is|was|are|were|will\s+be|would\s+be|has\s+been|"
    r"had\s+been|became|becomes|serves\s+as|served\s+as))"
    r"|which|(?:(?:who|what)(?:['’]s|\s+is|\s+was)\s+)?(?:the\s+)?name\s+of)\s+(?:now\s+)?",
    re.I,
)


def asked_office(question: str) -> Office | None:
    """The office whose holder the question asks for ("who's the us ambassador to israel",
    "which Lebanese minister did Hochstein meet"), or None: a question asking something else
    of an office ("who did the US envoy meet?") or naming its holder ("who is Defense
    Minister Gallant?") asks for no holder."""
    found = _ASKING.match(question)
    if not found:
        return None
    words = _words(question[found.end() :])
    read = _read(words, 0)
    if read is None:
        return None
    office, end = read
    if end < len(words) and words[end][:1].isupper() and _country(words[end]) is None:
        return None  # "Defense Minister Gallant": the holder is named
    return office


def offices_of(name: str, text: str) -> list[Office]:
    """The offices `text` gives `name` (a person as the reader found it, "Michael Herzog"):
    the phrase before each mention of its last word, past any first names and ranks
    ("Israel’s ambassador to the US Michael Herzog"), and an appositive after it ("Amos
    Hochstein, US special envoy to the region,"), never across a sentence's end. Mentions of
    one title are one office, so "Defense Minister Yoav Gallant" and "Israeli Defense Minister
    Yoav Gallant" make one Israeli defense minister."""
    parts = _words(name)
    if not parts or not parts[-1][:1].isupper():
        return []
    last = _POSSESSIVE.sub("", parts[-1]).rstrip(".")
    merged: dict[str, Office] = {}
    for m in re.finditer(rf"\b{re.escape(last)}\b", text):
        for office in _before(_words(text[max(0, m.start() - 160) : m.start()])) + _after(
            _words(text[m.end() : m.end() + 160])
        ):
            had = merged.get(office.title)
            merged[office.title] = (
                office
                if had is None
                else Office(
                    office.title,
                    had.portfolio | office.portfolio,
                    had.serves | office.serves,
                    had.sent_to | office.sent_to,
                )
            )
    return list(merged.values())


def _ends_sentence(word: str) -> bool:
    """Whether a word closes a sentence ("spoke.", "?"), not an abbreviation ("Lt.", "U.S.")."""
    if word in ("!", "?", "."):
        return True
    return word.endswith(".") and len(word) > 4 and "." not in word[:-1]


def _before(words: list[str]) -> list[Office]:
    """The office written just before a name, past its first names and ranks."""
    floor = max((i + 1 for i, w in enumerate(words) if _ends_sentence(w)), default=0)
    k = len(words)
    while (
        k > floor
        and words[k - 1][:1].isupper()
        and _country(words[k - 1]) is None
        and (_POSSESSIVE.sub("", words[k - 1]).lower().rstrip(".") not in _TITLE_OF)
    ):
        k -= 1
    for start in range(max(floor, k - 9), k):
        read = _read(words, start)
        if read and read[1] >= k:  # the rest are names: "Secretary of State Antony"
            return [read[0]]
    return []


def _after(words: list[str]) -> list[Office]:
    """The office in an appositive after a name (", US special envoy to the region,"), named
    with "as" ("will nominate Bridget Brink as US ambassador to Ukraine") or said with "is"
    ("Brink is the current US ambassador to Slovakia"); not one
    followed by a name, which is the next item of a list ("Halevi, Israel’s ambassador to the
    US Michael Herzog")."""
    if words[:1] not in ([","], ["as"], ["is"], ["was"]):
        return []
    read = _read(words, 1)
    if read is None:
        return []
    office, end = read
    if end < len(words) and words[end][:1].isupper():
        return []
    return [office]


def holds_another_office(asked: Office | None, name: str, text: str) -> bool:
    """Whether everything `text` says of `name`'s office rules out the office asked: said at
    least once, and never compatibly. A name the text gives no office could be anyone."""
    if asked is None or not name:
        return False
    found = offices_of(name, text)
    return bool(found) and all(asked.conflicts(o) for o in found)
