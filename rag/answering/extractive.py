"""The offline answerer: quote the sentences that answer the question, each with its `[n]`.

Needs no LLM. It scores the sentences of the retrieved passages (`rag.answering.scoring`) and
quotes the best, or refuses, citing nothing, when no sentence is relevant enough or when the
question names someone or something no passage mentions. For "how many" questions whose
relevant sentences in different articles give different figures, it lists each figure with
its date and citation (`rag.answering.conflicts`). It does not paraphrase: every word of an
answer outside its frame is a verbatim quote.
"""

from __future__ import annotations

from typing import Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore

from rag.answer import Answer, Figure, defuse_markers
from rag.answering.conflicts import find_conflict
from rag.answering.scoring import pick, score_sentences, split_sentences
from rag.text.lexicon import mentions, question_entities


class ExtractiveAnswerer:
    """Answers by quoting retrieved sentences; see the module docstring."""

    mode = "extractive"

    def __init__(self, embed_model: BaseEmbedding, min_score: float, max_sentences: int,
                 ) -> None:
        self._embed = embed_model
        self._min_score = min_score
        self._max_sentences = max_sentences

    def answer(self, question: str, nodes: list[NodeWithScore],
               on_token: Callable[[str], None] | None = None,
               q_vec: list[float] | None = None) -> Answer:
        """The quoted answer (`on_token` is unused: nothing is generated to stream)."""
        result = Answer(question=question, answer="", abstained=True, mode=self.mode)
        if not nodes:
            result.answer = "The articles do not say: no stored passage matches the question."
            return result
        haystack = " ".join(n.node.get_content().lower() for n in nodes)
        missing = [e for e in question_entities(question) if not mentions(e, haystack)]
        if missing:
            names = ", ".join(f"“{m}”" for m in missing)
            result.answer = (f"The articles do not say: none of the passages found mentions "
                             f"{names}.")
            return result
        sentences = split_sentences(nodes)
        score_sentences(question, sentences, self._embed, q_vec)
        conflict = find_conflict(question, sentences, self._min_score)
        chosen = [s for s, _ in conflict] or pick(sentences, self._min_score,
                                                   self._max_sentences)
        if not chosen:
            best = max((s.score for s in sentences), default=0.0)
            result.answer = ("The articles do not say. The closest passages found do not answer "
                             f"the question (best match {best:.2f}, below the "
                             f"{self._min_score:.2f} needed).")
            return result
        result.abstained = False
        result.citations = [s.citation(n) for n, s in enumerate(chosen, start=1)]
        if conflict:
            result.conflicts = [[Figure(value=text, n=c.n, doc=c.doc, date=c.date,
                                        source=c.source)
                                 for (_, text), c in zip(conflict, result.citations)]]
            lines = ["The articles give different figures:"]
            for (s, text), c in zip(conflict, result.citations):
                lines.append(f"- {text} ({c.date or 'undated'}): {defuse_markers(s.text)} "
                             f"[{c.n}]")
            result.answer = "\n".join(lines)
        else:
            result.answer = " ".join(f"{defuse_markers(s.text)} [{n}]"
                                     for n, s in enumerate(chosen, start=1))
        return result
