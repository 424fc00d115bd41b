"""Sentences scored by the trained reader: how well each answers the question, and its span.

The reader (`rag.reader.model`) reads the question with each whole passage, so a sentence
that answers through its neighbour ("It cost $230 million" after a sentence naming the pier)
still scores. A sentence's score is the probability that it answers the question: its best
answer span's margin over the passage's "no answer", mapped through the calibration shipped
beside the model (`model/calibration.json`, a logistic fit on held-out SQuAD). The answer
bar and the bold bar are the calibrated probabilities above which the answerer answers and
puts the span first in bold (chosen on RealTime QA, which measures but never trains; the
model card says how). A span is never taken from markup or across an invisible character:
those are not words of the article a reader sees.
The sentence's score averages that probability with the embedder's relevance
(`read_sentences` says why).
What it leaves out: choosing which sentences to quote (`rag.answering.scoring.pick`) and
retrieval (`rag.reader.rerank` reorders passages with the same readings).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from llama_index.core.schema import TextNode

from rag.answering.scoring import RUNNER_UP_MARGIN, Sentence, restates
from rag.reader.model import MODEL, PassageReading, Reader, shared_reader
from rag.text.answer_kinds import answer_spans
from rag.text.question import Question

CALIBRATION = MODEL.with_name("calibration.json")
READER_SHARE = 0.5  # of a sentence's score by default; the rest is the embedder's relevance
AGREEMENT_MARGIN = 0.15  # chosen by replay on RealTime QA and the seeds sets (the model card)
SPAN_POOL = 20  # the reader's best spans in a sentence looked through for runners-up

# Where a span may not come from: inside a tag (`<img src=http://127.0.0.1/…>`), a URL, or
# next to an invisible character that glues two figures into one (`$4\u200b5 million`).
_MARKUP = re.compile(r"<[^<>]{0,400}>|\bhttps?://\S+|&[a-z]+;|&#\d+;")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


@dataclass(frozen=True)
class Calibration:
    """The reader's margin as a probability, and the two bars that use it."""

    scale: float = 1.0
    bias: float = 0.0
    answer_bar: float = 0.5  # answer when the best sentence's probability reaches this
    bold_bar: float = 0.5  # give the span in bold when it reaches this
    # The relevance gate's own bar on the reader's probability alone (a generated answer read
    # as its passage); unset (-1), the gate uses `answer_bar`, chosen for the sentence score.
    gate_bar: float = -1.0
    # How far below the best sentence's score a runner-up may score and still be quoted: a
    # steeper calibration spreads the scores, so the margin is chosen with the model.
    runner_up: float = RUNNER_UP_MARGIN
    # The reader's share of a sentence's score; the rest is the embedder's relevance
    # (`read_sentences` says why both).
    reader_share: float = READER_SHARE
    # How far below the best sentence's score a sentence may score and still lend its support
    # to the short answer it writes (`rag.answering.short.agreed_answer`); 0: the best
    # sentence's own answer, as before agreement was counted.
    agreement: float = AGREEMENT_MARGIN
    # The share of its score a sentence of an article older than the question's news days
    # loses when a passage is from those days (`rag.answering.staleness`); 0: dates unread.
    stale_cost: float = 0.0

    @property
    def relevance_bar(self) -> float:
        """The bar a generated answer's reader probability must reach to count as answering."""
        return self.gate_bar if self.gate_bar >= 0 else self.answer_bar

    def probability(self, margin: float) -> float:
        z = self.scale * margin + self.bias
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    """The calibration shipped with the model (defaults when the file is missing)."""
    if not CALIBRATION.exists():
        return Calibration()
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return Calibration(
        **{k: float(v) for k, v in data.items() if k in Calibration.__dataclass_fields__}
    )


def clean_span(passage: str, start: int, end: int) -> bool:
    """Whether characters [start, end) of a passage are article words a reader sees: not in
    markup or a URL, and not touching an invisible character."""
    for m in _MARKUP.finditer(passage):
        if m.start() < end and start < m.end():
            return False
    lo, hi = max(0, start - 1), min(len(passage), end + 1)
    return not _INVISIBLE.search(passage, lo, hi)


def widened(passage: str, start: int, end: int) -> tuple[int, int]:
    """A span grown to whole words and numbers, with the currency sign before its figure and
    the per cent sign after it: the reader works on word pieces and may start at "500" in
    "1,500 hours" or at "230" in "$230 million"."""

    def splits(i: int) -> bool:  # whether a boundary at i cuts a word or a number
        if i <= 0 or i >= len(passage):
            return False
        a, b = passage[i - 1], passage[i]
        if a.isalnum() and b.isalnum():
            return True
        return (a in ",." and b.isdigit() and i >= 2 and passage[i - 2].isdigit()) or (
            b in ",." and a.isdigit() and i + 1 < len(passage) and passage[i + 1].isdigit()
        )

    while splits(start):
        start -= 1
    while splits(end):
        end += 1
    if start > 0 and passage[start - 1] in "$€£¥" and passage[start : start + 1].isdigit():
        start -= 1
    if end < len(passage) and passage[end] == "%":
        end += 1
    return start, end


def in_passage(sentence: Sentence) -> tuple[int, int]:
    """Where the sentence lies in its passage's text (its own offsets are the article's)."""
    base = cast(TextNode, sentence.passage.node).start_char_idx or 0
    return sentence.start - base, sentence.end - base


def read_passages(
    question: str, texts: list[str], reader: Reader | None = None
) -> list[PassageReading]:
    return (reader or shared_reader()).read(question, texts)


