"""What a figure in a briefing counts, so that only figures of one quantity are compared.

"Some 90,000 people have fled southern Lebanon" and "killing some 1,200 people" both count
people, yet one counts the displaced and the other the dead: setting them side by side as a
disagreement misinforms. A figure's *quantity* here is what is counted (the event
word nearest to it: killed, displaced, hostages, injured, …), its *measure* (a count, money,
a percentage, an age, a duration) and its value on one scale ("1.2 million" = 1,200,000).
Whom or where the count is of (a people, a place named in its clause: "Israelis", "fled
southern Lebanon") must agree too when both say it: 90,000 who fled Lebanon and 80,000
displaced in northern Israel are both "displaced", yet not one quantity.
Two figures are one quantity when their measures agree and their counted things agree; when
no event word is near either, the counted noun after the number must agree and the words
around them overlap. They must also be counts of one moment and one state: a figure said of
another year ("some 800,000 went unpaid during the 2018-19 shutdown"), a projection ("750,000
could be furloughed") or a count in another state ("48 remaining hostages", "20 alive",
"251 taken hostage") is not the same quantity as one without that, so the two never stand
side by side as a disagreement. Ages, durations and list positions ("1 of 16") are never disputed
figures.

What this leaves out: place and time frame of a count are not parsed; a briefing shows the
dates of the articles and says which is newer instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.dates import MONTHS
from rag.text.figures import FIGURE_RE, figure_value, is_age, is_year
from rag.text.lexicon import akin, terms

# event words -> the thing counted; stems are matched at word starts, so "evacuat" covers
# evacuated/evacuation/evacuees
KINDS: dict[str, tuple[str, ...]] = {
    "killed": (
        "kill",
        "dead",
        "death",
        "died",
        "die",
        "fatalit",
        "lives",
        "bodies",
        "massacre",
        "slain",
        "murder",
    ),
    "injured": ("injur", "wound", "hurt", "hospitali"),
    "displaced": (
        "displac",
        "fled",
        "flee",
        "evacuat",
        "homeless",
        "refugee",
        "uproot",
        "forced from",
        "left their homes",
        "return to their homes",
    ),
    "hostages": ("hostage", "captiv", "kidnap", "abduct", "held in gaza", "being held"),
    "arrested": ("arrest", "detain", "custody", "charged"),
    "missing": ("missing", "unaccounted"),
    "cases": ("case", "infect", "tested positive"),
    "rescued": ("rescu", "saved"),
    "rockets": ("rocket", "missile", "drone", "projectile", "mortar"),
    "votes": ("vote", "ballot"),
}
_DURATION = re.compile(
    r"^\s*(?:-|\s)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?"
    r"|decades?)\b",
    re.I,
)
# lengths, heights, distances, speeds, temperatures, areas: readings at places, not disputed
# counts ("a 175-mile drive", "13.88 feet at Corwin Springs" vs "15 feet at Billings")
_MEASUREMENT = re.compile(
    r"^\s*-?(?:feet|foot|ft|inch(?:es)?|miles?|mph|km|kilomet(?:er|re)s?|"
    r"met(?:er|re)s?|yards?|degrees?|acres?|square|pounds? of|tons?|"
    r"gallons?|litres?|liters?)\b",
    re.I,
)
_APPROXIMATE = {
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "approximately",
    "some",
    "an estimated",
}
_PLACES = re.compile(
    r"^\s*(?:[a-z-]+\s+)?(?:states|countries|nations|cities|counties|"
    r"provinces|territories|regions|towns|villages)\b",
    re.I,
)
_POSITION = re.compile(r"^\s*of\s+\d", re.I)
_OF_TOTAL = re.compile(r"\d\s+of\s*$", re.I)
_DAY_OF_DATE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.I)


@dataclass(frozen=True)
class Quantity:
    """One figure in a sentence and what it counts."""

    text: str  # as written: "at least 63,500"
    value: float  # on one scale: "1.2 million" -> 1_200_000
    measure: str  # count | money | percent
    kind: str  # the thing counted, from the nearest event word ("" when none is near)
    unit: str  # stem of the counted noun after the number ("isra")
    context: frozenset[str]
    who: frozenset[str] = frozenset()  # whom or where: "isra" for "Israelis", "lebanon"
    years: frozenset[str] = frozenset()  # years its clause names: "2018" of "the 2018-19 shutdown"
    projected: bool = False  # "could be furloughed", "expected to reach"
    state: frozenset[str] = frozenset()  # "remaining", "alive", "taken": which count of a kind


def quantities(text: str, minimum: float = 10) -> list[Quantity]:
    """The figures of `text` that could be disputed (ages, durations, years, positions and
    small counts below `minimum` left out)."""
    found = []
    for m in FIGURE_RE.finditer(text):
        after, before = text[m.end() :], text[max(0, m.start() - 60) : m.start()]
        if (
            is_year(m)
            or re.match(r"\s*(st|nd|rd|th)\b", after)
            or _DAY_OF_DATE.search(before)
            or re.search(r"\b\d{4}[-–/]$", before)  # "19" of "2018-19"
            or re.match(r"[A-Za-z]", after)  # a name's number: "Launchpad 39B", "5G", "3D"
        ):
            continue
        if (
            is_age(text, m)
            or _DURATION.match(after)
            or _POSITION.match(after)
            or _MEASUREMENT.match(after)
            or _OF_TOTAL.search(before)
        ):
            continue
        scale = (m.group("scale") or "").lower()
        value = figure_value(m)
        if value < minimum:
            continue
        measure = (
            "money"
            if m.group("cur") or re.match(r"\s*(dollars|euros|pounds)\b", after, re.I)
            else "percent"
            if scale in {"percent", "per cent", "%"}
            else "places"
            if _PLACES.match(after)
            else "count"
        )  # "44 states" counts no people
        years, projected, state = _frame(before, after)
        words_after = after.split()[:6]
        unit = next(iter(terms(words_after[0])), "") if words_after else ""
        found.append(
            Quantity(
                text=m.group(0).strip(),
                value=value,
                measure=measure,
                kind=_kind(before, after),
                unit=unit,
                context=frozenset(
                    terms(" ".join(words_after) + " " + " ".join(before.split()[-4:]))
                ),
                who=_who(unit, before, after),
                years=years,
                projected=projected,
                state=state,
            )
        )
    return found


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PROJECTED = re.compile(
    r"\b(?:could|would|might|may|projected|forecasts?|expected|estimated to|set to|"
    r"on track to|threatens? to)\b"
)
# which count of a kind a figure is: hostages still held against hostages taken at first
_STATES = {
    "remaining": ("remain", "still", "held", "being held", "holds", "holding", "currently"),
    "alive": ("alive", "living", "survivor"),
    "dead": ("dead", "deceased", "bodies", "remains"),
    "released": ("releas", "freed", "free", "returned", "swapped", "exchang"),
    "taken": ("taken", "took", "seized", "initially", "originally", "in all", "in total"),
}


def _clauses(before: str, after: str) -> tuple[str, str]:
    """The figure's own clause either side of it: "During the 2018-19 shutdown, some" and
    "federal workers went unpaid" of a longer sentence."""
    left = re.split(r"[;:.!?]|\band\b|,\s+(?:and|but|while|as|which|who)\b", before)[-1]
    right = re.split(
        r"[;:.!?]|,\s+(?:and|but|while|as|the)\b|\band\b|\bsince\b|\bwhen\b|\bafter\b",
        after,
    )[0]
    return left, right


def _frame(before: str, after: str) -> tuple[frozenset[str], bool, frozenset[str]]:
    """The moment and state a figure counts, from its own clause (see the module docstring):
    the years it names, whether it is a projection, and its state words."""
    left, right = _clauses(before, after)
    near = " ".join(left.split()[-6:] + right.split()[:8]).lower()
    state = frozenset(
        name
        for name, stems in _STATES.items()
        if any(re.search(rf"\b{re.escape(stem)}", near) for stem in stems)
    )
    years = frozenset(_YEAR.findall(left + " " + right))
    projected = bool(_PROJECTED.search(" ".join(left.split()[-4:] + right.split()[:6])))
    return years, projected, state


def _kind(before: str, after: str) -> str:
    """The thing counted: the event word nearest the figure, within its clause."""
    left = re.split(r"[;:.!?]|\band\b|,\s+(?:and|but|while|as)\b", before)[-1].lower()
    right = re.split(r"[;:.!?]|,\s+(?:and|but|while|as)\b|\band\b", after)[0].lower()
    right_words = right.split()[:8]
    left_words = left.split()[-5:]
    best: tuple[int, str] | None = None
    for kind, stems in KINDS.items():
        for stem in stems:
            for i, _ in enumerate(right_words):
                if " ".join(right_words[i:]).startswith(stem) or right_words[i].strip(
                    "“”\"'(),"
                ).startswith(stem):
                    if best is None or i + 1 < best[0]:
                        best = (i + 1, kind)
                    break
            for j in range(len(left_words)):
                word = left_words[-1 - j].strip("“”\"'(),")
                if word.startswith(stem) or " ".join(left_words[-1 - j :]).startswith(stem):
                    if best is None or j + 1 < best[0]:
                        best = (j + 1, kind)
                    break
    return best[1] if best else ""


def differ(a: Quantity, b: Quantity) -> bool:
    """Whether two figures of one quantity disagree: "almost 14" and "13.88" do not (an
    approximate figure within 5% of the other is the same figure rounded)."""
    if a.value == b.value:
        return False
    approximate = any(q.text.lower().startswith(w) for q in (a, b) for w in _APPROXIMATE)
    return not (approximate and abs(a.value - b.value) <= 0.05 * max(a.value, b.value))


_GENERIC = {
    "peopl",
    "person",
    "resid",
    "civilian",
    "individu",
    "other",
    "more",
    "total",
    "citizen",
    "men",
    "women",
    "children",
    "famili",
    "household",
    "inhabit",
}
_NAME = re.compile(
    rf"(?<![.!?]\s)(?<!^)\b(?!(?i:{MONTHS}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)\b)[A-Z][a-z]{2,}\b"
)  # a month or a weekday is a time, not whom or where


def _who(unit: str, before: str, after: str) -> frozenset[str]:
    """Whom or where a count is of: the counted noun when it names a people or group
    ("Israelis"), and the names of places near it in its clause ("fled southern Lebanon",
    "residents of northern Israel")."""
    clause_after = re.split(
        r"[;:.!?]|,\s+(?:and|but|while|as|the)\b|\bsince\b|\bby\b|"
        r"\bafter\b|\bwhen\b",
        after,
    )[0]
    found = (
        set()
        if unit in _GENERIC or not unit
        else {unit} & set(terms(" ".join(_NAME.findall(" " + after[:40]))))
    )
    found |= set(terms(" ".join(_NAME.findall(" " + " ".join(clause_after.split()[:8])))))
    found |= {_SCOPE[w] for w in re.findall(r"[a-z]+", clause_after.lower()) if w in _SCOPE}
    return frozenset(found)


# where a count is of, said without a name: "in 49 countries" is not "in the US"
_SCOPE = {
    "countries": "countri",
    "worldwide": "world",
    "globally": "world",
    "global": "world",
    "nationwide": "nation",
    "states": "state",
}


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Whether two figures count the same thing on the same scale (see the module docstring)."""
    if a.measure != b.measure:
        return False
    if a.years != b.years or a.projected != b.projected or a.state != b.state:
        return False  # another moment or another state of the count (see the docstring)
    if a.who and b.who and not any(akin(x, y) for x in a.who for y in b.who):
        return False  # people who fled Lebanon are not the displaced of northern Israel
    if a.kind or b.kind:
        return a.kind == b.kind
    if not (a.unit and b.unit and akin(a.unit, b.unit)):
        return False
    shared = sum(any(akin(x, y) for y in b.context) for x in a.context)
    return shared >= 2
