"""The reader's runners-up inside a sentence (`PassageReading.spans_within`), and the short
answer taken from them when the reader's best span names what the question already names."""

from __future__ import annotations

import re

import numpy as np
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answering.reading import span_runners_up
from rag.answering.scoring import Sentence
from rag.answering.short import short_answer
from rag.reader.model import PassageReading
from rag.text.answer_kinds import answer_spans
from rag.text.question import Question

PASSAGE = "Lawmakers met late. The Senate passed the Inflation Reduction Act on Sunday."
SENTENCE_AT = PASSAGE.index("The Senate")


def reading(scores: dict[str, tuple[float, float]]) -> PassageReading:
    """A one-window reading whose word pieces are the passage's words: each word named in
    `scores` gets that (start, end) pair of logits, every other word -5 for both."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", PASSAGE)]
    starts = np.array([0.0] + [scores.get(PASSAGE[a:b], (-5.0, -5.0))[0] for a, b in words] + [0])
    ends = np.array([0.0] + [scores.get(PASSAGE[a:b], (-5.0, -5.0))[1] for a, b in words] + [0])
    offsets: list[tuple[int, int] | None] = [None, *words, None]
    return PassageReading(PASSAGE, null=0.0, windows=[(starts, ends, offsets)])


# the reader marks "The Senate" best and "the Inflation Reduction Act" next; "Lawmakers", in
# the sentence before, scores above both
LOGITS = {
    "Lawmakers": (9.0, 9.0),
    "The": (6.0, -5.0),
    "Senate": (-5.0, 6.0),
    "the": (4.0, -5.0),
    "Act": (-5.0, 4.0),
}


def scored_sentence(read: PassageReading) -> Sentence:
    node = NodeWithScore(node=TextNode(text=PASSAGE, start_char_idx=0), score=1.0)
    sentence = Sentence(PASSAGE[SENTENCE_AT:], SENTENCE_AT, len(PASSAGE), node, 0, score=0.7)
    best = read.best_within(SENTENCE_AT, len(PASSAGE))
    assert best is not None
    sentence.span, sentence.span_at, sentence.reading = best.text, (best.start, best.end), read
    return sentence


def test_spans_within_lists_the_best_spans_inside_the_range_best_first() -> None:
    spans = reading(LOGITS).spans_within(SENTENCE_AT, len(PASSAGE), 3)
    # start and end logits add up: the best start with the runner-up's end comes second
    assert [s.text for s in spans] == [
        "The Senate",
        "The Senate passed the Inflation Reduction Act",
        "the Inflation Reduction Act",
    ]
    assert [s.score for s in spans] == [12.0, 10.0, 8.0]
    assert all(s.start >= SENTENCE_AT for s in spans)  # "Lawmakers" lies outside


def test_the_runners_up_leave_out_the_best_span_itself() -> None:
    sentence = scored_sentence(reading(LOGITS))
    assert sentence.span == "The Senate"
    assert span_runners_up(sentence, 2)[0] == "the Inflation Reduction Act"
    assert "The Senate" not in span_runners_up(sentence, 5)


def test_a_best_span_the_question_already_says_gives_way_to_the_runner_up() -> None:
    sentence = scored_sentence(reading(LOGITS))
    assert short_answer(sentence, Question("What did the Senate pass on Sunday?")) == (
        "the Inflation Reduction Act"
    )
    # asked otherwise, the reader's best span is the answer
    assert short_answer(sentence, Question("What happened to the climate bill?")) == "The Senate"


def test_a_question_of_a_known_kind_is_not_answered_by_a_runner_up_of_another_kind() -> None:
    sentence = scored_sentence(reading(LOGITS))
    # "how much": a figure or nothing; this sentence writes none
    assert short_answer(sentence, Question("How much did the Senate pass on Sunday?")) is None


def test_a_person_the_question_names_in_lower_case_is_not_the_answer() -> None:
    """Casual wording has no capitals to tell a name: "gallant" is Yoav Gallant."""
    text = "Israeli Defense Minister Yoav Gallant spoke with his counterpart Lloyd Austin."
    asked = Question("who did gallant talk to")
    assert [v for _, _, v in answer_spans(text, "person", asked)] == ["Lloyd Austin"]
    # "US Open" restates the question's "U.S. Open"; Kontaveit is who was asked for
    text = "Williams beat Anett Kontaveit at the US Open on Wednesday."
    asked = Question("Serena Williams pulled off an upset at the U.S. Open. Who did she beat?")
    assert [v for _, _, v in answer_spans(text, "person", asked)] == ["Anett Kontaveit"]
    # only for a person: a place the question's words end ("New York City") is still a place
    text = "The parade went through New York City on Sunday."
    assert answer_spans(text, "place", Question("Which city held the parade?"))[0][2] == (
        "New York City"
    )
