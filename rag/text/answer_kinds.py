"""What kind of thing a question asks for, and the spans of a text that are of that kind.

"How much did the pier cost?" wants a figure, "What year did it debut?" a year, "When did
Gallant meet Hochstein?" a date, "Who leads Hamas's army?" a person, "Where was the event?"
a place, "Which show was renewed?" a name (things named with capitals: shows, companies,
teams, awards). "Which disease…?" or "Which currency…?" ask for things written in lower case
that no pattern can tell from other words, so they get no kind. `answer_spans(text, kind,
question)` finds candidates of that kind that the question does not already contain
(restating the question answers nothing). Finding the answer is the trained reader's job
(`rag.answering.reading`); these patterns only check that its span is of the kind asked for
before it is shown in bold, and serve briefings and LLM mode's relevance gate.
"""

from __future__ import annotations

import re

from rag.text.dates import MONTHS, WEEKDAYS
from rag.text.figures import figure_mentions
from rag.text.lexicon import STOPWORDS, missing_entities, question_entities, terms
from rag.text.sentences import sentence_spans

KINDS = ("quantity", "year", "date", "person", "place", "name")

# "which" or "what", then up to three modifiers ("which high-ranking US official"); not a
# possessive, which names another thing ("which state's governor" asks for a state)
_WHICH = r"\b(?:which|what) (?:[\w\-]+ ){0,3}?"

_KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "quantity",
        re.compile(
            r"\bhow (many|much)\b|\bnumber of\b|\bwhat (figure|percentage|"
            r"share|amount|sum|price|cost|percent)\b|\bhow (large|big|long|far|"
            r"old|tall)\b",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(what|which) year\b|\bin what year\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*when\b|\b(from|since|until|till|by) when\b|\bwhen\s*\?|"
            r"\b(what|which) (date|day|month|week)\b|\bon what day\b|"
            r"\bwhat time\b",
            re.I,
        ),
    ),
    (
        "person",
        re.compile(
            r"^\s*who(m|se)?\b|\bwhich (?:[\w\-]+ ){0,3}?officials?\b|" + _WHICH + r"(minister|"
            r"leader|person|man|woman|general|envoy|commander|actor|actress|"
            r"singer|player|politician|senator|president|ceo|executive|candidate|"
            r"star|popstar|celebrity|judge|justice|lawmaker|athlete|musician|"
            r"rapper|author|writer|director|journalist|governor|mayor|champion|"
            r"coach|manager|referee|quarterback|pitcher|golfer|boxer|footballer|"
            r"host|anchor|comedian|billionaire|founder|chef|king|queen|prince|"
            r"princess|monarch|pope|royal|astronaut|scientist|activist|"
            r"businessman|businesswoman|entrepreneur|investor|spokesperson|"
            r"spokesman|spokeswoman|suspect|gunman|lawyer|attorney|prosecutor|"
            r"owner|secretary|speaker|chancellor|premier|dictator|nominee|"
            r"legend|designer|artist|composer|influencer|chairman|chairwoman)"
            r"s?\b",
            re.I,
        ),
    ),
    (
        "place",
        re.compile(
            r"^\s*where\b|^\s*in which\b|" + _WHICH + r"(city|cities|country|"
            r"countries|state|nation|town|region|province|island|county|capital|"
            r"continent|place|airport|port|park)\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            _WHICH + r"(company|companies|show|film|movie|team|"
            r"party|organi[sz]ation|agency|brand|app|book|song|album|network|"
            r"airline|bank|university|college|school|award|awards|festival|storm|"
            r"hurricane|ship|platform|game|series|retailer|restaurant|chain|"
            r"newspaper|magazine|channel|church|club|league|tournament|group|"
            r"automaker|carrier|studio|firm|giant|outlet|publication|gallery|museum|"
            r"stadium|arena|venue|hotel|theater|theatre|orchestra|band)s?\b",
            re.I,
        ),
    ),
]
# The thing a person, place or name is asked for when several kinds' nouns follow "which":
# the first ("which restaurant did President Biden hire" asks for a restaurant).
_NAMED_KINDS = ("person", "place", "name")

