"""What kind of thing a question asks for: a figure, a year, a date, a person, a place, a name.

"How much did the pier cost?" wants a figure, "What year did it debut?" a year, "When did
Gallant meet Hochstein?" a date, "Who leads Hamas's army?" a person, "Where was the event?"
a place, "Which show was renewed?" a name (things named with capitals: shows, companies,
teams, awards). "Which disease…?" or "Which currency…?" ask for things written in lower case
that no pattern can tell from other words, so they get no kind. A news-quiz question that
leads with context is judged by the sentence that asks (`asked_sentence`). Finding spans of
that kind in a text is `rag.text.answer_kinds`' job.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rag.text.descriptions import asked_who_is
from rag.text.sentences import sentence_spans

KINDS = ("quantity", "year", "date", "person", "place", "name")

# "which" or "what", then up to three modifiers ("which high-ranking US official"); not a
# possessive, which names another thing ("which state's governor" asks for a state)
_MODIFIERS = r"(?:[\w\-]+ ){0,3}?"
_WHICH = r"\b(?:which|what) " + _MODIFIERS

_KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "quantity",
        re.compile(
            r"\bhow (many|much)\b|\bnumber of\b|\bwhat (figure|percentage|"
            r"share|amount|sum|price|cost|percent)\b|\bhow (large|big|long|far|"
            r"old|tall)\b|\bwhat (did|does|do|will|would) (?:[\w\-]+ ){1,6}?(cost|earn|raise)"
            r"\s*\??\s*$|\b(cost|price|toll)\s*\?\s*$",
            re.I,
        ),
    ),
    ("year", re.compile(r"\b(what|which) (year|yr)\b|\bin what year\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*when\b(?![^?]*,\s*(what|which|who|whom|where|how)\b)|"
            r"\b(from|since|until|till|by) when\b|\bwhen\s*\?|"
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

# case-sensitive on purpose: "Who is Mohammed Deif?" asks for a description, "Who was voted
# No. 1?" for a name (with re.I the capital matched any letter and lost 'who' questions)
_DEFINITION = re.compile(r"^\s*(?i:who|what)\s+(?i:is|was|are|were)\s+(?:(?i:the)\s+)?[A-Z]")


# Where a question could hold a second sentence: a line break, or where Punkt looks for a
# sentence end (its period context: a full stop, question or exclamation mark followed by
# white space or by one of ?!)";}]*:@'({[ and curly quotes and guillemets, NLTK's
# `PunktLanguageVars`). A question with neither is one sentence.
_MAY_END_A_SENTENCE = re.compile(r"[.?!](?:\s|[?!)\";}\]*:@'({\[‘’“”«»])|\n")


def asked_sentence(question: str) -> str:
    """The sentence that asks: news-quiz questions lead with context ("Biden signed a $739
    billion bill. What is the measure called?"), whose "how many" or "number of" says nothing
    about what is asked. The last sentence with a question mark, else the last sentence."""
    if not _MAY_END_A_SENTENCE.search(question.strip()):
        return question  # one sentence, told without loading Punkt (a cold `rag ask`'s 0.3 s)
    return last_asking_sentence(question)


def last_asking_sentence(question: str) -> str:
    """`asked_sentence` with the question always split by Punkt."""
    pieces = [question[a:b].strip() for a, b in sentence_spans(question)]
    pieces = [p for p in pieces if p]
    if len(pieces) <= 1:
        return question
    asking = [p for p in pieces if "?" in p]
    return asking[-1] if asking else pieces[-1]


# Asking for a number outright, as opposed to about one ("What happened to the number of
# aid trucks?" asks what happened).
_COUNT_ASKED = re.compile(
    r"\bhow (many|much|long|old|far|large|big|tall)\b|\bwhat (figure|percentage|share|"
    r"amount|sum|price|percent)\b|\b(cost|toll)\b",
    re.I,
)


def asks_for_a_number(question: str) -> bool:
    """Whether the asking sentence asks for a number outright: then a sentence that gives
    none cannot answer it, however close to the subject it is."""
    asked = asked_sentence(question)
    return answer_kind(question) == "quantity" and bool(_COUNT_ASKED.search(asked))


def answer_kind(question: str) -> str | None:
    """'quantity', 'year', 'date', 'person', 'place' or 'name'; None for why/how questions,
    for things written in lower case and for "Who is <name>?" (or "who is deif"), which asks
    for a description."""
    asked = asked_sentence(question)
    if _DEFINITION.match(asked) and not re.search(r"\b(how|when|where)\b", asked, re.I):
        return None
    if asked_who_is(asked):  # "who is deif", typed in lower case
        return None
    named: list[tuple[int, str]] = []
    for kind, pattern in _KIND_PATTERNS:
        if (m := pattern.search(asked)) is None:
            continue
        if kind not in _NAMED_KINDS:
            return kind  # a figure, year or date is asked for whatever names follow
        named.append((m.end(), kind))
    return min(named)[1] if named else None


# A country or a US state asked for by its noun: "Which European nation…", "In which country…",
# "Which state has the most…" (not "which state's governor": a possessive names another thing)
# ("What had state officials used…": "what" asks on its own, and "state" qualifies officials)
_AUXILIARY = r"(?:had|has|have|did|do|does|is|are|was|were|will|would|can|could)\b"
_WHICH_PLACE = rf"\b(?:which|what) (?!{_AUXILIARY})" + _MODIFIERS
_COUNTRY_ASKED = re.compile(_WHICH_PLACE + r"(?:country|countries|nation|nations)\b(?!['’])", re.I)
_STATE_ASKED = re.compile(_WHICH_PLACE + r"(?:state|states)\b(?!['’-])", re.I)


def asked_place(question: str) -> str | None:
    """'country' or 'state' when the asking sentence asks for a country or a US state by its
    noun (`rag.text.places` holds them); else None."""
    asked = asked_sentence(question)
    if _COUNTRY_ASKED.search(asked):
        return "country"
    if _STATE_ASKED.search(asked):
        return "state"
    return None


# Asking what is said on a topic, not for a fact: "What do the articles say about X?" (the chat
# suggests it), "What did Reuters report about X?", "Tell me about X", "What's the latest on X?",
# "Summarize X". A named subject other than the articles must report or write ("What did
# Gallant say about the truce?" asks for what he said: the reader finds it).
_SOURCES = (
    r"(?:the |these |our |my )?(?:articles?|stories|story|sources?|reports?|news|coverage|"
    r"papers?|press|outlets?)"
)
# an outlet by name ("Reuters", "the Times of Israel") or by its site ("apnews.com"), as
# `rag.suggestions` asks about one
_OUTLET = (
    r"(?:the )?(?P<outlet>(?-i:[A-Z][\w.&'’-]*(?: (?:of |the |and )?[A-Z][\w.&'’-]*){0,3})|"
    r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})"
)
# How people ask to be caught up on a topic in a chat: "what do the articles say about X",
# "tell me about X", "any news on X", "what's going on with X", "give me a rundown of X"
# (typed with or without the apostrophe). A question asking for one fact about X ("what did
# Gallant say about Hezbollah", "what happened to the pier") is not one of them.
_CATCH_ME_UP = (
    r"(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:tell|brief|fill|catch|update) (?:me|us) "
    r"(?:in |up )?(?:more )?(?:about|on|with)\s+"
)
_WHATS_NEW = (
    r"what(?:'s|’s|s| is| are)(?: the)? (?:latest|news|new|newest|happening|going on|up)\s+"
    r"(?:on|about|with|in|at|regarding)\s+"
)
_ANY_NEWS = (
    r"(?:(?:is|are) there |got |have you got )?any (?:news|updates?|developments?|word)\s+"
    r"(?:on|about|from|in|with|regarding)\s+|"
    r"(?:the )?(?:latest|news|updates?)\s+(?:on|about|regarding)\s+|"
    r"what do (?:we|you) know about\s+"
)
_OVERVIEW = (
    r"(?:please\s+)?(?:summari[sz]e|recap|sum up|"
    r"give (?:me|us) (?:an overview|a summary|a (?:quick )?rundown|a recap|an update|the latest|"
    r"the rundown) (?:of|on)|an overview of|(?:a (?:quick )?)?rundown (?:of|on))\s+"
)
_WHAT_IS_SAID = re.compile(
    r"^\s*(?:(?:so|and|ok|okay|now|hey|hi),?\s+)?(?:"
    rf"what (?:do|does|did|have|has) (?:{_SOURCES} (?:say|said|report|reported|write|written|"
    rf"tell us)|{_OUTLET} (?:report|reported|write|written))\s+(?:about|on|of)\s+|"
    rf"{_CATCH_ME_UP}|{_WHATS_NEW}|{_ANY_NEWS}|{_OVERVIEW}"
    r")(?P<topic>.+?)[\s?.!]*$",
    re.I,
)


class TopicAsked(NamedTuple):
    """What a question asking what is said on a topic asks about, and the outlet it names
    ("What did Reuters report about X?"; "" when it names none)."""

    topic: str
    outlet: str = ""

    def from_outlet(self, source: str) -> bool:
        """Whether `source` (an article's outlet as stored) is the outlet the question names,
        as people write it: case, a leading "the" and "www." aside ("the Times of Israel")."""

        def plain(name: str) -> str:
            return name.strip().lower().removeprefix("the ").removeprefix("www.")

        return bool(self.outlet) and bool(source) and plain(source) == plain(self.outlet)


def asked_topic(question: str) -> TopicAsked | None:
    """The topic of a question that asks what is said on it ("Hochstein and Hezbollah" of "What
    do the articles say about Hochstein and Hezbollah?"), None for a question asking for a
    fact. Such a question has no answer span for the reader to find: its answer is what the
    articles report on the topic."""
    m = _WHAT_IS_SAID.match(question)
    return TopicAsked(m.group("topic").strip(), m.group("outlet") or "") if m else None
