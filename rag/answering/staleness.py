"""Older news gives way to newer: a sentence from an article published before the days a
question is about scores lower when another passage comes from those days.

Retrieval already ranks the question's news days first (`Question.news_days`), but the
answerer reads sentences, not ranks: asked "Which nation has become the latest to legalise
same-sex marriage?", a 2015 article's "Ireland became the first country…" outscored the
week's report of Cuba's vote. On RealTime QA, 17 of the 83 wrong answers quoting another
sentence than the gold's did so from an article over ten days older than the question while
a passage from those days held the gold (eval/findings/realtimeqa-2022.md). The cost is a
calibration figure (`Calibration.stale_cost`) chosen by replay, like the bars.

What it leaves out: undated articles (neither older nor newer), questions with explicit
dates (their filters already chose the days), and passages when none is from the news days
(then nothing is newer, and scores stay as read).
"""

from __future__ import annotations

from rag.answering.scoring import Sentence
from rag.text.question import Question


def discount_stale(
    question: Question, sentences: list[Sentence], cost: float, floor: float
) -> None:
    """Lower by `cost` (a share of its score) each sentence of an article published before
    the question's news days, when some sentence's article is from those days; never from
    `floor` (the answer bar) or above to below it. Newer news then ranks first, but whether
    the question is answered at all stays as the reader judged it: an older article may be
    the only one that answers (measured: without the floor, answerable questions refused
    rose from 0.053 to 0.064 at a cost of 0.1)."""
    if cost <= 0 or not sentences:
        return
    since = question.news_days.since
    days = [s.day for s in sentences]
    if not any(d is not None and d >= since for d in days):
        return
    for s, day in zip(sentences, days):
        if day is not None and day < since:
            lowered = max(s.score * (1.0 - cost), min(s.score, floor))
            s.stale_by, s.score = s.score - lowered, lowered
