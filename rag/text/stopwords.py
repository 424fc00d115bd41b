"""Words that carry no content: what `terms()` leaves out, and the words questions open with.

`STOPWORDS` is bm25s's English list plus auxiliaries, question words and reporting verbs
("said", "according"): a sentence shares a question's wording through its other words.
`QUESTION_STARTERS` are words capitalised only because a question or an instruction opens
with them ("What", "Tell", "According"), so they never count as names. Lists only: stemming
and matching are `rag.text.lexicon`'s job.
"""

from __future__ import annotations

QUESTION_STARTERS = frozenset(
    (
        "what who whom whose which when where why how did does do is are was were has have "
        "had can could will would should according in on the a an and of to for i tell list "
        "name give describe explain summarize summarise about"
    ).split()
)


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    auxiliaries = set(
        (
            "am is are was were be been being have has had do does did will would shall should "
            "can could may might must many much what which who whom whose when where why how"
        ).split()
    )
    return frozenset(STOPWORDS_EN) | auxiliaries | {"say", "said", "says", "according", "also"}


STOPWORDS = _stopwords()
