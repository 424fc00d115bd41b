"""The spans of a text that are of the kind a question asks for (`rag.text.asked_kind`).

A figure for "how much", a year, a date, or a name of a person, place or thing (runs of
capitalised words). `answer_spans(text, kind, question)` finds candidates of that kind that
the question does not already contain (restating the question answers nothing). Finding
the answer is the trained reader's job (`rag.answering.reading`); these patterns check that
its span is of the kind asked for (and offer the candidates it picks among), tell whether a
sentence could answer at all (`could_answer`: a "how many" question needs a number, and one
counting things is not answered by a sentence whose only numbers count people), and serve
briefings and LLM mode's relevance gate. Telling which kind a question asks for is
`rag.text.asked_kind`'s.
"""

from __future__ import annotations

import re

from rag.text.dates import MONTHS, WEEKDAYS
from rag.text.figures import counts_only_people, figure_mentions, states_a_number
from rag.text.lexicon import names_missing, terms
from rag.text.places import places_in
from rag.text.question import Question
from rag.text.sentences import asks
from rag.text.stopwords import STOPWORDS

_NAME = re.compile(  # a number opens a name ("20th Century Fox"), never from inside one
    r"(?:[A-Z][\w’'&.\-]*|(?<![\d.,])\d+)(?:\s+(?:of|the|de|al|bin|von|van|and|for|"
    r"la|le|du|&)?\s*[A-Z][\w’'&.\-]*)*"
)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:early|mid|late|in|since|by|until)[\s-]+(?:{MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:{MONTHS})\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:last|this|next|on)\s+(?:{'|'.join(WEEKDAYS)})"
    rf"|(?:{'|'.join(WEEKDAYS)})"
    rf"|(?:in|since|by|until|from)\s+(?:19|20)\d\d"
    rf"|yesterday|today|tonight|last (?:week|month|year|night))\b",
    re.I,
)
_SENTENCE_OPENERS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "He",
    "She",
    "It",
    "They",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "We",
    "I",
    "You",
    "After",
    "Before",
    "When",
    "While",
    "As",
    "If",
    "For",
    "According",
    "However",
    "Also",
    "Meanwhile",
    "Some",
    "Many",
    "More",
    "Most",
    "Other",
    "Its",
    "There",
    "Here",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "So",
    "Then",
    "Now",
    "By",
    "From",
    "With",
    "Of",
    "To",
    "Under",
    "Over",
    "Since",
    "During",
    "Until",
    # quantifiers and the plural subjects news sentences open with
    "Several",
    "Both",
    "Each",
    "Every",
    "All",
    "Any",
    "Few",
    "Another",
    "One",
    "Two",
    "Three",
    "Officials",
    "Police",
    "Authorities",
    "Experts",
    "Scientists",
    "Researchers",
    "People",
    "Residents",
    "Critics",
    "Fans",
    "Investigators",
    "Prosecutors",
    "Lawmakers",
    "Analysts",
    "Witnesses",
}


# A gallery's words before its caption ("Hide Caption 25 of 49 Photos: …"), which were given
# as the short answer of who became prime minister
_PAGE_FURNITURE = frozenset({"Hide", "Caption", "Photo", "Photos"})


