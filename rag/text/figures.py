"""Figures in text: numbers given as quantities ("at least 63,500", "$230 million").

Used to tell whether a sentence answers a "how many/how much" question and to find articles
that give different figures for one quantity. Years and the day of a written date are not
figures. Each figure gets a coarse `measure` (money, percent, time, distance, weight or a
count) and, for counts, the `outcome` it counts (killed, injured, displaced, ...) so that
`comparable()` can refuse to set 40 minutes beside 12 deaths. It is word-based: it does not
understand what is counted beyond those classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.dates import MONTHS
from rag.text.lexicon import WORD_RE, counted_words, terms
from rag.text.places import is_people_of_a_country

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE_RE = re.compile(
    r"(?P<qual>\b(?:at least|more than|over|nearly|almost|about|around|roughly|some|up to|"
    r"fewer than|less than|under|approximately|an estimated)\s+)?(?P<cur>[$£€])?"
    rf"(?P<num>{_NUMBER})(?:\s*(?P<scale>million|billion|trillion|thousand|percent|per cent|%))?",
    re.I,
)
_DAY_OF_DATE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.I)
# someone's age: "a 94-year-old man", "a 6-month-old", "aged 41", and a number just after a
# name between commas or in brackets ("Yamagami, 41," / "Abe (67)")
_AGE_AFTER = re.compile(r"^\s*(?:-|\s)?(?:years?|months?|weeks?)[- ]old\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:aged?|age of)\s*$", re.I)
_AFTER_NAME = re.compile(r"[A-Z][\w'’-]+\s*[,(]\s*$")


def _stems(*words: str) -> frozenset[str]:
    return frozenset(terms(" ".join(words)))


# The unit word after a figure decides what it measures; anything else is a count of things.
_MEASURES: dict[str, frozenset[str]] = {
    "money": _stems(
        "dollars",
        "dollar",
        "euros",
        "euro",
        "pounds",
        "sterling",
        "yen",
        "yuan",
        "rupees",
        "shekels",
        "francs",
        "cents",
        "usd",
        "eur",
    ),
    "time": _stems(
        "seconds",
        "minutes",
        "mins",
        "hours",
        "hrs",
        "days",
        "weeks",
        "months",
        "years",
        "decades",
        "centuries",
        "nights",
    ),
    "distance": _stems(
        "kilometres",
        "kilometers",
        "km",
        "miles",
        "metres",
        "meters",
        "feet",
        "foot",
        "yards",
        "inches",
        "centimetres",
        "centimeters",
        "cm",
        "mm",
        "nautical",
    ),
    "weight": _stems("tonnes", "tons", "kilograms", "kg", "kilos", "grams", "lbs"),
}
# What a count of people counts: the nearest of these words around the figure. Figures for
# different outcomes (12 killed, 80,000 displaced) are different quantities.
_OUTCOMES: dict[str, frozenset[str]] = {
    "killed": _stems(
        "killed",
        "dead",
        "died",
        "die",
        "dies",
        "deaths",
        "death",
        "toll",
        "fatalities",
        "perished",
        "bodies",
        "slain",
        "fatal",
    ),
    "injured": _stems(
        "injured", "injuries", "wounded", "hurt", "hospitalised", "hospitalized", "casualties"
    ),
    "displaced": _stems(
        "displaced",
        "evacuated",
        "evacuees",
        "fled",
        "flee",
        "fleeing",
        "homeless",
        "uprooted",
        "refugees",
        "evacuation",
    ),
    "missing": _stems("missing", "unaccounted"),
    "detained": _stems(
        "arrested",
        "detained",
        "held",
        "hostages",
        "hostage",
        "captive",
        "captives",
        "prisoners",
        "jailed",
        "abducted",
        "kidnapped",
    ),
}
# Words for people a count may use ("60,000 residents"); a capitalised plural after a figure
# ("60,000 Israelis") names people too.
_PEOPLE = _stems(
    "people persons individuals residents civilians citizens inhabitants adults children kids "
    "men women soldiers troops fighters militants police officers workers employees staff "
    "students patients voters migrants refugees passengers victims members families "
    "households hostages prisoners captives fans visitors tourists"
)
_OUTCOME_AFTER = 10  # words after the figure that may say what it counts
_OUTCOME_BEFORE = 5


@dataclass(frozen=True)
class FigureMention:
    """A number given as a quantity (not a year or the day of a date), with its context."""

    text: str  # as written: "at least 63,500"
    value: float  # with its scale word: "$44 billion" is 44e9, as "$44,000,000,000" is
    unit: str  # stem of the word after it ("isra" for "Israelis")
    context: frozenset[str]  # stems of the words around it
    measure: str = "count"  # money, percent, time, distance, weight, age or count
    outcome: str = ""  # for counts: killed, injured, displaced, missing, detained or unknown
    of_people: bool = False  # the word after it names people ("residents", "Israelis")


# "$44 billion" is the figure $44,000,000,000 writes: a value counts its scale word
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def figure_value(m: re.Match[str]) -> float:
    """The value a `FIGURE_RE` match writes, on one scale ("1.2 million" is 1,200,000)."""
    return float(m.group("num").replace(",", "")) * _SCALE.get((m.group("scale") or "").lower(), 1)


def comparable(a: FigureMention, b: FigureMention) -> bool:
    """Whether two figures can count the same thing: the same measure and, when both say what
    they count, the same outcome (40 minutes is not a death toll; 12 killed is not 80,000
    displaced)."""
    if a.measure != b.measure:
        return False
    return not (a.outcome and b.outcome) or a.outcome == b.outcome


def _measure(m: re.Match[str], unit: str) -> str:
    scale = (m.group("scale") or "").lower()
    if scale in ("percent", "per cent", "%"):
        return "percent"
    if m.group("cur"):
        return "money"
    return next((name for name, stems in _MEASURES.items() if unit in stems), "count")


def _outcome(before: str, after: str) -> str:
    """The outcome word nearest the figure (after it first, as in "12 people died")."""
    following = [next(iter(terms(w)), "") for w in WORD_RE.findall(after)[:_OUTCOME_AFTER]]
    preceding = [next(iter(terms(w)), "") for w in WORD_RE.findall(before)[-_OUTCOME_BEFORE:]]
    nearest = [w for pair in zip(following, reversed(preceding)) for w in pair]
    nearest += following[len(preceding) :] + list(reversed(preceding))[len(following) :]
    for word in nearest:
        for name, stems in _OUTCOMES.items():
            if word in stems:
                return name
    return ""


def is_age(text: str, m: re.Match[str]) -> bool:
    """Whether the figure `m` of `text` is someone's age: "a 94-year-old man … died" gives no
    death toll, and two victims' ages are not two articles disagreeing on one."""
    if m.group("cur"):
        return False
    after, before = text[m.end() :], text[max(0, m.start() - 60) : m.start()]
    return bool(
        _AGE_AFTER.match(after)
        or _AGE_BEFORE.search(before)
        or (_AFTER_NAME.search(before) and re.match(r"\s*[,)]", after))
    )


