"""What a figure in a briefing counts, so that only figures of one quantity are compared.

"Some 90,000 people have fled southern Lebanon" and "killing some 1,200 people" both count
people, yet one counts the displaced and the other the dead: setting them side by side as a
disagreement (issue 15) misinforms. A figure's *quantity* here is what is counted (the event
word nearest to it: killed, displaced, hostages, injured, …), its *measure* (a count, money,
a percentage, an age, a duration) and its value on one scale ("1.2 million" = 1,200,000).
Two figures are one quantity when their measures agree and their counted things agree; when
no event word is near either, the counted noun after the number must agree and the words
around them overlap. Ages, durations and list positions ("1 of 16") are never disputed
figures.

What this leaves out: place and time frame of a count are not parsed; a briefing shows the
dates of the articles and says which is newer instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.dates import MONTHS
from rag.text.figures import FIGURE_RE, is_year
from rag.text.lexicon import akin, terms

# event words -> the thing counted; stems are matched at word starts, so "evacuat" covers
# evacuated/evacuation/evacuees
KINDS: dict[str, tuple[str, ...]] = {
    "killed": ("kill", "dead", "death", "died", "die", "fatalit", "lives", "bodies",
               "massacre", "slain", "murder"),
    "injured": ("injur", "wound", "hurt", "hospitali"),
    "displaced": ("displac", "fled", "flee", "evacuat", "homeless", "refugee", "uproot",
                  "forced from", "left their homes", "return to their homes"),
    "hostages": ("hostage", "captiv", "kidnap", "abduct", "held in gaza", "being held"),
    "arrested": ("arrest", "detain", "custody", "charged"),
    "missing": ("missing", "unaccounted"),
    "cases": ("case", "infect", "tested positive"),
    "rescued": ("rescu", "saved"),
    "rockets": ("rocket", "missile", "drone", "projectile", "mortar"),
    "votes": ("vote", "ballot"),
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_AGE = re.compile(r"^\s*(?:-|\s)?years?[- ]old", re.I)
_AFTER_NAME = re.compile(r"[A-Z][\w'’-]+\s*[,(]\s*$")  # "Yamagami, 41," / "Abe (67)"
_DURATION = re.compile(r"^\s*(?:-|\s)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?"
                       r"|decades?)\b", re.I)
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


def quantities(text: str, minimum: float = 10) -> list[Quantity]:
    """The figures of `text` that could be disputed (ages, durations, years, positions and
    small counts below `minimum` left out)."""
    found = []
    for m in FIGURE_RE.finditer(text):
        after, before = text[m.end():], text[max(0, m.start() - 60):m.start()]
        if is_year(m) or re.match(r"\s*(st|nd|rd|th)\b", after) or _DAY_OF_DATE.search(before):
            continue
        age = _AGE.match(after) or (_AFTER_NAME.search(before) and re.match(r"\s*[,)]", after))
        if (age and not m.group("cur")) or _DURATION.match(after) or _POSITION.match(after) \
                or _OF_TOTAL.search(before) or re.search(r"\b(?:aged?|age of)\s*$", before,
                                                          re.I):
            continue
        scale = (m.group("scale") or "").lower()
        value = float(m.group("num").replace(",", "")) * _SCALE.get(scale, 1)
        if value < minimum:
            continue
        measure = "money" if m.group("cur") or re.match(r"\s*(dollars|euros|pounds)\b",
                                                        after, re.I) else \
            "percent" if scale in {"percent", "%"} else "count"
        words_after = after.split()[:6]
        found.append(Quantity(
            text=m.group(0).strip(), value=value, measure=measure,
            kind=_kind(before, after), unit=next(iter(terms(words_after[0])), "")
            if words_after else "",
            context=frozenset(terms(" ".join(words_after) + " " + " ".join(
                before.split()[-4:])))))
    return found


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
                if " ".join(right_words[i:]).startswith(stem) or \
                        right_words[i].strip("“”\"'(),").startswith(stem):
                    if best is None or i + 1 < best[0]:
                        best = (i + 1, kind)
                    break
            for j in range(len(left_words)):
                word = left_words[-1 - j].strip("“”\"'(),")
                if word.startswith(stem) or " ".join(left_words[-1 - j:]).startswith(stem):
                    if best is None or j + 1 < best[0]:
                        best = (j + 1, kind)
                    break
    return best[1] if best else ""


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Whether two figures count the same thing on the same scale (see the module docstring)."""
    if a.measure != b.measure:
        return False
    if a.kind or b.kind:
        return a.kind == b.kind
    if not (a.unit and b.unit and akin(a.unit, b.unit)):
        return False
    shared = sum(any(akin(x, y) for y in b.context) for x in a.context)
    return shared >= 2
