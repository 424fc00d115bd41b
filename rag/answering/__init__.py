"""Answerers: turn a question and its retrieved passages into an `Answer`.

Each answerer has one method, `answer(question, nodes, on_token, topic) -> Answer`, and a
`mode` name; the question is a `rag.text.question.Question` (a plain text is parsed).
`topic` is the earlier question a chat follow-up leans on ("How much did it cost?" after
"Why is the pier shutting down?"): the answer is to the follow-up alone, with its pronouns
read as pointing at the earlier question's subject. `answerer_for()` is the
one place a mode picks its answerer:
- `extractive`: quotes the best sentences (`rag.answering.extractive`), offline;
- `llm`: a generated answer that must pass the citation check, falling back to the
  extractive answer when the endpoint fails (`rag.answering.fallback`).
The answerers neither retrieve nor know about filters; `rag.assistant` does that.
"""

from __future__ import annotations

from typing import Callable, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.answer import Answer, AnsweredBy, AnswerMode
from rag.answering.contract import OnToken, Passages
from rag.settings import Settings
from rag.text.question import Question

__all__ = ["Answerer", "answerer_for"]


class Answerer(Protocol):
    mode: AnsweredBy

    def answer(
        self, question: str | Question, nodes: Passages, on_token: OnToken = None, topic: str = ""
    ) -> Answer: ...


def answerer_for(
    mode: AnswerMode,
    settings: Settings,
    embed_model: BaseEmbedding,
    on_retry: Callable[[str, float], None] | None = None,
) -> Answerer:
    """The answerer of `mode` ('extractive' or 'llm'), configured from `settings`."""
    from rag.answering.extractive import ExtractiveAnswerer

    extractive = ExtractiveAnswerer(
        embed_model,
        settings.max_answer_sentences,
        answer_bar=settings.answer_bar,
        bold_bar=settings.bold_bar,
    )
    match mode:
        case "extractive":
            return extractive
        case "llm":
            from rag.answering.fallback import FallbackAnswerer
            from rag.answering.generated import GeneratedAnswerer

            return FallbackAnswerer(GeneratedAnswerer(settings, embed_model, on_retry), extractive)
    raise ValueError(f"unknown answer mode {mode!r}; use 'extractive' or 'llm'")
