"""A briefing's footnotes: every cited article sentence numbered in order of first use.

Lines carry the numbers of the footnotes they cite; when generated lines replace extractive
ones, the footnotes are renumbered to those still cited. What it leaves out: writing the
footnotes with their quotes (`rag.briefing.markdown`) and re-verifying them (`check_briefing`).
"""

from __future__ import annotations

from rag.answering.scoring import Sentence
from rag.briefing.model import Event, Line
from rag.text.markers import cited_numbers, renumber


def in_order(
    summary: list[Line],
    key_points: list[tuple[str, list[Line]]],
    timeline: list[Event],
    disagreements: list[list[tuple[str, Line]]],
    open_questions: list[Line],
    over_time: list[list[tuple[str, Line]]] | None = None,
) -> list[Line]:
    """Every line of a briefing in the order its sections show them (a line that stands in two
    sections comes twice)."""
    return (
        summary
        + [ln for _, g in key_points for ln in g]
        + [e.line for e in timeline]
        + [ln for group in disagreements for _, ln in group]
        + [ln for group in over_time or [] for _, ln in group]
        + open_questions
    )


def number(lines_in_order: list[Line]) -> list[Sentence]:
    """Give every cited article sentence its footnote number, in order of first use."""
    footnotes: list[Sentence] = []
    index: dict[tuple[str, str], int] = {}
    for line in lines_in_order:
        line.numbers = []
        for s in line.sentences:
            key = (s.doc, s.text)
            if key not in index:
                footnotes.append(s)
                index[key] = len(footnotes)
            line.numbers.append(index[key])
    return footnotes


def still_cited(
    footnotes: list[Sentence], every: list[Line], summary: list[Line]
) -> list[Sentence]:
    """The footnotes still cited by `every` line of the briefing (`in_order`), renumbered 1..m
    in order of first use.

    Generated lines replace extractive ones, so quotes only the replaced lines cited would
    stand in the Sources unused. Lines are renumbered in place; markers written inline (the
    generated `summary`'s, whose lines carry no numbers) are rewritten.
    """
    inline = {id(ln) for ln in summary if not ln.numbers}
    lines = list({id(ln): ln for ln in every}.values())  # a line in two sections counts once
    new: dict[int, int] = {}
    for line in lines:
        olds = cited_numbers(line.text) if id(line) in inline else line.numbers
        for old in olds:
            new.setdefault(old, len(new) + 1)
    for line in lines:
        if id(line) in inline:
            line.text = renumber(line.text, new)
        else:
            line.numbers = [new[n] for n in line.numbers]
    return [footnotes[old - 1] for old, _ in sorted(new.items(), key=lambda kv: kv[1])]
