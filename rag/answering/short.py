"""The short answer: the figure, date, name or phrase an answer gives first, and whether in bold.

The reader finds an answer span in every sentence it scores. Taking the span of the best
sentence alone fails in a way news makes common: the best sentence by a hair is often another
story's detail ("Fiat Chrysler Automobiles", from a 2015 buyback, for "Which automaker recalled
2.9 million vehicles this week?"), while the answer is written in several of the sentences
that nearly tie with it ("Ford Motor Co. is recalling 2.9 million vehicles…", a syndicated
copy, a follow-up). So the answer is the one the close sentences agree on (evidence
aggregation, as open-domain QA readers re-rank answers by how many passages support them:
Wang et al., 2018, "Evidence Aggregation for Answer Re-Ranking in Open-Domain Question
Answering"): each candidate, the short answer of a sentence scoring within the calibration's
`agreement` margin of the best, is supported by the scores of those sentences that write it
word for word, and the best supported wins; the best sentence holding it is quoted first. A
short answer is a span of the kind asked for that the question does not already say, never a
piece cut out of a quotation; it is put first in bold only when the reader is sure of its
sentence (the bold bar).

What it leaves out: agreement in other words ("the UK" and "Britain", "Ford" and "the
automaker"), which needs names resolved to the same thing; and which sentences are quoted
besides the one holding the answer (`rag.answering.scoring.pick`).
"""

from __future__ import annotations

import re

from rag.answering.reading import Calibration, kind_span, span_runners_up
from rag.answering.scoring import Sentence, same_point
from rag.text.answer_kinds import answer_spans
from rag.text.lexicon import terms
from rag.text.question import Question
from rag.text.quotes import QUOTED

# "Northeastern University’s" out of "…Northeastern University’s admissions office…" names the
# university; the possessive belongs to the sentence, not to the answer
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")
_WORD = re.compile(r"\w+")
_ARTICLES = frozenset({"the", "a", "an"})
# how many of the reader's next best spans in a sentence are tried when its best one is not
# an answer (chosen by replay on RealTime QA and the seeds sets: eval/findings)
RUNNER_UP_SPANS = 3


def short_answer(sentence: Sentence, question: Question) -> str | None:
    """The reader's span in the sentence as a short answer, when it is of the kind asked for
    (a figure for "how much", a date for "when") and says something the question does not
    already say. Never a piece cut out of a quotation: "Osama bin Laden" out of calling him
    the "Osama bin Laden of Gaza" names someone else than the quote does. When the question
    asks for no kind the patterns know, the reader's runners-up in the sentence are tried in
    turn after its best span (a reader trained on SQuAD often marks the question's own
    subject; the answer is the span it scores next)."""
    runners_up = span_runners_up(sentence, RUNNER_UP_SPANS) if question.kind is None else []
    for candidate in (kind_span(sentence, question), *runners_up):
        if span := _as_short_answer(candidate, sentence, question):
            return span
    return None


def _as_short_answer(candidate: str, sentence: Sentence, question: Question) -> str | None:
    """`candidate`, a span of the sentence, trimmed, when it can be the short answer."""
    span = _POSSESSIVE.sub("", candidate.strip(" ,.;:"))
    if not span or len(span) > 80:
        return None
    if _cuts_a_quotation(sentence.text, span):
        return None
    if question.kind is not None and not answer_spans(span, question.kind, question):
        return None
    if terms(span) and terms(span) <= question.terms:
        return None
    return span


def short_and_sure(
    quoted: list[Sentence], question: str | Question, cal: Calibration
) -> tuple[str | None, bool]:
    """The short answer from the first quoted sentence that holds one (the best sentence may
    answer "what did the pier cost" by naming the pier, the runner-up give the figure), and
    whether the reader is sure enough of that sentence to show it first in bold."""
    question = Question.of(question)
    for s in quoted:
        if short := short_answer(s, question):
            return short, s.score >= cal.bold_bar
    return None, False


def agreed_answer(
    sentences: list[Sentence], question: Question, cal: Calibration
) -> tuple[str, Sentence] | None:
    """The short answer the sentences close to the best agree on, and the best sentence
    holding it (see the module docstring); None when none of them holds one. Only sentences
    reaching the answer bar lend support: the others were judged not to answer. The sentence
    returned is the best of those writing the answer as it is, which need not be the one whose
    span it was ("Ford Motor Co. is recalling…" for "Ford")."""
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    if not ranked:
        return None
    floor = max(cal.answer_bar, ranked[0].score - cal.agreement)
    close = [s for s in ranked if s.score >= floor]
    spans: dict[str, Sentence] = {}  # each candidate and the best sentence whose span it is
    for s in close:
        short = short_answer(s, question)
        if short and short in s.text and short not in spans:  # a span the sentence writes
            spans[short] = s
    if not spans:
        return None
    written = [_words(s.text) for s in close]

    def writers(short: str) -> list[Sentence]:
        words = _words(short)
        return [s for s, text in zip(close, written) if _within(words, text)]

    # ties go to the candidate of the better sentence (`spans` keeps the order of `ranked`)
    best = max(spans, key=lambda c: sum(s.score for s in writers(c)))
    # quoted first: the best sentence writing it as it is, letter for letter ("Thwaites
    # Glacier" supports and is supported by "Thwaites glacier", but is not quoted from it)
    return best, next((s for s in writers(best) if best in s.text), spans[best])


def answer_first(
    quoted: list[Sentence],
    sentences: list[Sentence],
    question: Question,
    cal: Calibration,
    limit: int,
) -> tuple[list[Sentence], str | None, bool]:
    """The quoted sentences with the one holding the agreed short answer first, the short
    answer, and whether it is shown in bold. Without an agreed answer, the quotes stay as
    they are and the short answer is the first quoted sentence's (`short_and_sure`)."""
    agreed = agreed_answer(sentences, question, cal)
    if agreed is None:
        return (quoted, *short_and_sure(quoted, question, cal))
    short, holder = agreed
    others = [s for s in quoted if s is not holder and not same_point(s, holder)]
    return [holder, *others][:limit], short, holder.score >= cal.bold_bar


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _ARTICLES]


def _within(inner: list[str], outer: list[str]) -> bool:
    """`inner` is a non-empty run of consecutive words of `outer`."""
    n = len(inner)
    return n > 0 and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def _cuts_a_quotation(text: str, span: str) -> bool:
    """Whether `span` lies inside a quoted phrase of `text` without being all of it."""
    at = text.find(span)
    return any(
        m.start(1) <= at and at + len(span) <= m.end(1) and m.group(1).strip(" ,.;:") != span
        for m in QUOTED.finditer(text)
    )
