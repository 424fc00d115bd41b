"""How passages are retrieved and the extractive answer is chosen: the retrieval field group.

How many passages each retriever returns and how many reach the answerer, reranking by the
trained reader, and the reader's bars for answering and for a bold short answer. The LLM's
settings are `rag.settings.llm`'s.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class AnswerFields(BaseModel):
    """Retrieval and extractive answering knobs."""

    top_k: int = Field(6, ge=1, description="Passages handed to the answerer.")
    rerank_candidates: int = Field(
        0,
        ge=0,
        le=50,
        description="Passages the trained reader reads before the best "
        "`top_k` of them (those it finds the answer in) are handed to the answerer; 0 or "
        "anything not above `top_k` turns reranking off. Off by default: reading 12 cost "
        "about 140 ms an answer, lifted RealTime QA's passage hit@5 only 0.789 to 0.800 and "
        "made its answers worse (eval/findings/realtimeqa-2022.md).",
    )
    candidates_k: int = Field(
        20, ge=1, description="Candidates each retriever (dense, BM25) returns before fusion."
    )
    max_chunks_per_article: int = Field(
        2, ge=1, description="At most this many passages of one article reach the answerer."
    )
    answer_bar: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability (0..1) the trained reader must give that the best sentence "
        "answers the question before the extractive answerer answers instead of saying the "
        "articles do not say. Default: the bar shipped with the reader "
        "(rag/reader/model/calibration.json, chosen on RealTime QA; its model card says how).",
    )
    bold_bar: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability the reader must give before the extractive answer puts its "
        "short answer (the figure, date or name found) first in bold. Default: the bar shipped "
        "with the reader's calibration.",
    )
    max_answer_sentences: int = Field(
        3, ge=1, description="Most sentences the extractive answerer quotes."
    )
