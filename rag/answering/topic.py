"""Which retrieved sentences are lines of reporting about a topic: what a briefing may use, and
what answers a question asking what the articles say on a topic.

Retrieval brings whatever shares words with the topic; a briefing keeps only what is about the
topic as its retrieval shows it (see `on_topic`). What it leaves out: what makes a sentence a
line of reporting rather than a caption or a headline (`rag.text.reporting_lines`), and scoring the
sentences (`rag.answering.scoring`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import AbstractSet

from rag.answering.scoring import Sentence
from rag.text.lexicon import cosine
from rag.text.reporting_lines import is_briefing_line

RELEVANCE_FLOOR = 0.30
TOPIC_FLOOR = 0.35  # cosine to the topic's own embedding (all-MiniLM-L6-v2)
ANCHOR_SHARE = 0.4  # of the best line's topic-word overlap, for a line to anchor the topic
PROFILE_FLOOR = 0.55  # cosine to the mean of the topic and its anchors
NAMED_TOPIC_WORDS = 2  # a topic of at most this many words is anchored by a line naming them


def _profile(vectors: list[list[float]]) -> list[float]:
    """The mean direction of some embeddings."""
    total = [sum(col) for col in zip(*vectors)]
    norm = sum(x * x for x in total) ** 0.5 or 1.0
    return [x / norm for x in total]


_WORD = re.compile(r"[\w-]+")  # a word as names are matched: "mar-a-lago" is one


def topic_names(topic: str, written: Mapping[str, str]) -> frozenset[str]:
    """The topic's words that the store writes as names (`written`: the store's
    `WrittenNames`, lower case), in lower case: "uvalde" of "Uvalde school shooting", "ian"
    and "florida" of "Hurricane Ian damage in Florida"; none of "monkeypox outbreak"."""
    return frozenset(w for w in _WORD.findall(topic.lower()) if w in written)


def names_one(sentence: Sentence, names: AbstractSet[str]) -> bool:
    """Whether the sentence's passage, or its article's title, names one of `names`, as a
    whole word: not `rag.text.lexicon.mentions`, which reads a short name inside longer words
    ("ian" in "Ukrainian") as questions' names may be spelt."""
    text = f"{sentence.passage.node.get_content()} {sentence.meta.get('title', '')}".lower()
    return not names.isdisjoint(_WORD.findall(text))


def on_topic(
    sentences: list[Sentence],
    topic_vector: list[float],
    topic_terms: AbstractSet[str],
    names: AbstractSet[str] = frozenset(),
) -> list[Sentence]:
    """The sentences a briefing may use: lines of reporting (`is_briefing_line`) about the
    topic as its retrieval shows it, not merely sharing a word with it.

    Anchors are the lines that carry the topic's distinctive words (idf-weighted overlap at
    least `ANCHOR_SHARE` of the best line's) and mean it (`TOPIC_FLOOR` on the embedding).
    A line is on topic when it is an anchor, sits in a retrieved passage holding an anchor
    (the passage is about the topic, so its neighbours are too: "The $230 million floating
    dock…" after "…the temporary Gaza pier will soon cease operations"), or is close to the
    anchors' mean embedding (`PROFILE_FLOOR`). With no anchor the retrieval found nothing on
    the topic and the briefing says so, instead of eight points about something else.

    A topic of one or two words (`topic_terms`, stemmed: "Deif", "the hostages", "Gaza pier")
    is also anchored by a line that says every one of them: the embedder reads a lone name it
    does not know as little more than noise ("Deif" scored under the floor against "…the
    strike targeting Mohammed Deif, the head of Hamas's terror army…"), so asked "tell me about
    Deif" the answer said no passage reported on him.

    A topic with names (`names`, `topic_names`: "uvalde" of "Uvalde school shooting") keeps
    only lines whose passage or article title names one of them: a roundup's "Eight people
    were shot at a high school graduation party in Summerton" reads like the Uvalde shooting
    to the embedder and shares its words, but is another story.
    """
    lines = [
        s
        for s in sentences
        if is_briefing_line(s.text)
        and not s.caption
        and s.score >= RELEVANCE_FLOOR
        and (not names or names_one(s, names))
    ]
    best_lexical = max((s.lexical for s in lines), default=0.0)
    named = 0 < len(topic_terms) <= NAMED_TOPIC_WORDS
    shared = ANCHOR_SHARE * best_lexical
    anchors = [
        s
        for s in lines
        if (s.dense >= TOPIC_FLOOR and best_lexical > 0 and s.lexical >= shared)
        or (named and topic_terms <= s.terms)
    ]
    if not anchors:
        return []
    profile = _profile([topic_vector] + [s.vector for s in anchors])
    anchored = {s.passage.node.node_id for s in anchors}
    return [
        s
        for s in lines
        if s in anchors
        or s.passage.node.node_id in anchored
        or cosine(profile, s.vector) >= PROFILE_FLOOR
    ]
