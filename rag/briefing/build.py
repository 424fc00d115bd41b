"""Cited briefings: summary, key points, timeline, disagreements, open questions, footnotes.

Extractive: it retrieves widely for the topic (several passages per article), scores every
sentence like the answerer does, keeps those about the topic (`rag.answering.topic`), merges
syndicated copies and the same fact reported in other words into one line citing every outlet
(`rag.briefing.merge`), and arranges what is relevant into sections: key points in labelled
groups (`rag.briefing.groups`), a timeline (`rag.briefing.timeline`), disagreements and figures
that moved (`rag.briefing.disagreements`) and open questions. Every line carries its `[n]`;
every footnote holds the verbatim quoted span (`rag.briefing.footnotes`), which
`check_briefing` re-verifies against the stored articles later. With an LLM configured, the
summary and the key points are written by the model from the numbered quotes
(`rag.briefing.summary`, `rag.briefing.written_points`) and go through the same citation check
as LLM answers; the timeline, disagreements and open questions stay extractive. If the endpoint
fails, or nothing written survives the check, the extractive section stands and the briefing
says so; footnotes are renumbered to those still cited. What it leaves out: writing the
briefing as Markdown (`rag.briefing.markdown`).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from llama_index.core.schema import QueryBundle

from rag.answering.scoring import score_sentences, split_sentences
from rag.answering.topic import RELEVANCE_FLOOR, on_topic, topic_names
from rag.briefing.disagreements import corroboration, disagreements, figures_over_time
from rag.briefing.footnotes import in_order, number, still_cited
from rag.briefing.groups import group_lines
from rag.briefing.merge import merge_paraphrases, merge_twins
from rag.briefing.model import Briefing
from rag.briefing.summary import llm_summary
from rag.briefing.timeline import events
from rag.briefing.written_points import llm_key_points
from rag.retrieval import Filters
from rag.text.question import Question
from rag.text.reporting_lines import leans_on_another_sentence

if TYPE_CHECKING:
    from rag.assistant import Assistant

PASSAGES = 14
PER_ARTICLE = 3
SUMMARY_SENTENCES = 2
KEY_POINTS = 8
_OPEN = re.compile(
    r"\b(remains? (uncertain|unclear|unknown)|(is|was) (unclear|not clear|not "
    r"known)|without elaborating|declined to (say|comment)|did not (say|give|"
    r"elaborate)|could not be (confirmed|verified)|no details)\b",
    re.I,
)


def build_briefing(
    assistant: Assistant,
    topic: str,
    filters: Filters = Filters(),
    prefer: Filters | None = None,
) -> Briefing:
    """The briefing on `topic` from the stored articles `filters` admit (see the module
    docstring), leaning towards those `prefer` admits (a followed topic's new articles);
    ValueError when no stored article matches the filters."""
    settings = assistant.settings
    if filters and assistant.matching_articles(filters) == 0:
        raise ValueError("No stored article matches the filters; widen the dates or outlets.")
    bundle = QueryBundle(topic)
    nodes = assistant.retrieve(
        bundle, filters, top_k=PASSAGES, per_article=PER_ARTICLE, prefer=prefer
    )
    sentences = split_sentences(nodes)
    score_sentences(topic, sentences, assistant.embed_model, bundle.embedding)
    # dense retrieval has already embedded the topic into the bundle; reuse it
    topic_vector = bundle.embedding or assistant.embed_model.get_query_embedding(topic)
    names = topic_names(topic, assistant.retriever.written_names())
    relevant = on_topic(sentences, topic_vector, Question(topic).terms, names)
    lines = merge_paraphrases(merge_twins(relevant))
    alone = [ln for ln in lines if not leans_on_another_sentence(ln.text)]  # read on their own
    summary = alone[:SUMMARY_SENTENCES]
    points = alone[SUMMARY_SENTENCES : SUMMARY_SENTENCES + KEY_POINTS]
    key_points = group_lines(points, topic)
    timeline = events(lines)
    figured = lines + corroboration(assistant, lines, filters, topic_vector)
    disputed, moved = disagreements(figured), figures_over_time(figured)
    open_questions = [ln for ln in lines if _OPEN.search(ln.text)]
    footnotes = number(in_order(summary, key_points, timeline, disputed, open_questions, moved))
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
                key_points, points_mode = group_lines(written, topic), "llm"
        every = in_order(summary, key_points, timeline, disputed, open_questions, moved)
        footnotes = still_cited(footnotes, every, summary)
    return Briefing(
        topic=topic,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        filters=filters.describe(),
        summary=summary,
        key_points=key_points,
        timeline=timeline,
        disagreements=disputed,
        over_time=moved,
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
