"""A briefing's disagreements: one quantity given differently by different articles at once.

Figures are one quantity when they count the same thing in the same measure and scale
(`rag.briefing.quantities`: linked by the counted word or shared context); those that differ
between articles of the same moment (dated the same day) are set side by side, newest
article first. Those of different moments are a figure that moved, not a dispute: a
briefing shows them apart, oldest first (`figures_over_time`). A figure is often stated in a
sentence that is not about the topic as a whole, so the first few figures are also searched
for on their own (`corroboration`). What it leaves out: reading figures out of text
(`rag.briefing.quantities`) and writing the section (`rag.briefing.markdown`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from llama_index.core.schema import QueryBundle

from rag.answering.scoring import Sentence, score_sentences, split_sentences
from rag.answering.topic import RELEVANCE_FLOOR, TOPIC_FLOOR
from rag.briefing.merge import merge_twins
from rag.briefing.model import Line
from rag.briefing.quantities import Quantity, differ, quantities, same_quantity
from rag.retrieval import Filters
from rag.text.lexicon import cosine
from rag.text.reporting_lines import is_briefing_line

if TYPE_CHECKING:
    from rag.assistant import Assistant

FIGURE_QUERIES = 3  # figures searched for on their own
# A figure as one article gives it: the quantity, the line that states it, the article.
_Mention = tuple[Quantity, Line, str]


def _figures(s: Sentence) -> list[Quantity]:
    """Figures of a sentence that could be disputed (`rag.briefing.quantities`)."""
    return quantities(s.text)


def _one_quantity(lines: list[Line]) -> list[list[_Mention]]:
    """The lines' figures grouped by quantity, one mention per article in each group."""
    mentions = [(q, line, s.doc) for line in lines for s in line.sentences[:1] for q in _figures(s)]
    # a figure joins a group only when it is one quantity with every member: chaining
    # (US cases ~ "cases", "cases" ~ cases in 49 countries) would set unlike figures side by side
    grouped: list[list[_Mention]] = []
    for m in mentions:
        home = next(
            (g for g in grouped if all(m[2] != o[2] and same_quantity(m[0], o[0]) for o in g)), None
        )
        (home.append(m) if home is not None else grouped.append([m]))
    found = []
    for members in grouped:
        per_doc: dict[str, _Mention] = {}
        for m in members:
            per_doc.setdefault(m[2], m)
        found.append(list(per_doc.values()))
    return found


def _day(m: _Mention) -> date | None:
    return m[1].sentences[0].day


def _moments(group: list[_Mention]) -> list[list[_Mention]]:
    """A quantity's mentions by the moment they count: articles of the same day, oldest
    moment first (a tally a day later is an update: 3,000 US cases on Wednesday, 4,639 on
    Thursday); undated ones, which cannot be placed, join the newest."""
    dated = sorted((m for m in group if _day(m)), key=lambda m: _day(m) or date.min)
    moments: list[list[_Mention]] = []
    for m in dated:
        if moments and _day(m) == _day(moments[-1][0]):
            moments[-1].append(m)
        else:
            moments.append([m])
    undated = [m for m in group if not _day(m)]
    if moments:
        moments[-1] += undated
    elif undated:
        moments.append(undated)
    return moments


def _differ_within(mentions: list[_Mention]) -> bool:
    return any(differ(x[0], y[0]) for i, x in enumerate(mentions) for y in mentions[i + 1 :])


def disagreements(lines: list[Line]) -> list[list[tuple[str, Line]]]:
    """Figures of one quantity (same thing counted, same measure and scale) that differ
    between articles of the same moment (`_moments`), newest article first. Figures a
    few days apart that differ are a count that moved, not a disagreement
    (`figures_over_time`)."""
    result = []
    for group in _one_quantity(lines):
        for moment in _moments(group):
            if len(moment) >= 2 and _differ_within(moment):
                side = sorted(moment, key=lambda m: m[1].sentences[0].date or "0000", reverse=True)
                result.append([(m[0].text, m[1]) for m in side])
    return result


def figures_over_time(lines: list[Line]) -> list[list[tuple[str, Line]]]:
    """Figures of one quantity given at different moments that differ ("48,213 in its first
    week", then "212,400 since it opened"): one article per moment, oldest first."""
    result = []
    for group in _one_quantity(lines):
        series = [moment[0] for moment in _moments(group) if _day(moment[0])]
        if len(series) >= 2 and _differ_within(series):
            result.append([(m[0].text, m[1]) for m in series])
    return result


def corroboration(
    assistant: Assistant, lines: list[Line], filters: Filters, topic_vector: list[float]
) -> list[Line]:
    """Other articles' sentences about the quantities the relevant lines give figures for.

    A figure is often stated in a sentence that is not about the topic as a whole ("63,500
    Israelis were evacuated"), so each of the first few figures is searched for on its own;
    what comes back must still be near the topic (`TOPIC_FLOOR`), or a figure query about
    "a 175-mile drive" brings a ride-hailing review's "25 miles".
    """
    queries = []
    for line in lines:
        for q in _figures(line.sentences[0]):
            window = line.text[line.text.find(q.text) :][:90]
            if (q.unit or q.kind) and window not in queries:
                queries.append(window)
        if len(queries) >= FIGURE_QUERIES:
            break
    extra: list[Sentence] = []
    for query in queries:
        bundle = QueryBundle(query)
        nodes = assistant.retrieve(bundle, filters, top_k=8, per_article=2)
        found = [
            s
            for s in split_sentences(nodes)
            if _figures(s) and is_briefing_line(s.text) and not s.caption
        ]
        score_sentences(query, found, assistant.embed_model, bundle.embedding)
        extra += [
            s
            for s in found
            if s.score >= RELEVANCE_FLOOR and cosine(topic_vector, s.vector) >= TOPIC_FLOOR
        ]
    known = {(s.doc, s.text) for ln in lines for s in ln.sentences}
    return merge_twins([s for s in extra if (s.doc, s.text) not in known])
