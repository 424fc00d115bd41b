"""The `[n]` citation marker and the refusal sentence, written once for the whole product.

Answers and briefings write a marker as `[n]`; a generated answer may also group them as
`[n, m]`. Everything that reads an answer (the citation check, the chat and the Briefing tab,
briefing files and their `--check`, the eval harness) finds, strips and renumbers markers
here, so all of them accept the same syntax. A run of markers ("… [1] [2]") closes the claim
before it. The refusal sentence ("The articles do not say") is here too: answerers and prompts
write it, the citation check recognises it.
What it leaves out: what a number points at (`rag.answer.Citation`), lookalike markers inside
article text (escaped, superscript, fullwidth: `rag.text.article_markers` removes those
before an article's words are quoted), and `[n]: …` footnote lines of a briefing file
(`rag.briefing.markdown` reads those).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, Mapping

__all__ = [
    "MARKER",
    "NOT_SAID",
    "cited_numbers",
    "is_refusal",
    "leading_markers",
    "marker_runs",
    "markers",
    "renumber",
    "strip_markers",
]

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")  # one marker: [3] or [3, 5]
_RUN = re.compile(r"(?:\s*\[\d+(?:\s*,\s*\d+)*\])+")  # markers one after another
_SPACED = re.compile(r"\s*" + MARKER.pattern)

NOT_SAID = "The articles do not say"
_REFUSAL = re.compile(r"^\W*the articles do not (say|mention|contain)", re.I)


def markers(numbers: Iterable[int]) -> str:
    """Markers as answers write them: `[1] [3]` (empty for no numbers)."""
    return " ".join(f"[{n}]" for n in numbers)


def _numbers(group: str) -> list[int]:
    return [int(n) for n in group.split(",")]


def cited_numbers(text: str) -> list[int]:
    """Every number the markers in `text` cite, in order (`[1, 2] … [4]` → 1, 2, 4)."""
    return [n for m in MARKER.finditer(text) for n in _numbers(m.group(1))]


def strip_markers(text: str) -> str:
    """`text` without its markers (and the space before each)."""
    return _SPACED.sub("", text)


def renumber(text: str, new: Mapping[int, int] | Callable[[int], int]) -> str:
    """Each marker's numbers mapped through `new` (a briefing renumbers its footnotes)."""
    to = new.__getitem__ if isinstance(new, Mapping) else new
    return MARKER.sub(
        lambda m: "[" + ", ".join(str(to(n)) for n in _numbers(m.group(1))) + "]", text
    )


def marker_runs(text: str) -> Iterator[tuple[int, int, list[int]]]:
    """(start, end, numbers) of each run of markers, the space before it included: the
    claim a run closes is the text between the previous run's end and this one's start."""
    for m in _RUN.finditer(text):
        yield m.start(), m.end(), cited_numbers(m.group(0))


def leading_markers(text: str) -> tuple[list[int], str]:
    """The numbers of a run of markers that opens `text`, and the rest of the text (a
    sentence splitter puts the markers after "land?" at the start of the next sentence)."""
    m = _RUN.match(text)
    return (cited_numbers(m.group(0)), text[m.end() :]) if m else ([], text)


def is_refusal(text: str) -> bool:
    """Whether an answer opens by saying the articles do not answer (in any of the ways a
    model says it: "do not say", "do not mention", "do not contain")."""
    return bool(_REFUSAL.match(text))
