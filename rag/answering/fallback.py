"""LLM mode that never leaves the user without an answer: generated first, quoted otherwise.

Wraps the generated answerer. The trained reader decides first whether the passages answer
the question at all (the extractive answer, which costs no model call, refuses): when they
do not, the refusal is the answer and the model is not asked, so a small model cannot write
a confident answer from passages beside the point. Otherwise, when the endpoint stays down
(`LLMUnavailable`) or the generated answer does not survive the citation check (nothing
supported is left, or the reply was degenerate: it echoed the prompt), or it does not answer
the question asked (a supported sentence beside the point, `rag.answering.relevance`), the
extractive answerer answers instead, with a notice saying why (`mode: extractive-fallback`);
the LLM's check findings stay on the answer so the notice can be traced. A misconfigured
endpoint (`LLMConfigError`) is not hidden.
"""

from __future__ import annotations

from rag.answer import Answer, AnsweredBy, CheckReport
from rag.answering.contract import OnToken, Passages
from rag.answering.extractive import ExtractiveAnswerer
from rag.answering.generated import GeneratedAnswerer
from rag.errors import LLMUnavailable
from rag.text.question import Question


class FallbackAnswerer:
    mode: AnsweredBy = "llm"

    def __init__(self, primary: GeneratedAnswerer, fallback: ExtractiveAnswerer) -> None:
        self._primary = primary
        self._fallback = fallback

    def answer(
        self, question: str | Question, nodes: Passages, on_token: OnToken = None, topic: str = ""
    ) -> Answer:
        if not nodes:
            return self._fallback.answer(question, nodes, topic=topic)
        quoted = self._fallback.answer(question, nodes, topic=topic)
        if quoted.abstained:  # the reader finds no answer in the passages: nothing to write
            quoted.mode = self.mode
            return quoted
        check: CheckReport | None = None
        try:
            generated = self._primary.answer(question, nodes, on_token, topic)
            check = generated.citation_check
            if check and check.off_question:
                notice = (
                    f"The generated answer did not answer the question "
                    f"({check.off_question}); quoting the passages instead."
                )
            elif generated.abstained and check and (check.removed_sentences or check.degenerate):
                notice = (
                    "The generated answer did not hold up against the passages (see "
                    "the citation check); quoting the passages instead."
                )
            else:
                return generated
        except LLMUnavailable as err:
            notice = f"{err} This answer is extractive (quoted passages) instead."
        answer = quoted
        answer.mode = "extractive-fallback"
        answer.notice = notice
        answer.citation_check = check
        return answer
