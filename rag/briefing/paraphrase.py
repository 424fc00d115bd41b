"""Whether two briefing lines from different articles report the same fact in other words.

Syndicated copies share their wording and are merged by word overlap (`merge.merge_twins`);
two outlets reporting one fact ("Abe died after being shot while campaigning in Nara" and
"Abe died on Friday after being shot while giving a campaign speech") share little wording,
so a briefing listed the fact twice. Two lines are one fact when all of these hold:
- their meaning is close: cosine of their embeddings (the store's embedder) at least
  `SAME_FACT_COSINE`, chosen on pairs of on-topic lines from ten realtimeqa-2022 topics,
  judged by hand (`eval/findings/briefing-eval.md`);
- they state the same figures and dates (normalised by `rag.text.facts`: "1,200" is
  "1200", "July 8, 2022" is "2022-07-08"; "six" is "6"): a line that adds a figure says more, and
  one with another figure may be a disagreement, which must stay visible;
- they name a common actor or place (a name word in both);
- their articles are dated within `SAME_NEWS_DAYS` of each other: "WHO has declared an
  emergency" and "WHO plans to reassess whether it is an emergency" are close in meaning and
  a month apart.

What this leaves out: one line that says more than the other (it stays a line of its own).
"""

from __future__ import annotations

import re

from rag.answering.scoring import Sentence
from rag.text.facts import figures_and_dates, hard_facts
from rag.text.figures import NUMBER_WORDS
from rag.text.lexicon import cosine

SAME_FACT_COSINE = 0.72  # judged pairs: the 7 above were one fact, the best below (0.70) not
SAME_NEWS_DAYS = 2


_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS[2:]) + r")\b", re.I)  # not "one of them"


def figures(text: str) -> set[str]:
    """The figures and dates a line states, normalised ("six" is "6")."""
    found = figures_and_dates(text)
    found |= {str(NUMBER_WORDS.index(m.group(1).lower())) for m in _NUMBER_WORD.finditer(text)}
    return found


def name_words(text: str) -> set[str]:
    """Words of the names a line states (what the citation check calls names)."""
    facts = hard_facts(text)
    return {w.lower() for f in facts if f[:1].isupper() for w in f.split()}


def same_fact(a: Sentence, b: Sentence) -> bool:
    """Whether `a` and `b` report one fact (see the module docstring)."""
    if a.doc == b.doc or not a.vector or not b.vector:
        return False
    da, db = a.day, b.day
    if da is None or db is None or abs((da - db).days) > SAME_NEWS_DAYS:
        return False
    return (
        cosine(a.vector, b.vector) >= SAME_FACT_COSINE
        and figures(a.text) == figures(b.text)
        and bool(name_words(a.text) & name_words(b.text))
    )
