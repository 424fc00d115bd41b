"""Cited briefings: summary, key points, timeline, disagreements, open questions, footnotes.

Extractive: it retrieves widely for the topic (several passages per article), scores every
sentence like the answerer does, merges near-identical sentences from syndicated copies into
one line citing every outlet, and arranges what is relevant into sections. Every line carries
its `[n]`; every footnote holds the verbatim quoted span, which `check_briefing` re-verifies
against the stored articles later. Disagreements are the same quantity given differently by
different articles (linked by the counted word or shared context), shown side by side, newest
first. With an LLM configured, the summary is written by the model from the numbered quotes and goes
through the same citation check as LLM answers; the other sections stay extractive. If the
endpoint fails, the extractive summary stands and the briefing says so.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from llama_index.core.schema import QueryBundle

from rag.answer import defuse_markers
from rag.answering.scoring import Sentence, score_sentences, split_sentences
from rag.briefing.model import Briefing, Event, Line
from rag.briefing.summary import llm_summary
from rag.retrieval import Filters
from rag.text.dates import dates_in
from rag.text.figures import figure_mentions
from rag.text.lexicon import akin, cosine

if TYPE_CHECKING:
    from rag.assistant import Assistant

PASSAGES = 14
PER_ARTICLE = 3
SUMMARY_SENTENCES = 2
KEY_POINTS = 8
RELEVANCE_FLOOR = 0.30
GROUP_SIMILARITY = 0.45
_OPEN = re.compile(r"\b(remains? (uncertain|unclear|unknown)|(is|was) (unclear|not clear|not "
                   r"known)|without elaborating|declined to (say|comment)|did not (say|give|"
                   r"elaborate)|could not be (confirmed|verified)|no details)\b", re.I)
_CAPTION = re.compile(r"^(this|the|a) (picture|photo|image|file photo|video)\b|\((right|left|"
                      r"center|centre|[LR]|2nd [LR])\)", re.I)  # photo captions are not reporting
_MONTH_YEAR = re.compile(r"\b(?i:in|since|by|from|until)\s+(" + "|".join(
    m for m in calendar.month_name if m) + r")\s+((?:19|20)\d\d)\b")


def _twins(a: Sentence, b: Sentence) -> bool:
    """Near-identical wording (syndicated copies), not merely a shared subject."""
    if not a.terms or not b.terms:
        return a.text == b.text
    return len(a.terms & b.terms) / max(len(a.terms), len(b.terms)) >= 0.7


def _merge_twins(sentences: list[Sentence]) -> list[Line]:
    """One line per distinct sentence, carrying every article that says (nearly) the same."""
    lines: list[Line] = []
    for s in sorted(sentences, key=lambda s: s.score, reverse=True):
        twin = next((ln for ln in lines if _twins(s, ln.sentences[0])), None)
        if twin is None:
            lines.append(Line(defuse_markers(s.text), [s]))
        elif s.doc not in {t.doc for t in twin.sentences}:
            twin.sentences.append(s)
    return lines


def _label(group: list[Line]) -> str:
    counts: dict[str, int] = {}
    for line in group:
        for name in set(re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]{3,}", line.text)):
            counts[name] = counts.get(name, 0) + 1
    top = sorted(counts, key=lambda k: (-counts[k], k))[:3]
    return ", ".join(top) or "Other points"


def _group(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    groups: list[list[Line]] = []
    for line in lines:
        home = next((g for g in groups if cosine(g[0].sentences[0].vector,
                                                   line.sentences[0].vector) >= GROUP_SIMILARITY),
                    None)
        (home.append(line) if home is not None else groups.append([line]))
    for g in groups:  # within a sub-topic, newest article first
        g.sort(key=lambda ln: ln.sentences[0].passage.node.metadata.get("date") or "",
               reverse=True)
    return [(_label(g), g) for g in groups]


def _events(lines: list[Line]) -> list[Event]:
    """Dates stated in the text, and each dated article's most relevant line at its date."""
    events = []
    dated_articles: set[str] = set()
    for line in lines:  # lines are best first
        first = line.sentences[0]
        published = first.passage.node.metadata.get("date")
        if published and first.doc not in dated_articles:
            dated_articles.add(first.doc)
            events.append(Event(date.fromisoformat(published), f"{published} (published)",
                                line))
    for line in lines:
        text = line.text
        for _, _, when in dates_in(text):
            events.append(Event(when, when.isoformat(), line))
        for m in _MONTH_YEAR.finditer(text):
            month = list(calendar.month_name).index(m.group(2))
            events.append(Event(date(int(m.group(3)), month, 1), f"{m.group(2)} {m.group(3)}",
                                line))
    seen, unique = set(), []
    for ev in sorted(events, key=lambda e: (e.when, e.line.text)):
        if (ev.when, ev.line.text) not in seen:
            seen.add((ev.when, ev.line.text))
            unique.append(ev)
    return unique


