"""Cited briefings: summary, key points, timeline, disagreements, open questions, footnotes.

Extractive: it retrieves widely for the topic (several passages per article), scores every
sentence like the answerer does, merges near-identical sentences from syndicated copies, and
the same fact reported by several outlets in other words (`rag.briefing.paraphrase`), into
one line citing every outlet, and arranges what is relevant into sections. Every line carries
its `[n]`; every footnote holds the verbatim quoted span, which `check_briefing` re-verifies
against the stored articles later. Disagreements are the same quantity given differently by
different articles (linked by the counted word or shared context), shown side by side, newest
first. With an LLM configured, the summary and the key points are written by the model from
the numbered quotes (`rag.briefing.summary`, `rag.briefing.written_points`) and go through the
same citation check as LLM answers; the timeline, disagreements and open questions stay
extractive. If the endpoint fails, or nothing written survives the check, the extractive
section stands and the briefing says so; footnotes are renumbered to those still cited.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from llama_index.core.schema import QueryBundle

from rag.answer import defuse_markers
from rag.answering.scoring import Sentence, score_sentences, split_sentences
from rag.briefing.lines import OTHER, group_label, is_briefing_line
from rag.briefing.model import Briefing, Event, Line
from rag.briefing.paraphrase import same_fact
from rag.briefing.quantities import Quantity, differ, quantities, same_quantity
from rag.briefing.summary import llm_summary
from rag.briefing.when import stated_dates
from rag.briefing.written_points import llm_key_points
from rag.retrieval import Filters
from rag.text.lexicon import cosine
from rag.text.markers import cited_numbers, renumber

if TYPE_CHECKING:
    from rag.assistant import Assistant

PASSAGES = 14
PER_ARTICLE = 3
SUMMARY_SENTENCES = 2
KEY_POINTS = 8
RELEVANCE_FLOOR = 0.30
TOPIC_FLOOR = 0.35  # cosine to the topic's own embedding (all-MiniLM-L6-v2)
ANCHOR_SHARE = 0.4  # of the best line's topic-word overlap, for a line to anchor the topic
PROFILE_FLOOR = 0.55  # cosine to the mean of the topic and its anchors
GROUP_SIMILARITY = 0.45
_OPEN = re.compile(
    r"\b(remains? (uncertain|unclear|unknown)|(is|was) (unclear|not clear|not "
    r"known)|without elaborating|declined to (say|comment)|did not (say|give|"
    r"elaborate)|could not be (confirmed|verified)|no details)\b",
    re.I,
)
_CAPTION = re.compile(
    r"^(this|the|a) (picture|photo|image|file photo|video)\b|\((right|left|"
    r"center|centre|[LR]|2nd [LR])\)",
    re.I,
)  # photo captions are not reporting


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


def _merge_paraphrases(lines: list[Line]) -> list[Line]:
    """One line per fact: a line reporting what a better line already reports, in other words
    and from another article (`rag.briefing.paraphrase.same_fact`), joins it as a citation."""
    kept: list[Line] = []
    for line in lines:  # best first: the better wording stands
        home = next((k for k in kept if same_fact(k.sentences[0], line.sentences[0])), None)
        if home is None:
            kept.append(line)
            continue
        docs = {s.doc for s in home.sentences}
        home.sentences += [s for s in line.sentences if s.doc not in docs]
    return kept


def _profile(vectors: list[list[float]]) -> list[float]:
    """The mean direction of some embeddings."""
    total = [sum(col) for col in zip(*vectors)]
    norm = sum(x * x for x in total) ** 0.5 or 1.0
    return [x / norm for x in total]


def on_topic(sentences: list[Sentence], topic_vector: list[float]) -> list[Sentence]:
    """The sentences a briefing may use: lines of reporting (`is_briefing_line`) about the
    topic as its retrieval shows it, not merely sharing a word with it.

    Anchors are the lines that carry the topic's distinctive words (idf-weighted overlap at
    least `ANCHOR_SHARE` of the best line's) and mean it (`TOPIC_FLOOR` on the embedding).
    A line is on topic when it is an anchor, sits in a retrieved passage holding an anchor
    (the passage is about the topic, so its neighbours are too: "The $230 million floating
    dock…" after "…the temporary Gaza pier will soon cease operations"), or is close to the
    anchors' mean embedding (`PROFILE_FLOOR`). With no anchor the retrieval found nothing on
    the topic and the briefing says so, instead of eight points about something else.
    """
    lines = [s for s in sentences if is_briefing_line(s.text) and s.score >= RELEVANCE_FLOOR]
    best_lexical = max((s.lexical for s in lines), default=0.0)
    anchors = [
        s
        for s in lines
        if s.dense >= TOPIC_FLOOR and best_lexical > 0 and s.lexical >= ANCHOR_SHARE * best_lexical
    ]
    if not anchors:
        return []
    profile = _profile([topic_vector] + [s.vector for s in anchors])
    anchored = {s.passage.node.node_id for s in anchors}
    return [
        s
        for s in lines
        if s in anchors
        or s.passage.node.node_id in anchored
        or cosine(profile, s.vector) >= PROFILE_FLOOR
    ]


def _group(lines: list[Line], topic: str) -> list[tuple[str, list[Line]]]:
    groups: list[list[Line]] = []
    for line in lines:
        home = next(
            (
                g
                for g in groups
                if cosine(g[0].sentences[0].vector, line.sentences[0].vector) >= GROUP_SIMILARITY
            ),
            None,
        )
        (home.append(line) if home is not None else groups.append([line]))
    for g in groups:  # within a sub-topic, newest article first
        g.sort(key=lambda ln: ln.sentences[0].passage.node.metadata.get("date") or "", reverse=True)
    labelled = [(group_label([ln.text for ln in g], topic), g) for g in groups]
    # lines that share no name go last, under one heading
    other = [ln for label, g in labelled if label == OTHER for ln in g]
    return [(label, g) for label, g in labelled if label != OTHER] + (
        [(OTHER, other)] if other else []
    )


def _published(line: Line) -> date | None:
    day = line.sentences[0].passage.node.metadata.get("date") or ""
    try:
        return date.fromisoformat(day) if day else None
    except ValueError:
        return None


def _events(lines: list[Line]) -> list[Event]:
    """Each line at the first date it states (resolved against its article's date: "on
    Monday" in an article of Tuesday 2024-10-01 is 2024-09-30), or, stating none, at its
    article's date marked "(published)"; one published line per article, the most relevant."""
    events = []
    dated_articles: set[str] = set()
    for line in lines:  # lines are best first
        published = _published(line)
        stated = stated_dates(line.text, published)
        if stated:  # a line stands once, at the first date it states
            # a day the line states before a month or year it mentions ("Abe, first elected
            # in 2006, was shot on Friday" happened on Friday); else the first written
            first_stated = min(stated, key=lambda st: (st.month_only, line.text.find(st.written)))
            events.append(Event(first_stated.day, first_stated.label, line))
        first = line.sentences[0]
        if not stated and published and first.doc not in dated_articles:
            dated_articles.add(first.doc)
            events.append(Event(published, f"{published.isoformat()} (published)", line))
    seen, unique = set(), []
    for ev in sorted(events, key=lambda e: (e.when, e.line.text)):
        if (ev.when, ev.line.text) not in seen:
            seen.add((ev.when, ev.line.text))
            unique.append(ev)
    return unique


def _figures(s: Sentence) -> list[Quantity]:
    """Figures of a sentence that could be disputed (`rag.briefing.quantities`)."""
    return quantities(s.text)


def _disagreements(lines: list[Line]) -> list[list[tuple[str, Line]]]:
    """Figures of one quantity (same thing counted, same measure and scale) that differ
    between articles, newest article first."""
    mentions = [(q, line, s.doc) for line in lines for s in line.sentences[:1] for q in _figures(s)]
    # a figure joins a group only when it is one quantity with every member: chaining
    # (US cases ~ "cases", "cases" ~ cases in 49 countries) would set unlike figures side by side
    grouped: list[list[tuple]] = []
    for m in mentions:
        home = next(
            (g for g in grouped if all(m[2] != o[2] and same_quantity(m[0], o[0]) for o in g)), None
        )
        (home.append(m) if home is not None else grouped.append([m]))
    groups = dict(enumerate(grouped))
    result = []
    for members in groups.values():
        per_doc: dict[str, tuple] = {}
        for m in members:
            per_doc.setdefault(m[2], m)
        figures = list(per_doc.values())
        if len(per_doc) >= 2 and any(
            differ(x[0], y[0]) for i, x in enumerate(figures) for y in figures[i + 1 :]
        ):
            side = sorted(
                per_doc.values(),
                key=lambda m: m[1].sentences[0].passage.node.metadata.get("date") or "0000",
                reverse=True,
            )
            result.append([(m[0].text, m[1]) for m in side])
    return result


def _corroboration(
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
        if len(queries) >= 3:
            break
    extra: list[Sentence] = []
    for query in queries:
        bundle = QueryBundle(query)
        nodes = assistant.retrieve(bundle, filters, top_k=8, per_article=2)
        found = [s for s in split_sentences(nodes) if _figures(s) and is_briefing_line(s.text)]
        score_sentences(query, found, assistant.embed_model, bundle.embedding)
        extra += [
            s
            for s in found
            if s.score >= RELEVANCE_FLOOR and cosine(topic_vector, s.vector) >= TOPIC_FLOOR
        ]
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


def _renumber(
    footnotes: list[Sentence],
    summary: list[Line],
    key_points: list[tuple[str, list[Line]]],
    timeline: list[Event],
    disagreements: list[list[tuple[str, Line]]],
    open_questions: list[Line],
) -> list[Sentence]:
    """The footnotes still cited, renumbered 1..m in order of first use.

    Generated lines replace extractive ones, so quotes only the replaced lines cited would
    stand in the Sources unused. Lines are renumbered in place; markers written inline (the
    generated summary's) are rewritten.
    """
    inline = {id(ln) for ln in summary if not ln.numbers}
    every = (
        summary
        + [ln for _, g in key_points for ln in g]
        + [e.line for e in timeline]
        + [ln for group in disagreements for _, ln in group]
        + open_questions
    )
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


def build_briefing(assistant: Assistant, topic: str, filters: Filters = Filters()) -> Briefing:
    settings = assistant.settings
    if filters and assistant.matching_articles(filters) == 0:
        raise ValueError("No stored article matches the filters; widen the dates or outlets.")
    bundle = QueryBundle(topic)
    nodes = assistant.retrieve(bundle, filters, top_k=PASSAGES, per_article=PER_ARTICLE)
    sentences = split_sentences(nodes)
    score_sentences(topic, sentences, assistant.embed_model, bundle.embedding)
    # dense retrieval has already embedded the topic into the bundle; reuse it
    topic_vector = bundle.embedding or assistant.embed_model.get_query_embedding(topic)
    relevant = on_topic(sentences, topic_vector)
    lines = _merge_paraphrases(_merge_twins(relevant))
    summary = lines[:SUMMARY_SENTENCES]
    points = lines[SUMMARY_SENTENCES : SUMMARY_SENTENCES + KEY_POINTS]
    key_points = _group(points, topic)
    timeline = _events(lines)
    disagreements = _disagreements(lines + _corroboration(assistant, lines, filters, topic_vector))
    open_questions = [ln for ln in lines if _OPEN.search(ln.text)]
    ordered = (
        summary
        + [ln for _, g in key_points for ln in g]
        + [e.line for e in timeline]
        + [ln for group in disagreements for _, ln in group]
        + open_questions
    )
    footnotes = _number(ordered)
    mode, notice, points_mode, points_notice = "extractive", "", "extractive", ""
    if settings.use_llm and footnotes:
        summary, mode, notice, answered = llm_summary(
            settings, assistant.embed_model, topic, footnotes, summary
        )
        if not answered:  # the endpoint already failed its retries: do not wait on it twice
            points_notice = "LLM unavailable; extractive key points."
        else:
            written, points_notice = llm_key_points(
                settings, assistant.embed_model, topic, footnotes, KEY_POINTS
            )
            if written:
                key_points, points_mode = _group(written, topic), "llm"
        footnotes = _renumber(
            footnotes, summary, key_points, timeline, disagreements, open_questions
        )
    return Briefing(
        topic=topic,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        filters=filters.describe(),
        summary=summary,
        key_points=key_points,
        timeline=timeline,
        disagreements=disagreements,
        open_questions=open_questions,
        footnotes=footnotes,
        reproducibility={
            "corpus": assistant.store.fingerprint(),
            "mode": mode,
            "notice": notice,
            "key_points": points_mode,
            "key_points_notice": points_notice,
            "model": settings.llm_model if mode == "llm" else "none",
            "embedder": settings.embed_backend,
            "retrieval": {
                "passages": PASSAGES,
                "per_article": PER_ARTICLE,
                "candidates_k": settings.candidates_k,
                "chunk_tokens": settings.chunk_tokens,
                "relevance_floor": RELEVANCE_FLOOR,
            },
        },
    )
