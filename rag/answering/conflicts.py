"""Disagreements: different articles giving different figures for the same quantity.

For a "how many/how much" question, each article's best sentence that counts what the
question counts and gives a figure about it joins; two or more different values make a
disagreement, shown side by side with dates. Only figures that can count the same thing sit
side by side (`rag.text.figures.comparable`: 40 minutes is not a death toll, 12 killed is not
80,000 displaced), and only from passages that mention what the question names (a ferry's
12 dead are not the Norland floods' toll). It does not reconcile the figures.
"""

from __future__ import annotations

from rag.answering.scoring import RUNNER_UP_MARGIN, Sentence, counts_it
from rag.text.answer_kinds import answer_spans
from rag.text.figures import FigureMention, comparable, figure_mentions
from rag.text.lexicon import shared
from rag.text.question import Question


def _figure(sentence: Sentence, question: Question) -> FigureMention | None:
    """The figure in a sentence that is about what the question asks (the most question
    terms standing around it), among those that could answer it (`answer_spans`: a share
    for "what percentage", not a figure the question itself gives)."""
    answers = {value for _, _, value in answer_spans(sentence.text, "quantity", question)}
    best: tuple[FigureMention, int] | None = None
    for f in figure_mentions(sentence.text):
        if f.text not in answers:
            continue
        overlap = shared(question.terms, set(f.context))
        if overlap and (best is None or overlap > best[1]):
            best = (f, overlap)
    return best[0] if best else None


def find_conflict(
    question: Question,
    sentences: list[Sentence],
    threshold: float,
    margin: float = RUNNER_UP_MARGIN,
) -> list[tuple[Sentence, str]]:
    """Relevant sentences from different articles giving different figures for one quantity.

    The best sentence must clear the answer bar. Another article joins when its best sentence
    is nearly as relevant and gives a figure about the question, or, a little further down,
    a figure counting the same thing as one already in: the same unit word, or the same
    outcome (63,500 Israelis evacuated, 80,000 residents displaced). "Nearly" is the
    runner-up `margin` the quoted sentences use (the reader's calibration carries it).
    """
    if question.whole_kind != "quantity":
        return []
    counted = question.counted
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    if not ranked or ranked[0].score < threshold:
        return []
    close = max(threshold, ranked[0].score - 2.5 * margin)
    per_doc: dict[str, tuple[Sentence, FigureMention]] = {}
    for s in ranked:
        if s.score < threshold - margin:
            break
        if s.doc in per_doc or not counts_it(s, counted) or not (fig := _figure(s, question)):
            continue
        if question.missing_in(s.passage.node.get_content()):
            continue  # about something else: 12 died in a ferry capsizing is not the floods' toll
        if not all(comparable(fig, other) for _, other in per_doc.values()):
            continue  # a figure for something else (minutes beside a death toll)
        same_thing = any(
            (fig.unit and fig.unit == o.unit) or (fig.outcome and fig.outcome == o.outcome)
            for _, o in per_doc.values()
        )
        if s.score >= close or same_thing:
            per_doc[s.doc] = (s, fig)
    if len(per_doc) < 2 or len({f.value for _, f in per_doc.values()}) < 2:
        return []
    found = [(s, f.text) for s, f in per_doc.values()]
    found.sort(key=lambda p: (p[0].date != "", p[0].date), reverse=True)  # newest first
    return found