def _figures(s: Sentence) -> list[tuple[str, float, str, set[str]]]:
    """Figure mentions of a sentence; small counts ("two men") are rarely the disputed one."""
    return [(f.text, f.value, f.unit, set(f.context)) for f in figure_mentions(s.text)
            if f.value >= 10]


def _disagreements(lines: list[Line]) -> list[list[tuple[str, Line]]]:
    mentions = [(text, value, unit, ctx, line, s.doc)
                for line in lines for s in line.sentences[:1] for text, value, unit, ctx in
                _figures(s)]
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            b = mentions[j]
            if a[5] == b[5]:
                continue
            shared = sum(any(akin(x, y) for y in b[3]) for x in a[3])
            if (a[2] and b[2] and akin(a[2], b[2]) and shared >= 1) or shared >= 2:
                parent[find(i)] = find(j)
    groups: dict[int, list] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    result = []
    for members in groups.values():
        per_doc: dict[str, tuple] = {}
        for m in members:
            per_doc.setdefault(m[5], m)
        if len(per_doc) >= 2 and len({m[1] for m in per_doc.values()}) >= 2:
            side = sorted(per_doc.values(), key=lambda m: m[4].sentences[0].passage.node
                          .metadata.get("date") or "0000", reverse=True)
            result.append([(m[0], m[4]) for m in side])
    return result


def _corroboration(assistant: Assistant, lines: list[Line], filters: Filters) -> list[Line]:
    """Other articles' sentences about the quantities the relevant lines give figures for.

    A figure is often stated in a sentence that is not about the topic as a whole ("63,500
    Israelis were evacuated"), so each of the first few figures is searched for on its own.
    """
    queries = []
    for line in lines:
        for text, _, unit, context in _figures(line.sentences[0]):
            window = line.text[line.text.find(text):][:90]
            if unit and window not in queries:
                queries.append(window)
        if len(queries) >= 3:
            break
    extra: list[Sentence] = []
    for query in queries:
        bundle = QueryBundle(query)
        nodes = assistant.retrieve(bundle, filters, top_k=8, per_article=2)
        found = [s for s in split_sentences(nodes) if _figures(s)]
        score_sentences(query, found, assistant.embed_model, bundle.embedding)
        extra += [s for s in found if s.score >= RELEVANCE_FLOOR]
    known = {(s.doc, s.text) for ln in lines for s in ln.sentences}
    return _merge_twins([s for s in extra if (s.doc, s.text) not in known])


def _number(lines_in_order: list[Line]) -> list[Sentence]:
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


def build_briefing(assistant: Assistant, topic: str, filters: Filters = Filters()
                   ) -> Briefing:
    settings = assistant.settings
    if filters and assistant.matching_articles(filters) == 0:
        raise ValueError("No stored article matches the filters; widen the dates or outlets.")
    bundle = QueryBundle(topic)
    nodes = assistant.retrieve(bundle, filters, top_k=PASSAGES, per_article=PER_ARTICLE)
    sentences = split_sentences(nodes)
    score_sentences(topic, sentences, assistant.embed_model, bundle.embedding)
    relevant = [s for s in sentences
                if s.score >= RELEVANCE_FLOOR and not _CAPTION.search(s.text)]
    lines = _merge_twins(relevant)
    summary = lines[:SUMMARY_SENTENCES]
    points = lines[SUMMARY_SENTENCES:SUMMARY_SENTENCES + KEY_POINTS]
    key_points = _group(points)
    timeline = _events(lines)
    disagreements = _disagreements(lines + _corroboration(assistant, lines, filters))
    open_questions = [ln for ln in lines if _OPEN.search(ln.text)]
    ordered = summary + [ln for _, g in key_points for ln in g] + [e.line for e in timeline] \
        + [ln for group in disagreements for _, ln in group] + open_questions
    footnotes = _number(ordered)
    mode, notice = "extractive", ""
    if settings.use_llm and footnotes:
        summary, mode, notice = llm_summary(settings, assistant.embed_model, topic, footnotes,
                                            summary)
    return Briefing(
        topic=topic, generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        filters=filters.describe(), summary=summary, key_points=key_points, timeline=timeline,
        disagreements=disagreements, open_questions=open_questions, footnotes=footnotes,
        reproducibility={
            "corpus": assistant.store.fingerprint(), "mode": mode, "notice": notice,
            "model": settings.llm_model if mode == "llm" else "none",
            "embedder": settings.embed_backend,
            "retrieval": {"passages": PASSAGES, "per_article": PER_ARTICLE,
                          "candidates_k": settings.candidates_k,
                          "chunk_tokens": settings.chunk_tokens,
                          "relevance_floor": RELEVANCE_FLOOR}})


