"""The offline answerer: quote the sentences that answer the question, each with its `[n]`.

Needs no LLM. The trained reader (`rag.answering.reading`) scores every sentence of the
retrieved passages by how likely it is to answer the question and finds the answer span in
it; the answerer quotes the best sentence and close runners-up that add something new. The
span is the answer's short answer when it is of the kind asked for (a figure for "how much",
a date for "when"); it is put first in bold only when the reader is sure of it (the JSON
carries it either way, with `short_sure`). It refuses, citing nothing, when no sentence
reaches the calibrated answer bar (the reader's probability is kept in `answerable`) or when
the question names someone or something no passage mentions (under any of its aliases); a
sentence whose span is someone the passages give another office than the one asked for
("Israel's ambassador to the US" for "who is the US ambassador to Israel?") does not answer. A
question asking what the articles say on a topic ("What do the articles say about Hochstein?",
as the chat suggests) is answered with the lines reporting on it, as a briefing's summary is. A
question of several parts is answered part by part, saying which part the articles do not
answer. For "how many" questions whose answering sentences in different articles give
different figures, it lists each figure with its date and citation
(`rag.answering.conflicts`). It does not paraphrase: every word of an answer outside its
frame is a verbatim quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from llama_index.core.base.embeddings.base import BaseEmbedding

from rag.answer import Answer, AnsweredBy, Citation, Figure
from rag.answering.conflicts import find_conflict
from rag.answering.contract import OnToken, Passages
from rag.answering.reading import Calibration, calibration, kind_span, read_sentences
from rag.answering.scoring import Sentence, pick, score_sentences, split_sentences
from rag.answering.short import answer_first
from rag.answering.staleness import discount_stale
from rag.answering.topic import on_topic
from rag.conversation import needs_context
from rag.passage_caps import unnamed_in
from rag.reader.model import Reader
from rag.text.answer_kinds import could_answer
from rag.text.article_markers import defuse_markers
from rag.text.asked_kind import TopicAsked
from rag.text.descriptions import description_in
from rag.text.markers import NOT_SAID
from rag.text.offices import holds_another_office
from rag.text.question import Question
from rag.text.reporting_lines import is_credit, is_sign_off


@dataclass
class Choice:
    """What one question (or part) gets: quoted sentences, or why there are none."""

    sentences: list[Sentence] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # set when the sentences disagree
    short: str | None = None
    sure: bool = False  # the short answer is shown first, in bold
    refusal: str = ""
    best: float = 0.0  # the reader's probability for the best sentence


class ExtractiveAnswerer:
    """Answers by quoting retrieved sentences; see the module docstring."""

    mode: AnsweredBy = "extractive"

    def __init__(
        self,
        embed_model: BaseEmbedding,
        max_sentences: int,
        reader: Reader | None = None,
        **overrides: float | None,
    ) -> None:
        """`overrides`: fields of the reader's `Calibration` set here instead of by the shipped
        file (`answer_bar` and `bold_bar` from settings; a replay tries others); None keeps
        the shipped value."""
        unknown = set(overrides) - set(Calibration.__dataclass_fields__)
        if unknown:
            raise TypeError(f"not a field of the reader's calibration: {', '.join(unknown)}")
        self._embed = embed_model
        self._reader = reader
        self._overrides = {k: v for k, v in overrides.items() if v is not None}
        self._max_sentences = max_sentences

    def answer(
        self,
        question: str | Question,
        nodes: Passages,
        on_token: OnToken = None,
        topic: str = "",
        q_vec: list[float] | None = None,
    ) -> Answer:
        """The quoted answer (`on_token` is unused: nothing is generated to stream).

        With a `topic` (the earlier question a chat follow-up leans on) the follow-up is read
        together with it, as a later part of a multi-part question leans on the first, but
        only the follow-up is answered: the earlier question had its answer already."""
        question = Question.of(question)
        result = Answer(question=question.text, answer="", abstained=True, mode=self.mode)
        if not nodes:
            result.answer = f"{NOT_SAID}: no stored passage matches the question."
            return result
        sentences = split_sentences(nodes)
        haystack = " ".join(n.node.get_content() for n in nodes)
        parts = (question,) if topic else question.parts
        if len(parts) == 1:
            asked = question.after(topic) if topic else question
            choice = self._choose(asked, sentences, haystack, q_vec)
            result.answerable = round(choice.best, 4)
            if choice.refusal:
                result.answer = choice.refusal
                return result
            result.answer = _render(choice, result.citations)
            result.short_answer, result.short_sure = choice.short, choice.sure
            if choice.figures:
                result.conflicts = [
                    [
                        Figure(value=v, n=c.n, doc=c.doc, date=c.date, source=c.source)
                        for v, c in zip(choice.figures, result.citations)
                    ]
                ]
        else:
            lines: list[str] = []
            for i, part in enumerate(parts, start=1):
                asked = part if i == 1 or not needs_context(part) else part.after(parts[0].text)
                choice = self._choose(asked, [replace(s) for s in sentences], haystack)
                if choice.refusal:
                    lines.append(f"{i}. {part.text} — {choice.refusal}")
                    continue
                text = _render(choice, result.citations)
                lines.append(f"{i}. {part.text} — {text}")
            result.answer = "\n".join(lines)
        result.abstained = not result.citations
        return result

    def _choose(
        self,
        question: Question,
        sentences: list[Sentence],
        haystack: str,
        q_vec: list[float] | None = None,
    ) -> Choice:
        if question.topic is not None:
            return self._report_on(question.topic, question.today, sentences, haystack)
        if unmentioned := _unmentioned(question, haystack):
            return unmentioned
        cal = replace(calibration(), **self._overrides)
        ruled_out = [  # "how many trucks" is not answered without a number
            not could_answer(s.text, question)
            or _names_missing(s, question)
            or is_credit(s.text)  # "(Ariel Hermoni/Defense Ministry)" names no answer
            or is_sign_off(s.text)  # "Follow Jordan Mendoza on Twitter: @jord_mendoza"
            for s in sentences
        ]
        score_sentences(question, sentences, self._embed, q_vec, ruled_out)  # the relevance
        read_sentences(question, sentences, self._reader, cal)  # averaged with the reader
        for s, out in zip(sentences, ruled_out):
            if out or _holds_another_office(s, question, haystack):  # after the reader's span
                s.score = 0.0
        discount_stale(question, sentences, cal.stale_cost, cal.answer_bar)  # newer news first
        best = max((s.score for s in sentences), default=0.0)
        if best < cal.answer_bar:
            return Choice(
                refusal=f"{NOT_SAID}. The closest passages found are about the "
                "subject but do not answer the question.",
                best=best,
            )
        conflict = find_conflict(question, sentences, cal.answer_bar, cal.runner_up)
        if conflict:
            return Choice(
                sentences=[s for s, _ in conflict], figures=[v for _, v in conflict], best=best
            )
        quoted = pick(sentences, cal.answer_bar, self._max_sentences, cal.runner_up)
        if described := _described(question, sentences, quoted, cal, self._max_sentences):
            described.best = best
            return described
        chosen, short, sure = answer_first(quoted, sentences, question, cal, self._max_sentences)
        return Choice(sentences=chosen, short=short, sure=sure, best=best)

    def _report_on(
        self,
        asked: TopicAsked,
        today: date | None,
        sentences: list[Sentence],
        haystack: str,
    ) -> Choice:
        """A question asking what the articles say on a topic ("What do the articles say about
        Hochstein and Hezbollah?", which the chat suggests) is answered as a briefing's summary
        is: the lines of reporting about the topic (`rag.answering.topic.on_topic`), the most
        relevant that say different things, from passages naming what it names (and from the
        outlet it names). The reader is not asked: it was trained to find the answer to a
        question, and such a question has none to find (the reader trained on news gave that
        one 0.26, under its bar). The choice's `best` is the relevance."""
        topic = Question(asked.topic, today)
        if unmentioned := _unmentioned(topic, haystack):
            return unmentioned
        if asked.outlet:
            sentences = [s for s in sentences if asked.from_outlet(s.meta.get("source", ""))]
            if not sentences:
                return Choice(refusal=f"{NOT_SAID}: no passage found is from {asked.outlet}.")
        vector = self._embed.get_query_embedding(topic.text)
        score_sentences(topic, sentences, self._embed, vector)
        lines = [
            s for s in on_topic(sentences, vector, topic.terms) if not _names_missing(s, topic)
        ]
        if not lines:
            return Choice(
                refusal=f"{NOT_SAID}: none of the passages found reports on {topic.text}."
            )
        # an overview, not one fact: the most relevant lines that say different things, however
        # far below the best (the runner-up margin is for sentences competing to answer)
        chosen = pick(lines, 0.0, self._max_sentences, margin=1.0)
        return Choice(sentences=chosen, best=chosen[0].score)


def _unmentioned(question: Question, haystack: str) -> Choice | None:
    """The refusal for a question naming someone or something no passage mentions."""
    if missing := question.missing_in(haystack):
        names = ", ".join(f"“{m}”" for m in missing)
        return Choice(refusal=f"{NOT_SAID}: none of the passages found mentions {names}.")
    return None


def _names_missing(sentence: Sentence, question: Question) -> bool:
    """Whether the sentence's passage (with its article's title) never mentions a name the
    asking sentence depends on: "what did the Gaza pier cost" is not answered by what the port
    of Zarqa's dredging cost, however alike the sentences read. The whole-passages version of
    this rule (every name of the question) refuses outright; this one only keeps such a
    passage's sentences from being quoted."""
    return bool(unnamed_in(sentence.passage.node, question.asked_names))


def _holds_another_office(sentence: Sentence, question: Question, haystack: str) -> bool:
    """Whether whoever the sentence would answer with (the reader's span, or the person of
    the kind asked that the short answer would show) is someone the passages give another
    office than the one the question asks about (`rag.text.offices`)."""
    if question.office is None:
        return False
    return any(
        holds_another_office(question.office, span, haystack)
        for span in {sentence.span, kind_span(sentence, question)}
    )


def _described(
    question: Question,
    sentences: list[Sentence],
    quoted: list[Sentence],
    cal: Calibration,
    limit: int,
) -> Choice | None:
    """For "who is X?", once some sentence reached the answer bar: the best sentence that says
    who X is (a role before the name or an appositive after it, `rag.text.descriptions`),
    quoted first with that role as the short answer, in bold only when the reader is sure of
    that sentence itself. Asked "who is deif", the reader preferred a sentence naming Deif
    beside someone else (and gave "Kurilla"); the sentence giving his role is the answer
    whether or not the reader put it first."""
    if question.who_is is None:
        return None
    found = [
        (s, where)
        for s in sentences
        if s.score > 0 and (where := description_in(question.who_is, s.text))
    ]
    if not found:
        return None
    first, (start, end) = max(found, key=lambda f: f[0].score)
    return Choice(
        sentences=[first, *(s for s in quoted if s is not first)][:limit],
        short=first.text[start:end],
        sure=first.score >= cal.bold_bar,
    )


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
    if choice.short and choice.sure:
        source = next(n for s, n in zip(choice.sentences, numbers) if choice.short in s.text)
        return f"**{choice.short}** [{source}] — {quotes}"
    return quotes
