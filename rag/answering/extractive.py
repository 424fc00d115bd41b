"""The offline answerer: quote the sentences that answer the question, each with its `[n]`.

Needs no LLM. It scores the sentences of the retrieved passages (`rag.answering.scoring`),
quotes the best and, when the best lacks the kind of thing asked for (a figure for "how
much", a date for "when"), the neighbouring sentence of the same passage that holds it ("…
the pier will cease operations. The $230 million floating dock …"). The short answer (that
figure, date or name) comes first, in bold. It refuses, citing nothing, when no sentence is
relevant enough or when the question names someone or something no passage mentions (under
any of its aliases). A question of several parts is answered part by part, saying which part
the articles do not answer. For "how many" questions whose relevant sentences in different
articles give different figures, it lists each figure with its date and citation
(`rag.answering.conflicts`). It does not paraphrase: every word of an answer outside its
frame is a verbatim quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore

from rag.answer import Answer, Citation, Figure, defuse_markers
from rag.answering.conflicts import find_conflict
from rag.answering.scoring import Sentence, pick, score_sentences, split_sentences
from rag.conversation import needs_context
from rag.text.answer_kinds import answer_kind, answer_spans, short_answer
from rag.text.lexicon import missing_entities
from rag.text.question_parts import split_question

NOT_SAID = "The articles do not say"


@dataclass
class Choice:
    """What one question (or part) gets: quoted sentences, or why there are none."""

    sentences: list[Sentence] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # set when the sentences disagree
    short: str | None = None
    refusal: str = ""


class ExtractiveAnswerer:
    """Answers by quoting retrieved sentences; see the module docstring."""

    mode = "extractive"

    def __init__(self, embed_model: BaseEmbedding, min_score: float, max_sentences: int,
                 ) -> None:
        self._embed = embed_model
        self._min_score = min_score
        self._max_sentences = max_sentences

    def answer(self, question: str, nodes: list[NodeWithScore],
               on_token: Callable[[str], None] | None = None, topic: str = "",
               q_vec: list[float] | None = None) -> Answer:
        """The quoted answer (`on_token` is unused: nothing is generated to stream).

        With a `topic` (the earlier question a chat follow-up leans on) the follow-up is read
        together with it, as a later part of a multi-part question leans on the first, but
        only the follow-up is answered: the earlier question had its answer already."""
        result = Answer(question=question, answer="", abstained=True, mode=self.mode)
        if not nodes:
            result.answer = f"{NOT_SAID}: no stored passage matches the question."
            return result
        sentences = split_sentences(nodes)
        haystack = " ".join(n.node.get_content() for n in nodes)
        parts = [question] if topic else split_question(question)
        if len(parts) == 1:
            choice = self._choose(f"{topic} {question}" if topic else question, sentences,
                                  haystack, q_vec, kind=answer_kind(question))
            if choice.refusal:
                result.answer = choice.refusal
                return result
            result.answer = _render(choice, result.citations)
            result.short_answer = choice.short
            if choice.figures:
                result.conflicts = [[Figure(value=v, n=c.n, doc=c.doc, date=c.date,
                                            source=c.source)
                                     for v, c in zip(choice.figures, result.citations)]]
        else:
            lines: list[str] = []
            for i, part in enumerate(parts, start=1):
                asked = part if i == 1 or not needs_context(part) else f"{parts[0]} {part}"
                choice = self._choose(asked, [replace(s) for s in sentences], haystack,
                                      kind=answer_kind(part))
                if choice.refusal:
                    lines.append(f"{i}. {part} — {choice.refusal}")
                    continue
                text = _render(choice, result.citations)
                lines.append(f"{i}. {part} — {text}")
            result.answer = "\n".join(lines)
        result.abstained = not result.citations
        return result

    def _choose(self, question: str, sentences: list[Sentence], haystack: str,
                q_vec: list[float] | None = None, kind: str | None = "auto") -> Choice:
        missing = missing_entities(question, haystack)
        if missing:
            names = ", ".join(f"“{m}”" for m in missing)
            return Choice(refusal=f"{NOT_SAID}: none of the passages found mentions {names}.")
        kind = answer_kind(question) if kind == "auto" else kind
        score_sentences(question, sentences, self._embed, q_vec, kind)
        conflict = find_conflict(question, sentences, self._min_score)
        if conflict:
            return Choice(sentences=[s for s, _ in conflict], figures=[v for _, v in conflict])
        chosen = pick(sentences, self._min_score, self._max_sentences)
        if not chosen:
            best = max((s.score for s in sentences), default=0.0)
            return Choice(refusal=f"{NOT_SAID}. The closest passages found do not answer the "
                                  f"question (best match {best:.2f}, below the "
                                  f"{self._min_score:.2f} needed).")
        chosen = _with_neighbour(chosen, sentences, kind, question)
        short = next((found for s in chosen if (found := short_answer(s.text, kind, question))),
                     None)
        return Choice(sentences=chosen, short=short)


def _with_neighbour(chosen: list[Sentence], sentences: list[Sentence], kind: str | None,
                    question: str) -> list[Sentence]:
    """The chosen sentences, with the best one's neighbour beside it when only the neighbour
    holds the kind of thing asked for (the sentence after first, then the one before)."""
    best = chosen[0]
    if kind is None or answer_spans(best.text, kind, question):
        return chosen
    i = next(k for k, s in enumerate(sentences) if s is best)
    for j in (i + 1, i - 1):
        if 0 <= j < len(sentences) and sentences[j].passage is best.passage \
                and answer_spans(sentences[j].text, kind, question):
            near = sentences[j]  # the pair answers; other runners-up would only dilute it
            return [best, near] if j > i else [near, best]
    return chosen


def _quoted(sentence: Sentence) -> str:
    """A sentence as the answer quotes it: on one line (a hard-wrapped sentence keeps its line
    break in the article, which would break the answer's own lines), markers defused."""
    return defuse_markers(" ".join(sentence.text.split()))


def _render(choice: Choice, citations: list[Citation]) -> str:
    """The answer text for one choice; its quotes join `citations`, reusing the number of a
    sentence already cited (a later part of the question answered by the same quote)."""
    numbers = []
    for s in choice.sentences:
        known = next((c.n for c in citations if (c.doc, c.start) == (s.doc, s.start)), None)
        if known is None:
            citations.append(s.citation(len(citations) + 1))
            known = len(citations)
        numbers.append(known)
    if choice.figures:
        lines = ["The articles give different figures:"]
        for s, value, n in zip(choice.sentences, choice.figures, numbers):
            lines.append(f"- {value} ({s.date or 'undated'}): {_quoted(s)} [{n}]")
        return "\n".join(lines)
    quotes = " ".join(f"{_quoted(s)} [{n}]" for s, n in zip(choice.sentences, numbers))
    if choice.short:
        source = next(n for s, n in zip(choice.sentences, numbers) if choice.short in s.text)
        return f"**{choice.short}** [{source}] — {quotes}"
    return quotes