def passage_probability(reading: PassageReading, cal: Calibration | None = None) -> float:
    """The probability that a passage answers the question (its best span's margin)."""
    return (cal or calibration()).probability(reading.margin)


def answer_probability(question: str, text: str) -> float:
    """The probability that `text`, read alone as the passage, answers `question`: how the
    relevance gate reads a generated answer, and how its bar is chosen."""
    return passage_probability(read_passages(question, [text])[0])


def read_sentences(
    question: Question,
    sentences: list[Sentence],
    reader: Reader | None = None,
    cal: Calibration | None = None,
) -> None:
    """Fill each sentence's `score` and `span` (its best answer).

    The score is the reader's probability averaged with the relevance the sentence already
    carries (`rag.answering.scoring.score_sentences`: the embedder's cosine and word overlap).
    Measured on the seeds' casual phrasings and RealTime QA, the reader alone finds the span
    well but judges "does this answer?" by SQuAD's word matching: it misses "pier" = "floating
    dock" and prefers another port's "$7 million"; the embedder knows the paraphrase, the
    reader knows the answer, and the average is better than either (measured in
    eval/findings/realtimeqa-2022.md).

    A follow-up is read alone (`Question.reader_text`): read after the question before it,
    the reader answered that one. Alone, its pronoun leaves the reader unsure what "it" is
    ("How much did it cost?" after "Why is the pier shutting down?": 0.17 where the two
    together gave 0.46), so the sentence it reads best keeps the surer of the two readings
    when the reading with the earlier question finds its answer in that same sentence.
    """
    if not sentences:
        return
    cal = cal or calibration()
    passages: list[object] = []
    for s in sentences:
        if not any(p is s.passage for p in passages):
            passages.append(s.passage)
    texts = [p.node.get_content() for p in passages]  # type: ignore[attr-defined]
    readings = read_passages(question.reader_text, texts, reader)
    at = [next(i for i, p in enumerate(passages) if p is s.passage) for s in sentences]
    spans = [readings[k].best_within(*in_passage(s)) for s, k in zip(sentences, at)]
    margins = [
        None if span is None else span.score - readings[k].null for span, k in zip(spans, at)
    ]
    read = {i: m for i, m in enumerate(margins) if m is not None}
    if question.reader_text != question.text and read:
        best = max(read, key=read.__getitem__)
        with_context = read_passages(question.text, [texts[at[best]]], reader)[0]
        if (span := with_context.best_within(*in_passage(sentences[best]))) is not None:
            margins[best] = max(margins[best] or 0.0, span.score - with_context.null)
    q_terms = question.terms
    for s, k, span, margin in zip(sentences, at, spans, margins):
        reading, text = readings[k], texts[k]
        if span is None or margin is None or restates(s, q_terms):
            s.score, s.span = 0.0, ""
            continue
        s.margin = margin
        s.score = cal.reader_share * cal.probability(s.margin) + (1 - cal.reader_share) * s.score
        start, end = widened(text, span.start, span.end)
        s.span = text[start:end] if clean_span(text, start, end) else ""
        s.reading, s.span_at = reading, (start, end)


def kind_span(sentence: Sentence, question: Question) -> str:
    """The sentence's answer of the kind asked for: the thing of that kind inside the
    reader's span, else the one in the sentence the reader scores best, else the reader's
    span as it is. Asked only of the sentences an answer quotes (each candidate costs a look
    at the passage's logits)."""
    reading = cast(PassageReading | None, sentence.reading)
    if not question.kind or reading is None:
        return sentence.span
    text = reading.passage
    lo, hi = in_passage(sentence)
    start, end = sentence.span_at
    found = _of_the_kind(question, reading, text, start, end) or _of_the_kind(
        question, reading, text, lo, hi
    )
    if found is None:
        return sentence.span
    return text[found[0] : found[1]] if clean_span(text, *found) else ""


def span_runners_up(sentence: Sentence, limit: int) -> list[str]:
    """The reader's next best spans inside the sentence that do not overlap its best
    (`sentence.span`), best first, each grown to whole words and never from markup: where the
    best names what the question already names ("the Senate" for what the Senate passed),
    the answer is often the best span beside it, and a span around it ("the Senate passed
    the bill") would repeat it."""
    reading = cast(PassageReading | None, sentence.reading)
    if reading is None or limit <= 0:
        return []
    text = reading.passage
    taken_start, taken_end = sentence.span_at
    found: list[str] = []
    for span in reading.spans_within(*in_passage(sentence), SPAN_POOL):
        start, end = widened(text, span.start, span.end)
        value = text[start:end]
        beside = end <= taken_start or start >= taken_end
        if beside and clean_span(text, start, end) and value not in found:
            found.append(value)
            if len(found) == limit:
                break
    return found


def _of_the_kind(
    question: Question, reading: PassageReading, text: str, lo: int, hi: int
) -> tuple[int, int] | None:
    """The thing of the kind asked for in characters [lo, hi) of a passage that the reader
    scores best. Inside the reader's own span it trims the words around the answer ("$19
    million" out of "$19 million for a private steak lunch"); inside the sentence it finds
    one when the reader's span is of another kind ("who did Gallant talk to": the reader may
    prefer "500 Israelis" while the sentence also names Lloyd Austin). The kind patterns
    (`rag.text.answer_kinds`) say what could answer; the reader picks among them by its best
    score inside each."""
    best: tuple[float, int, int] | None = None
    for start, end, _ in answer_spans(text[lo:hi], question.kind, question):
        inside = reading.best_within(lo + start, lo + end)
        if inside is not None and (best is None or inside.score > best[0]):
            best = (inside.score, lo + start, lo + end)
    return best[1:] if best else None
