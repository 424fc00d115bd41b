"""Whether a generated answer answers the question asked, not merely something true.

The citation check proves each sentence is backed by a passage; it cannot tell that the
sentences answer the question. Measured on real news with a 0.5B model, every generated
answer that passed the check was a verbatim passage sentence beside the point ("Austin
confirmed the pier will soon cease operations" for "How much did the pier cost?"). This gate
catches the two plain cases, so the fallback quotes the passages instead:
- the question asks for a kind of thing (a figure, a year, a date, a person, a place, a
  name; see `rag.text.answer_kinds`) and the answer states none the question does not
  already state;
- otherwise, the answer shares no content word with the question at all.
What it leaves out: judging whether a figure is the *right* figure, or whether a
description answers "Who is X?". That needs a reader model, which is not available offline.
Multi-part questions are only held to the second rule (each part may be answered by a
different kind).
"""

from __future__ import annotations

import re

from rag.text.answer_kinds import answer_kind, answer_spans
from rag.text.lexicon import shared, terms
from rag.text.question_parts import split_question

_KIND_WORDS = {"quantity": "figure", "year": "year", "date": "date", "person": "person",
               "place": "place", "name": "name"}


def off_question(question: str, answer: str) -> str:
    """Why `answer` (citation markers allowed) does not answer `question`, or "" when it may."""
    answer = re.sub(r"\s*\[\d+\]", "", answer)  # a marker is not a figure
    kind = answer_kind(question) if len(split_question(question)) == 1 else None
    if kind:
        if answer_spans(answer, kind, question):
            return ""
        return (f"the question asks for a {_KIND_WORDS[kind]} and the answer states none "
                "the question does not already give")
    asked = terms(question)
    if asked and not shared(asked, terms(answer)):
        return "the answer shares no word with the question"
    return ""
