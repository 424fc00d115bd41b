"""Sentence boundaries, shared by the chunker and the extractive answerer.

NLTK's Punkt model (shipped inside llama-index, so nothing is downloaded) taught the titles and
abbreviations news copy is full of ("Lt. Gen.", "U.S.", "Gov."), and told that a line break
ends a sentence, because headlines, captions and bylines carry no full stop. Returns spans, so
callers keep exact character offsets. The chunker stores each chunk's spans in its metadata
(`sentences`), so answering reads them back instead of loading NLTK in every process. `asks`
tells a question from a statement, for answers and briefings alike.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from rag.text.dates import MONTH_NUMBERS, WEEKDAYS
from rag.text.galleries import without_gallery_furniture

# A clock time's "a.m." / "p.m." ends a sentence only when a new one starts after it ("at 9
# a.m. It closes…"); Punkt splits after it before a time zone, a day or a lower-case word too.
_CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.I)
_TIME_ZONES = frozenset(
    "et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet cest ist jst aest local".split()
)
_GOES_ON = frozenset(WEEKDAYS) | frozenset(MONTH_NUMBERS) | _TIME_ZONES
SPANS_KEY = "sentences"  # chunk metadata: "start:end,start:end" relative to the chunk text
_ASKS = re.compile(r"\?[\"'”’)\]]*\s*$")


def asks(sentence: str) -> bool:
    """Whether a sentence is a question (ends in "?", closing quotes aside): an article's
    sub-heading ("What does “PSL” stand for?") or a quiz page's question asserts nothing, so it
    neither answers a question nor stands as a line of a briefing."""
    return bool(_ASKS.search(sentence))


ABBREVIATIONS = {
    "lt",
    "gen",
    "col",
    "maj",
    "sgt",
    "capt",
    "cpt",
    "adm",
    "cmdr",
    "brig",
    "lt.col",
    "rep",
    "sen",
    "gov",
    "pres",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "d.c",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "corp",
    "co",
    "ltd",
    "e.g",
    "i.e",
    "approx",
    "est",
}


@lru_cache(maxsize=1)
def _punkt() -> Any:
    from llama_index.core.utils import globals_helper

    tokenizer = copy.deepcopy(globals_helper.punkt_tokenizer)
    tokenizer._params.abbrev_types.update(ABBREVIATIONS)
    return tokenizer


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed; a line break ends one, unless it
    only wraps a sentence (the next line goes on in lower case: plain-text articles are often
    hard-wrapped, and "… after\nrepairs that cost $14 million." is one sentence)."""
    spans: list[tuple[int, int]] = []
    for block in _blocks(text):
        flat = text[block[0] : block[1]].replace("\n", " ")  # same length: offsets hold
        in_block = len(spans)
        for s, e in _punkt().span_tokenize(flat):
            piece = flat[s:e]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if not piece:
                continue
            start = block[0] + s + lead
            if len(spans) > in_block and _goes_on_after_clock(
                text[spans[-1][0] : spans[-1][1]], piece
            ):
                spans[-1] = (spans[-1][0], start + len(piece))
            else:
                spans.append((start, start + len(piece)))
    return spans


def _goes_on_after_clock(before: str, piece: str) -> bool:
    """Whether `piece` continues the sentence `before` that Punkt ended at a clock time's
    "a.m." or "p.m.": it opens with a time zone, a day, a month or a lower-case word ("at
    7:30 a.m. ET Wednesday", "10 a.m. Tuesday, officials said", "5 p.m. on Sundays")."""
    if not _CLOCK_END.search(before):
        return False
    first = re.match(r"[\w']+", piece)
    if first is None:
        return False
    word = first.group(0)
    return word[0].islower() or word.lower().rstrip(".") in _GOES_ON


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines a sentence may span: a line joins the one before when that one does not
    end a sentence and this one starts in lower case."""
    blocks: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        if not line.group(0).strip():
            continue
        if (
            blocks
            and text[blocks[-1][1] : line.start()].count("\n") == 1
            and line.group(0).lstrip()[:1].islower()
            and text[blocks[-1][0] : blocks[-1][1]].rstrip()[-1:] not in '.!?:"”'
        ):
            blocks[-1] = (blocks[-1][0], line.end())
        else:
            blocks.append((line.start(), line.end()))
    return blocks


def split_keeping_whitespace(text: str) -> list[str]:
    """Sentences that concatenate back to `text` exactly (what llama-index splitters need)."""
    spans = sentence_spans(text)
    if not spans:
        return [text] if text else []
    pieces = []
    for i, (start, _) in enumerate(spans):
        begin = 0 if i == 0 else start
        end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        pieces.append(text[begin:end])
    return pieces


def encode_spans(spans: list[tuple[int, int]]) -> str:
    return ",".join(f"{s}:{e}" for s, e in spans)


def node_sentence_spans(node: Any) -> list[tuple[int, int]]:
    """A chunk's sentence spans: as stored at ingest, or computed for older chunks; a photo
    gallery's read as its captions (`rag.text.galleries`), in stores of any age."""
    text = node.get_content()
    stored = (getattr(node, "metadata", None) or {}).get(SPANS_KEY)
    if isinstance(stored, str):
        spans = [(int(s), int(e)) for s, e in (p.split(":") for p in stored.split(",") if p)]
    else:
        spans = sentence_spans(text)
    return without_gallery_furniture(text, spans)