def _names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each run of capitalised words that names something."""
    found = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and (
            words[0] in _SENTENCE_OPENERS
            or words[0] in _PAGE_FURNITURE
            or words[0].lower() in STOPWORDS
            or words[0].lower() in WEEKDAYS
            or words[0].lower().rstrip(".") in MONTHS.split("|")
        ):
            words = words[1:]
        name = " ".join(words).rstrip(".,")
        if name and not name.isdigit() and len(name) > 1:
            start = m.start() + m.group(0).find(name)
            found.append((start, start + len(name), name))
    return found


_WORDS = re.compile(r"[a-z0-9]+")
_SHARE_ASKED = re.compile(r"\b(percentage|per ?cent)\b|%", re.I)
_AGE_ASKED = re.compile(r"\bhow old\b|\bages?\b|\baged\b", re.I)  # else an age answers no count
_SHARE = re.compile(r"%|\bper ?cent\b", re.I)


def answer_spans(
    text: str, kind: str | None, question: str | Question
) -> list[tuple[int, int, str]]:
    """(start, end, text) of each candidate answer of `kind` in `text` not in the question."""
    if kind is None:
        return []
    question = Question.of(question)
    asked = question.terms
    asked_text = question.text.lower()
    spans: list[tuple[int, int, str]] = []
    match kind:
        case "quantity":
            ages = bool(_AGE_ASKED.search(question.text))
            for f in figure_mentions(text):
                if f.measure == "age" and not ages:
                    continue  # "a 94-year-old man … died" gives no death toll
                at = text.find(f.text)
                spans.append((at, at + len(f.text), f.text))
            if _SHARE_ASKED.search(question.text):  # "what percentage": a share, not a count
                spans = [s for s in spans if _SHARE.search(s[2])]
        case "year":
            spans = [(m.start(), m.end(), m.group(0)) for m in _YEAR.finditer(text)]
        case "date":
            spans = [(m.start(), m.end(), m.group(0)) for m in _DATE.finditer(text)]
        case "person" | "place" | "name":
            spans = _names(text)
            if kind == "person":  # at least two words: a lone capital is too often a place
                # (costs "Adele"); and a word first: "500 Israelis" counts people, names none
                spans = [s for s in spans if len(s[2].split()) >= 2 and s[2][:1].isalpha()]
            if kind == "place" and question.place:  # "which nation": a country, not its leader
                spans = [
                    (start + a, start + b, value[a:b])
                    for start, _, value in spans
                    for a, b in places_in(value, question.place)
                ]
    fresh = []
    for start, end, value in spans:
        value_terms = terms(value)
        if value.lower() in asked_text or (value_terms and value_terms <= asked):
            continue  # the question already says it
        if kind in ("person", "place", "name") and _restates(value, question, kind):
            continue  # the question says it under another spelling ("IDF")
        fresh.append((start, end, value))
    return fresh


def _restates(value: str, question: Question, kind: str | None = None) -> bool:
    """Whether `value` names someone the question already names, in any spelling ("Israel
    Defense Forces" for "IDF", "Amos Hochstein" for "Hochstein"). For a person asked for,
    the last word of a name is enough, in any case: "Yoav Gallant" restates "who replaced
    gallant", where no capital marks the name, and "US Open" the question's "U.S. Open"."""
    if any(not names_missing(name, value) for name in question.each_name):
        return True
    last = value.split()[-1].lower().strip(".,'’")
    return kind == "person" and len(last) > 2 and last in _WORDS.findall(question.text.lower())


_WHEN_WORDS = re.compile(
    r"\b(yesterday|today|tonight|tomorrow|ago|earlier|later|last|next|this (week|month|year)|"
    r"morning|afternoon|evening|night|weekend|decade|century)\b",
    re.I,
)


def could_answer(text: str, question: str | Question) -> bool:
    """Whether `text` holds anything that could answer a question of the kind asked: a
    number for "how many", a time for "when", a name the question does not already say for
    a question led by "who" or "where" (of any length here). True when the question asks for
    no particular kind, and for "which X" questions, whose kind is read less surely. A
    sentence that is itself a question answers none."""
    if asks(text):
        return False
    question = Question.of(question)
    kind = question.kind
    match kind:
        case None:
            return True
        case "quantity":
            if not question.asks_for_a_number:
                return True
            ages = bool(_AGE_ASKED.search(question.text))
            return states_a_number(text, ages) and not (
                question.counts_things and counts_only_people(text)
            )
        case "year" | "date":
            return bool(
                answer_spans(text, kind, question) or _YEAR.search(text) or _WHEN_WORDS.search(text)
            )
        case _:  # only where "who" or "where" asks: "what happened to the island ferry" is
            # read as asking for a place, and its answer names none
            return not question.asks_who_or_where or bool(answer_spans(text, "name", question))
