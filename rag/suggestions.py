"""Suggested questions: for a newcomer, from the stored articles' titles; after an answer,
from the passages it read.

An empty chat offers a few questions a reader could ask right away. Each is built from one
of the newest articles: the names its title mentions (runs of capitalised words, found the
way questions' names are found in `rag.text.lexicon`, so a title's first word, months and
weekdays are not taken for names) become the topic, and the outlet, when known, is asked
about: "What did Reuters report about Amos Hochstein and Hezbollah?". Pure and
deterministic (same library, same suggestions); it reads no article text and answers
nothing. Titles that name nothing are passed over rather than turned into awkward questions.

After an answer, `follow_up_questions` offers what to ask next: the names its cited
passages mention that the question did not, each asked about, so every suggestion is one
the passages just quoted can answer. Single capitalised words ("Secretary",
"Gaza") are left out: alone they are too often a title or a place mentioned in passing.
"""

from __future__ import annotations

import re
from typing import Mapping

from rag.answer import Answer
from rag.index.registry_records import ArticleRecord
from rag.text.lexicon import question_entities

MAX_NAMES = 2  # "A and B" reads like a question; a list of five names does not
_EDGE = re.compile(r"^[\"“‘'(\[]+|[\"”’'),.:;!?\]…]+$")


def title_names(title: str) -> list[str]:
    """The names in a title, adjacent name words joined ("Lloyd Austin"), in order, once each."""
    wanted = set(question_entities(title))
    runs: list[str] = []
    current: list[str] = []
    for token in title.split():
        word = re.sub(r"[’']s$", "", _EDGE.sub("", token))
        if word and word in wanted:
            current.append(word)
        elif current:
            runs.append(" ".join(current))
            current = []
        if current and _EDGE.sub("", token) != token:  # punctuation ends a name
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return list(dict.fromkeys(runs))


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def question_about(title: str, outlet: str = "") -> str | None:
    """A reader's question about one article, or None when its title names nothing. Titles
    before a name are taken off, as a reader would ask ("Yoav Gallant", not "Defense Minister
    Yoav Gallant")."""
    names = [n for n in map(_untitled, title_names(title)) if n][:MAX_NAMES]
    if not names:
        return None
    topic = _joined(names)
    if outlet.strip():
        return f"What did {outlet.strip()} report about {topic}?"
    return f"What do the articles say about {topic}?"


def suggested_questions(records: Mapping[str, ArticleRecord], count: int = 3) -> list[str]:
    """Up to `count` distinct questions from the newest articles (dated ones by date, newest
    first; then undated ones; ties by id), given the library's records by article id."""
    newest = sorted(records.items(), key=lambda kv: (kv[1].date, kv[0]), reverse=True)
    found: list[str] = []
    for _, record in newest:
        question = question_about(record.title, record.source)
        if question and question not in found:
            found.append(question)
        if len(found) == count:
            break
    return found


# titles abbreviated with a full stop, which is not the end of a sentence or of a name ("Gen.
# Michael Kurilla"): the name after one is read with the stop taken out
_ABBREVIATIONS = "Gen Lt Col Maj Sgt Capt Adm Sen Rep Gov Mr Mrs Ms Dr".split()
_ABBREVIATED = re.compile(rf"\b({'|'.join(_ABBREVIATIONS)})\.")
# offices held by a person ("Commander", "Ambassador")
_OFFICES = frozenset(
    "President Minister Secretary General Chief Governor Mayor Commander Ambassador Envoy "
    "Spokesman Spokesperson Judge Justice".split()
)
# words that title a name rather than being it ("Defense Minister Yoav Gallant" is asked
# about as "Yoav Gallant"); a name that ends in one ("IDF Chief") is a fragment
_TITLES = _OFFICES | frozenset(
    "Prime Defense Foreign State Special Deputy Vice Staff Officer Israeli American Iranian "
    "Lebanese British French Russian Ukrainian Chinese Palestinian".split()
)
# titles that stand before a person's name, in a run that may name an office first ("US Central
# Command Commander Gen Michael Kurilla" is asked about as "Michael Kurilla")
_BEFORE_A_PERSON = _OFFICES | frozenset(_ABBREVIATIONS)


# names read with "the" before them ("the United States", "the Gaza Strip")
_THE_FIRST = frozenset("United Middle European White Red Persian Islamic Revolutionary".split())
_THE_LAST = frozenset(
    "Accords Strip Bank Sea Gulf Forces Ministry Department House Council Union Nations "
    "Guard Brigade Brigades Party Agency Court Senate Congress Committee Army Navy".split()
)


def _about(name: str) -> str:
    words = name.split()
    the = "the " if words[0] in _THE_FIRST or words[-1] in _THE_LAST else ""
    return f"What do the articles say about {the}{name}?"


def _untitled(name: str) -> str:
    """`name` without the titles before it (those inside it too, before a person's name:
    "Central Command Commander Gen Michael Kurilla"); "" when nothing else is left."""
    words = name.split()
    while words and words[0] in _TITLES:
        words.pop(0)
    titled = [i for i, w in enumerate(words[:-1]) if w in _BEFORE_A_PERSON]
    if titled:
        words = words[titled[-1] + 1 :]
    return " ".join(words)


def _bare(name: str) -> str:
    """`name` without the titles before it; "" when it ends in one or too little is left."""
    words = _untitled(name).split()
    if len(words) > 2 and words[-1].isupper():
        words.pop()  # "Israel Defense Forces IDF": the name, then its acronym
    return " ".join(words) if len(words) >= 2 and words[-1] not in _TITLES else ""


def follow_up_questions(answer: Answer, count: int = 3, searched: str = "") -> list[str]:
    """Up to `count` questions about names of two words or more (titles taken off) that the
    answer's cited passages mention and its question does not, one per surname, in the order
    they come; `searched` is the question as searched (a follow-up with the earlier question
    it leans on), whose names were asked about too ("What did he say?" after "Who is
    Mohammed Deif?" is not offered Deif). Only cited passages: the others retrieved are
    often about something else (a question on a port's dredging was offered Emmanuel
    Macron). None for a refusal."""
    if answer.abstained:
        return []
    asked = {w.lower().strip("?,.") for w in f"{answer.question} {searched}".split()}
    cited = {c.chunk_id for c in answer.citations}
    chosen: list[str] = []
    for p in answer.passages:
        if p.chunk_id not in cited:
            continue
        for name in filter(None, map(_bare, title_names(_ABBREVIATED.sub(r"\1", p.text)))):
            if any(w.lower() in asked for w in name.split()):
                continue
            if any(name.split()[-1] == other.split()[-1] for other in chosen):
                continue  # one person once, however the passages title them
            chosen.append(name)
            if len(chosen) == count:
                return [_about(n) for n in chosen]
    return [_about(n) for n in chosen]
