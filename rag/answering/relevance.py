"""Whether a generated answer answers the question asked, not merely something true.

The citation check proves each sentence is backed by a passage; it cannot tell that the
sentences answer the question. Measured on real news with a 0.5B model, every generated
answer that passed the check was a verbatim passage sentence beside the point ("Austin
confirmed the pier will soon cease operations" for "How much did the pier cost?"). This gate
catches the two plain cases, so the fallback quotes the passages instead:
- the question asks for a kind of thing (a figure, a year, a date, a person, a place, a
  name; see `rag.text.asked_kind`) and the answer states none the question does not
  already state;
- otherwise, the answer shares no content word with the question at all.
- the trained reader (`rag.answering.reading`), reading the question with the answer as its
  passage, finds no answer in it (below the calibration's gate bar, or the answer bar where
  none was chosen): a figure beside the point ("the pier will soon cease operations" for
  "How much did the pier cost?"). A question asking what the articles say on a topic has
  no answer span to find, so is held to the rule above only.
Multi-part questions are only held to the second rule (each part may be answered by a
different kind).
"""

from __future__ import annotations

from rag.answering.reading import answer_probability, calibration
from rag.text.answer_kinds import answer_spans
from rag.text.lexicon import shared, terms
from rag.text.markers import strip_markers
from rag.text.question import Question

_KIND_WORDS = {
    "quantity": "figure",
    "year": "year",
    "date": "date",
    "person": "person",
    "place": "place",
    "name": "name",
}


def off_question(question: str | Question, answer: str) -> str:
    """Why `answer` (citation markers allowed) does not answer `question`, or "" when it may."""
    question = Question.of(question)
    answer = strip_markers(answer)  # a marker is not a figure
    single = len(question.parts) == 1
    kind = question.kind if single else None
    if kind and not answer_spans(answer, kind, question):
        return (
            f"the question asks for a {_KIND_WORDS[kind]} and the answer states none "
            "the question does not already give"
        )
    asked = question.terms
    if not kind and asked and not shared(asked, terms(answer)):
        return "the answer shares no word with the question"
    if (
        single
        and question.topic is None
        and answer_probability(question.reader_text, answer) < calibration().relevance_bar
    ):
        return "the reader finds no answer to the question in it"
    return ""