_NAME = re.compile(
    r"(?:[A-Z][\w’'&.\-]*|\d+)(?:\s+(?:of|the|de|al|bin|von|van|and|for|"
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


# case-sensitive on purpose: "Who is Mohammed Deif?" asks for a description, "Who was voted
# No. 1?" for a name (with re.I the capital matched any letter and lost 'who' questions)
_DEFINITION = re.compile(r"^\s*(?i:who|what)\s+(?i:is|was|are|were)\s+(?:(?i:the)\s+)?[A-Z]")


def asked_sentence(question: str) -> str:
    """The sentence that asks: news-quiz questions lead with context ("Biden signed a $739
    billion bill. What is the measure called?"), whose "how many" or "number of" says nothing
    about what is asked. The last sentence with a question mark, else the last sentence."""
    pieces = [question[a:b].strip() for a, b in sentence_spans(question)]
    pieces = [p for p in pieces if p]
    if len(pieces) <= 1:
        return question
    asking = [p for p in pieces if "?" in p]
    return asking[-1] if asking else pieces[-1]


def answer_kind(question: str) -> str | None:
    """'quantity', 'year', 'date', 'person', 'place' or 'name'; None for why/how questions,
    for things written in lower case and for "Who is <name>?", which asks for a description."""
    asked = asked_sentence(question)
    if _DEFINITION.match(asked) and not re.search(r"\b(how|when|where)\b", asked, re.I):
        return None
    named: list[tuple[int, str]] = []
    for kind, pattern in _KIND_PATTERNS:
        if (m := pattern.search(asked)) is None:
            continue
        if kind not in _NAMED_KINDS:
            return kind  # a figure, year or date is asked for whatever names follow
        named.append((m.end(), kind))
    return min(named)[1] if named else None


def _names(text: str) -> list[tuple[int, int, str]]:
    found = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and (
            words[0] in _SENTENCE_OPENERS
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


_SHARE_ASKED = re.compile(r"\b(percentage|per ?cent)\b|%", re.I)
_SHARE = re.compile(r"%|\bper ?cent\b", re.I)


def answer_spans(text: str, kind: str | None, question: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each candidate answer of `kind` in `text` not in the question."""
    if kind is None:
        return []
    asked = terms(question)
    asked_text = question.lower()
    spans: list[tuple[int, int, str]] = []
    match kind:
        case "quantity":
            for f in figure_mentions(text):
                at = text.find(f.text)
                spans.append((at, at + len(f.text), f.text))
            if _SHARE_ASKED.search(question):  # "what percentage": a share, not a count
                spans = [s for s in spans if _SHARE.search(s[2])]
        case "year":
            spans = [(m.start(), m.end(), m.group(0)) for m in _YEAR.finditer(text)]
        case "date":
            spans = [(m.start(), m.end(), m.group(0)) for m in _DATE.finditer(text)]
        case "person" | "place" | "name":
            spans = _names(text)
            if kind == "person":  # at least two words: a lone capital is too often a place
                spans = [s for s in spans if len(s[2].split()) >= 2]  # (costs "Adele")
    fresh = []
    for start, end, value in spans:
        value_terms = terms(value)
        if value.lower() in asked_text or (value_terms and value_terms <= asked):
            continue  # the question already says it
        if kind in ("person", "place", "name") and _restates(value, question):
            continue  # the question says it under another spelling ("IDF")
        fresh.append((start, end, value))
    return fresh


def _restates(value: str, question: str) -> bool:
    """Whether `value` names someone the question already names, in any spelling ("Israel
    Defense Forces" for "IDF", "Amos Hochstein" for "Hochstein")."""
    return any(not missing_entities(f"x {e}", value) for e in question_entities(question))
