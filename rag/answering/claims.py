"""A generated reply read as claims: its sentences, the passage numbers each cites, and which
of them state nothing (questions, fragments, the prompt echoed back).

A marker written after a sentence's end mark ("… land? [1] What …") cites the sentence before
it, not the next one. A question is not a claim: a sentence ending in "?", or an interrogative
left without one ("What is the Bill of Rights"). An ordinary sentence is one as prose has it;
"Rules:" or "date 2024" is not. What it leaves out: whether a passage backs a claim
(`rag.answering.support`) and what the check makes of the verdicts (`rag.answering.citecheck`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.text.markers import cited_numbers, leading_markers, strip_markers
from rag.text.sentences import sentence_spans

_ECHO = re.compile(r"(?mi)^\W*(?:passages?|question)\s*:|\brules\s*:")
_ORDINARY = re.compile(r"[\"“(]?[A-Z0-9][^:\n]*[a-z0-9%)\"”'’][.!?][\"”)]?", re.S)
_WH = r"(?i:what|who|whom|whose|which|why|how|where|when)"
_AUX = (
    r"(?i:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|"
    r"may|might)"
)
# An interrogative without its "?": a wh-word and an auxiliary ("In the U.S., what is …",
# "How many people were killed"), or an auxiliary before its subject ("Did Gallant …"),
# perhaps after an opening phrase ("In the U.S.,", not "The pier, which was …").
_INTERROGATIVE = re.compile(
    rf"^[\"“(]?(?:(?i:in|on|at|for|according to|as of|during|after|before|since|by|from|"
    rf"under|within)\b[^,]{{0,60}},\s*)?(?:{_WH}\s+(?:[\w’'\-]+\s+){{0,3}}?{_AUX}\b"
    rf"|{_AUX}\s+(?:(?i:he|she|it|they|we|you|there|the|this|that|a|an)\b|[A-Z]))"
)


@dataclass
class Claim:
    """One sentence of a reply and what became of its citations."""

    text: str  # the sentence without its markers
    cited: list[int]  # passage numbers as the model wrote them
    kept: list[int] = field(default_factory=list)  # passage numbers that support it
    problems: list[str] = field(default_factory=list)


def echoes_prompt(reply: str) -> bool:
    """Whether the reply repeats the prompt's scaffolding instead of answering."""
    return bool(_ECHO.search(reply))


def is_question(text: str) -> bool:
    """Whether `text` asks rather than states: it ends with "?", or it is an interrogative
    ("What is the Bill of Rights") with no full stop to say otherwise."""
    end = text.strip().rstrip("\"”’')] ")
    if end.endswith("?"):
        return True
    return not end.endswith((".", "!")) and bool(_INTERROGATIVE.match(text.strip()))


def ordinary_sentence(text: str) -> bool:
    """A sentence as prose has it: capital or digit first, no colon, an end mark ("Yes.")."""
    return bool(_ORDINARY.fullmatch(text.strip()))


def split_claims(answer: str) -> list[Claim]:
    """The reply's sentences with the passage numbers each cites. Markers after a sentence's
    end mark ("… land? [1] What is …", the check's own "claim. [1]") belong to the sentence
    before them, though the splitter starts the next sentence with them."""
    claims: list[Claim] = []
    for start, end in sentence_spans(answer):
        piece = answer[start:end]
        if claims:
            leading, piece = leading_markers(piece)
            claims[-1].cited += leading
        cited = cited_numbers(piece)
        text = strip_markers(piece).strip()
        if text:
            claims.append(Claim(text=text, cited=cited))
        elif cited and claims:  # a marker that the splitter put on its own
            claims[-1].cited += cited
    return claims
