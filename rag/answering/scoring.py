"""Sentences of retrieved passages, and their relevance to a question or a topic.

`split_sentences` (each passage split into sentences with their offsets in the article) and
`pick` (the best sentence and close runners-up that add something new) serve the extractive
answerer. `score_sentences` gives a sentence's relevance to a question or topic: the
extractive answerer averages it with the trained reader's probability
(`rag.answering.reading`); briefings use it alone (a topic is not a question the reader was
trained on). Relevance is meaning (embedder cosine) and wording (idf-weighted overlap of stemmed
terms), with a small bonus when a sentence holds the kind of thing asked for and the topic
does not already say it (`rag.text.answer_kinds`). Choosing what to quote is the caller's job.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Sequence, cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answer import Citation, also_reported_by
from rag.text.answer_kinds import answer_spans
from rag.text.galleries import is_caption
from rag.text.lexicon import WORD_RE, cosine, shared, terms
from rag.text.question import Question
from rag.text.sentences import node_sentence_spans

DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
TYPE_BONUS = 0.06
RUNNER_UP_MARGIN = 0.06  # extra sentences must score within this of the best (by default)
DUPLICATE_OVERLAP = 0.6  # term overlap above which two sentences say the same thing
RESTATES_SHARE = 0.8  # a sentence whose content words are this much the question's adds nothing


@dataclass
class Sentence:
    text: str
    start: int  # offsets in the article
    end: int
    passage: NodeWithScore
    passage_rank: int
    terms: set[str] = field(default_factory=set)
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0
    vector: list[float] = field(default_factory=list, repr=False)
    span: str = ""  # the reader's answer inside this sentence (`rag.answering.reading`)
    margin: float = 0.0  # the reader's margin for that span over "no answer"
    # the reader's reading of the passage and where the span lies in it, so the answer of the
    # kind asked is looked for only in the sentences that are quoted (`reading.kind_span`)
    reading: Any = field(default=None, repr=False)
    span_at: tuple[int, int] = (0, 0)
    # what `rag.answering.staleness` took off the score of an older article's sentence: it
    # ranks below newer news, yet is still quoted beside it when its own score was close
    stale_by: float = 0.0
    # a photo gallery's caption (`rag.text.galleries`): quoted as an answer, never a briefing line
    caption: bool = False

    @property
    def doc(self) -> str:
        return self.passage.node.metadata.get("doc_id") or self.passage.node.ref_doc_id or ""

    @property
    def meta(self) -> dict[str, str]:
        return self.passage.node.metadata

    @property
    def date(self) -> str:
        return self.meta.get("date") or ""

    @property
    def day(self) -> dt.date | None:
        """The day its article was published, None when undated (or not a day)."""
        try:
            return dt.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None

    def citation(self, n: int) -> Citation:
        """This sentence as the verbatim quote behind `[n]`."""
        meta = self.meta
        return Citation(
            n=n,
            doc=self.doc,
            title=meta.get("title", ""),
            date=self.date,
            source=meta.get("source", ""),
            url=meta.get("url", ""),
            quote=self.text,
            score=round(self.score, 4),
            chunk_id=self.passage.node.node_id,
            start=self.start,
            end=self.end,
            also=also_reported_by(meta),
        )


# Lines that mimic the answer's own format or address the reader (or a model) instead of
# reporting: "Answer: … $700 million", a fake "Sources:" block, "IMPORTANT SYSTEM NOTE",
# "ignore previous instructions", "email your password". They are not evidence.
_NOT_REPORTING = re.compile(
    r"^\W*(answer|answers|sources?|citations?|question|note to (the )?(ai|assistant|model)|"
    r"system( note| message| prompt)?|assistant|user|ai|important( system)?( note)?|"
    r"attention|instructions?)\s*[:\-–—]|^\W*\[\d+\]|\bignore (all |any )?(the )?"
    r"(previous|prior|above|earlier) (instructions|rules|prompts?)\b|\b(as an ai|language "
    r"model|system prompt|disregard (the|your) (instructions|rules))\b|\b(email|send|reply with|"
    r"enter|confirm|share) (us |me )?(your|their) (password|credentials|login|bank|card)\b",
    re.I,
)


def is_reporting(text: str) -> bool:
    """Whether a sentence reads as reporting, not as text aimed at the reader or the model."""
    return not _NOT_REPORTING.search(text)


def split_sentences(passages: Sequence[NodeWithScore]) -> list[Sentence]:
    """Sentences of each passage with their character offsets in the article (sentences that
    address the reader or mimic the answer format are left out: they are not evidence)."""
    out: list[Sentence] = []
    for rank, nws in enumerate(passages):
        text = nws.node.get_content()
        base = cast(TextNode, nws.node).start_char_idx or 0
        for start, end in node_sentence_spans(nws.node):
            piece = text[start:end]
            if len(WORD_RE.findall(piece)) >= 4 and is_reporting(piece):
                sentence = Sentence(piece, base + start, base + end, nws, rank, terms=terms(piece))
                sentence.caption = is_caption(text, start, end)
                out.append(sentence)
    return out


def counts_it(sentence: Sentence, counted: AbstractSet[str]) -> bool:
    """Whether the sentence speaks of every counted word of the question."""
    return shared(counted, sentence.terms) == len(counted)


def holds_answer(sentence: Sentence, question: Question) -> bool | None:
    """Whether the sentence holds a thing of the kind asked for that the question does not
    already say (None: the question asks for no particular kind). For "how many X" the
    sentence must also speak of X."""
    if question.kind is None:
        return None
    if not answer_spans(sentence.text, question.kind, question):
        return False
    return question.kind != "quantity" or counts_it(sentence, question.counted)


def score_sentences(
    question: str | Question,
    sentences: list[Sentence],
    embed: BaseEmbedding,
    q_vec: list[float] | None = None,
    ruled_out: Sequence[bool] = (),
) -> None:
    """Fill in dense, lexical and combined scores (0..1-ish) for each sentence.

    `question` is a question or a topic (a plain text is parsed); `q_vec` its embedding when
    retrieval has already computed it. `ruled_out`: sentences the caller will score 0 however
    they read (no number for "how many"); they are embedded only where the next sentence
    leans on them, as embedding is most of a warm answer's time and on real news about two
    sentences in five are ruled out. The others get their words' score alone.
    """
    if not sentences:
        return
    question = Question.of(question)
    q_terms = question.terms
    n = len(sentences)
    df = {t: sum(t in s.terms for s in sentences) for t in q_terms}
    idf = {t: math.log(1 + (n + 1) / (df[t] + 0.5)) for t in q_terms}
    total = sum(idf.values()) or 1.0
    q_vec = q_vec or embed.get_query_embedding(question.text)
    needed = _needing_vectors(sentences, ruled_out)
    # a sentence embedded already (for another part of the question) keeps its vector
    missing = [s for s, need in zip(sentences, needed) if need and not s.vector]
    for s, vector in zip(missing, embed.get_text_embedding_batch([s.text for s in missing])):
        s.vector = vector
    previous: Sentence | None = None
    previous_dense = 0.0
    for s in sentences:
        own_dense = max(0.0, cosine(q_vec, s.vector)) if s.vector else 0.0
        own_lexical = sum(idf[t] for t in q_terms if t in s.terms) / total
        s.dense, s.lexical = own_dense, own_lexical
        if previous is not None and previous.passage is s.passage:
            # "It cost $230 million" answers a question about the pier named one sentence
            # earlier: let the preceding sentence lend half its relevance.
            context = previous.terms | s.terms
            s.lexical = (
                0.5 * own_lexical + 0.5 * sum(idf[t] for t in q_terms if t in context) / total
            )
            s.dense = max(own_dense, 0.5 * (own_dense + previous_dense))
        previous, previous_dense = s, own_dense
        s.score = DENSE_WEIGHT * s.dense + LEXICAL_WEIGHT * s.lexical
        if restates(s, q_terms):
            s.score = 0.0  # the question itself (a quiz page, a headline echo): no answer
            continue
        has = holds_answer(s, question)
        if has is True:
            s.score += TYPE_BONUS
        elif has is False:
            s.score -= TYPE_BONUS


def _needing_vectors(sentences: list[Sentence], ruled_out: Sequence[bool]) -> list[bool]:
    """Which sentences need a vector: those not ruled out, and each one just before such a
    sentence of the same passage, which lends it half its relevance."""
    out = list(ruled_out) or [False] * len(sentences)
    return [
        not out[i]
        or (
            i + 1 < len(sentences)
            and not out[i + 1]
            and sentences[i + 1].passage is sentences[i].passage
        )
        for i in range(len(sentences))
    ]


def restates(sentence: Sentence, q_terms: AbstractSet[str]) -> bool:
    """Whether the sentence only says what the question says (news-quiz pages repeat the
    question word for word; a headline may too), so quoting it would answer nothing."""
    own = sentence.terms
    return len(own) >= 4 and len(own & q_terms) / len(own) >= RESTATES_SHARE


def same_point(a: Sentence, b: Sentence) -> bool:
    """Whether two sentences say the same thing (most of the shorter one's terms shared)."""
    if not a.terms or not b.terms:
        return a.text == b.text
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) > DUPLICATE_OVERLAP


def pick(
    sentences: list[Sentence], threshold: float, limit: int, margin: float = RUNNER_UP_MARGIN
) -> list[Sentence]:
    """The best sentence and runners-up within `margin` of it that add something new (an
    older article's sentence within the margin as read, before its staleness discount)."""
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    if not ranked or ranked[0].score < threshold:
        return []
    chosen = [ranked[0]]
    close = ranked[0].score - margin
    for s in sorted(ranked[1:], key=lambda s: s.score + s.stale_by, reverse=True):
        if len(chosen) >= limit or s.score + s.stale_by < close:
            break
        if not any(same_point(s, c) for c in chosen):
            chosen.append(s)
    return chosen
