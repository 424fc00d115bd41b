"""Suggested questions for a newcomer, drawn from the stored articles' titles.

An empty chat offers a few questions a reader could ask right away. Each is built from one
of the newest articles: the names its title mentions (runs of capitalised words, found the
way questions' names are found in `rag.text.lexicon`, so a title's first word, months and
weekdays are not taken for names) become the topic, and the outlet, when known, is asked
about: "What did Reuters report about Amos Hochstein and Hezbollah?". Pure and
deterministic (same library, same suggestions); it reads no article text and answers
nothing. Titles that name nothing are passed over rather than turned into awkward questions.
"""

from __future__ import annotations

import re
from typing import Mapping

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
    """A reader's question about one article, or None when its title names nothing."""
    names = title_names(title)[:MAX_NAMES]
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