def is_year(m: re.Match[str]) -> bool:
    num = m.group("num")
    return bool(re.fullmatch(r"(19|20)\d\d", num)) and not m.group("qual") and not m.group("cur")


def puts_an_amount(text: str) -> bool:
    """Whether `text` puts an amount on something: a sum of money, a share, or a quantity in
    millions or more ("estimated at $45 billion to $55 billion"). An analyst's amount is a
    figure of the news, where the same analyst's words alone are a view of it."""
    return any(f.measure in ("money", "percent") or f.value >= 1e6 for f in figure_mentions(text))


def has_figure(text: str) -> bool:
    """Whether `text` states a number other than a bare year."""
    return any(not is_year(m) for m in FIGURE_RE.finditer(text))


# Numbers written in words, each at the index of its value (briefings read "six" as 6).
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()

# Numbers news writes in words: "two people", "dozens of rockets", "his fourth trip",
# "doubling the number of trucks".
_A_NUMBER_IN_WORDS = re.compile(
    r"\b(" + "|".join(NUMBER_WORDS[1:]) + r"|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|scores of|half|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|once|twice|"
    r"doubl(e|ed|ing)|tripl(e|ed|ing)|quadrupl(e|ed|ing)|\d+(st|nd|rd|th))\b",
    re.I,
)


def counts_only_people(text: str) -> bool:
    """Whether every number `text` gives counts people ("More than 60,000 Israelis have been
    displaced since Hezbollah began firing rockets" gives no number of rockets), none written
    in words."""
    mentions = figure_mentions(text)
    return (
        bool(mentions)
        and all(f.measure == "count" and f.of_people for f in mentions)
        and not _A_NUMBER_IN_WORDS.search(text)
    )


def _is_people_word(stem: str) -> bool:
    """Whether a stemmed word names people, or what befalls people (killed, displaced, held)."""
    return stem in _PEOPLE or any(stem in stems for stems in _OUTCOMES.values())


def counts_things(question: str) -> bool:
    """Whether a "how many X" question counts things, not people: X opens in lower case (not
    "Americans", "Israeli soldiers"), none of its words names people or what befalls them
    ("rockets", "aid trucks entered Gaza"; not "hostages", "people displaced") and it is not
    a country's people in lower case ("israelis"; "chinese cars" still counts things)."""
    words = counted_words(question)
    return (
        bool(words)
        and words[0][:1].islower()
        and not any(_is_people_word(t) for t in terms(" ".join(words)))
        and not is_people_of_a_country(words[-1])  # "how many israelis", typed in lower case
    )


def states_a_number(text: str, ages: bool = True) -> bool:
    """Whether `text` gives a number in figures (not a bare year or a date's day) or in
    words: what any answer to "how many" or "how much" must hold. `ages=False`: someone's
    age is no such number (it answers only "how old")."""
    return any(ages or f.measure != "age" for f in figure_mentions(text)) or bool(
        _A_NUMBER_IN_WORDS.search(text)
    )


_ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")


def figure_mentions(text: str) -> list[FigureMention]:
    found = []
    dates = [d.span() for d in _ISO_DATE.finditer(text)]
    for m in FIGURE_RE.finditer(text):
        if is_year(m) or re.match(r"\s*(st|nd|rd|th)\b", text[m.end() :]):
            continue
        if any(start <= m.start() < end for start, end in dates):
            continue  # the month or day of 2024-05-03, not a figure
        before = text[max(0, m.start() - 40) : m.start()]
        if _DAY_OF_DATE.search(before):
            continue  # the day of a date, not a figure
        after = text[m.end() :].split()[:6]
        unit = next(iter(terms(after[0])), "") if after else ""
        word = after[0].strip(",.;:!?)”’\"'") if after else ""
        measure = "age" if is_age(text, m) else _measure(m, unit)
        clause = re.split(r"[;:.!?]\s", text[m.end() :], maxsplit=1)[0]
        lead = re.split(r"[;:.!?]\s", text[max(0, m.start() - 80) : m.start()])[-1]
        found.append(
            FigureMention(
                text=m.group(0).strip(),
                value=figure_value(m),
                unit=unit,
                context=frozenset(terms(" ".join(after) + " " + " ".join(before.split()[-3:]))),
                measure=measure,
                outcome=_outcome(lead, clause) if measure == "count" else "",
                of_people=unit in _PEOPLE or (word[:1].isupper() and word.endswith("s")),
            )
        )
    return found
