"""The offline answerer: quote the sentences that answer the question, each with its `[n]`.

A llama-index synthesizer that needs no LLM. It splits the retrieved passages into sentences
(keeping their offsets in the article), scores each against the question with the embedder
(meaning) and stemmed term overlap (wording) plus a small bonus when the sentence holds the
kind of thing asked for (a number for "how many", a date for "when"), and quotes the best.
It refuses, citing nothing, when no sentence is relevant enough or when the question names
someone or something no passage mentions. For "how many" questions whose relevant sentences
in different articles give different figures, it lists each figure with date and citation.
It does not paraphrase: every word of an answer outside its frame is a verbatim quote.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.response.schema import Response
from llama_index.core.llms import MockLLM
from llama_index.core.response_synthesizers import BaseSynthesizer
from llama_index.core.schema import NodeWithScore, QueryBundle, QueryType

from rag.answer import Answer, Citation, Figure, Passage, defuse_markers
from rag.sentences import node_sentence_spans

DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
TYPE_BONUS = 0.06
RUNNER_UP_MARGIN = 0.06  # extra sentences must score within this of the best
DUPLICATE_OVERLAP = 0.6  # term overlap above which two sentences say the same thing

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    r"(?P<qual>\b(?:at least|more than|over|nearly|almost|about|around|roughly|some|up to|"
    r"fewer than|less than|under|approximately|an estimated)\s+)?(?P<cur>\$)?"
    rf"(?P<num>{_NUMBER})(?:\s*(?P<scale>million|billion|thousand|percent|%))?", re.I)
_MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_WHEN_WORDS = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                         r"yesterday|today|last (week|month|year)|\d{4}|(in|since|by|until|"
                         r"early|late|mid-?)\s+(january|february|march|april|may|june|july|"
                         r"august|september|october|november|december))\b", re.I)
QUESTION_TYPES = {
    "quantity": re.compile(r"\bhow (many|much)\b|\bnumber of\b|\bwhat (figure|percentage|"
                           r"share|amount|sum|price|cost)\b|\bhow (large|big|long|far)\b", re.I),
    "date": re.compile(r"^\s*when\b|\b(what|which) (date|year|day|month)\b|\bon what day\b",
                       re.I),
    "person": re.compile(r"^\s*who\b|\bwhose\b|\bwhich (official|minister|leader|person|man|"
                         r"woman|general|envoy|commander)\b", re.I),
}
_QUESTION_STARTERS = {"what", "who", "whom", "whose", "which", "when", "where", "why", "how",
                      "did", "does", "do", "is", "are", "was", "were", "has", "have", "had",
                      "can", "could", "will", "would", "should", "according", "in", "on",
                      "the", "a", "an", "and", "of", "to", "for", "i", "tell", "list", "name",
                      "give", "describe", "explain", "summarize", "summarise", "about"}


def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    auxiliaries = {"am", "is", "are", "was", "were", "be", "been", "being", "have", "has",
                   "had", "do", "does", "did", "will", "would", "shall", "should", "can",
                   "could", "may", "might", "must", "many", "much", "what", "which", "who",
                   "whom", "whose", "when", "where", "why", "how"}
    return frozenset(STOPWORDS_EN) | auxiliaries | {"say", "said", "says", "according", "also"}


_STEM = _stemmer()
_STOP = _stopwords()


def terms(text: str) -> set[str]:
    """Stemmed content words and bare numbers: what 'the same wording' means here."""
    words = [w.lower().strip("'’-.,") for w in _WORD_RE.findall(text)]
    words = [w.replace(",", "") if w[:1].isdigit() else w for w in words]
    content = [w for w in words if w and w not in _STOP and (len(w) > 1 or w.isdigit())]
    return set(_STEM.stemWords(content))


def question_entities(question: str) -> list[str]:
    """Proper names and acronyms the question mentions (words capitalised mid-sentence)."""
    found = []
    for i, match in enumerate(re.finditer(r"[A-Z][\w’'\-]*", question)):
        word = re.sub(r"[’']s$", "", match.group(0))
        starts = match.start() == 0 or question[:match.start()].rstrip()[-1:] in ".?!\"“"
        if len(word) < 3 or word.lower() in _QUESTION_STARTERS or (starts and word.lower()
                                                                     in _STOP):
            continue
        if starts and i == 0:
            continue
        found.append(word)
    return found


def _mentions(entity: str, haystack: str) -> bool:
    e = entity.lower()
    return e in haystack or (e.endswith("s") and e[:-1] in haystack)


@dataclass
class Sentence:
    text: str
    start: int  # offsets in the article
    end: int
    passage: NodeWithScore
    passage_rank: int
    terms: set[str] = field(default_factory=set)
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0
    vector: list[float] = field(default_factory=list, repr=False)

    @property
    def doc(self) -> str:
        return self.passage.node.metadata.get("doc_id") or self.passage.node.ref_doc_id or ""


def split_sentences(passages: Sequence[NodeWithScore]) -> list[Sentence]:
    """Sentences of each passage with their character offsets in the article."""
    out: list[Sentence] = []
    for rank, nws in enumerate(passages):
        text = nws.node.get_content()
        base = nws.node.start_char_idx or 0  # type: ignore[union-attr]
        for start, end in node_sentence_spans(nws.node):
            piece = text[start:end]
            if len(_WORD_RE.findall(piece)) >= 4:
                out.append(Sentence(piece, base + start, base + end, nws, rank,
                                    terms=terms(piece)))
    return out


def question_type(question: str) -> str | None:
    for name, pattern in QUESTION_TYPES.items():
        if pattern.search(question):
            return name
    return None


def counted_terms(question: str) -> set[str]:
    """What a "how many X" question counts: the stemmed words of X ("Israeli soldiers")."""
    m = re.search(r"\bhow many\s+(.*)", question, re.I)
    if not m:
        return set()
    words = []
    for word in _WORD_RE.findall(m.group(1)):
        if word.lower() in _STOP:
            break
        words.append(word)
    return terms(" ".join(words))


def _akin(a: str, b: str) -> bool:
    """Same word up to an ending the stemmer keeps apart ("isra"/"israel", "north"/"northern")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _shared(wanted: set[str], found: set[str]) -> int:
    return sum(any(_akin(w, f) for f in found) for w in wanted)


def _counts_it(sentence: Sentence, counted: set[str]) -> bool:
    """Whether the sentence speaks of every counted word of the question."""
    return _shared(counted, sentence.terms) == len(counted)


def _has_type(sentence: Sentence, kind: str | None, counted: set[str]) -> bool | None:
    """Whether the sentence holds what the question asks for (None: no particular kind)."""
    text = sentence.text
    match kind:
        case "quantity":
            return _counts_it(sentence, counted) and any(
                not _is_year(m) for m in _FIGURE_RE.finditer(text))
        case "date":
            return bool(_MONTH_RE.search(text) or _WHEN_WORDS.search(text))
        case "person":
            return bool(re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+", text[1:]))
    return None


def _is_year(m: re.Match) -> bool:
    num = m.group("num")
    return bool(re.fullmatch(r"(19|20)\d\d", num)) and not m.group("qual") and not m.group("cur")


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def score_sentences(question: str, sentences: list[Sentence], embed: BaseEmbedding,
                    q_vec: list[float] | None = None) -> None:
    """Fill in dense, lexical and combined scores (0..1-ish) for each sentence.

    `q_vec` is the question's embedding when retrieval has already computed it.
    """
    if not sentences:
        return
    q_terms = terms(question)
    n = len(sentences)
    df = {t: sum(t in s.terms for s in sentences) for t in q_terms}
    idf = {t: math.log(1 + (n + 1) / (df[t] + 0.5)) for t in q_terms}
    total = sum(idf.values()) or 1.0
    q_vec = q_vec or embed.get_query_embedding(question)
    vectors = embed.get_text_embedding_batch([s.text for s in sentences])
    kind = question_type(question)
    counted = counted_terms(question)
    previous: Sentence | None = None
    previous_dense = 0.0
    for s, vec in zip(sentences, vectors):
        s.vector = vec
        own_dense = max(0.0, _cosine(q_vec, vec))
        own_lexical = sum(idf[t] for t in q_terms if t in s.terms) / total
        s.dense, s.lexical = own_dense, own_lexical
        if previous is not None and previous.passage is s.passage:
            # "It cost $230 million" answers a question about the pier named one sentence
            # earlier: let the preceding sentence lend half its relevance.
            context = previous.terms | s.terms
            s.lexical = 0.5 * own_lexical + 0.5 * sum(
                idf[t] for t in q_terms if t in context) / total
            s.dense = max(own_dense, 0.5 * (own_dense + previous_dense))
        previous, previous_dense = s, own_dense
        s.score = DENSE_WEIGHT * s.dense + LEXICAL_WEIGHT * s.lexical
        has = _has_type(s, kind, counted)
        if has is True:
            s.score += TYPE_BONUS
        elif has is False:
            s.score -= TYPE_BONUS


def _same(a: Sentence, b: Sentence) -> bool:
    if not a.terms or not b.terms:
        return a.text == b.text
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) > DUPLICATE_OVERLAP


def pick(sentences: list[Sentence], threshold: float, limit: int) -> list[Sentence]:
    """The best sentence and close runners-up that add something new."""
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    if not ranked or ranked[0].score < threshold:
        return []
    chosen = [ranked[0]]
    for s in ranked[1:]:
        if len(chosen) >= limit or s.score < ranked[0].score - RUNNER_UP_MARGIN:
            break
        if not any(_same(s, c) for c in chosen):
            chosen.append(s)
    return chosen


@dataclass(frozen=True)
class FigureMention:
    """A number given as a quantity (not a year or the day of a date), with its context."""

    text: str  # as written: "at least 63,500"
    value: float
    unit: str  # stem of the word after it ("isra" for "Israelis")
    context: frozenset[str]  # stems of the words around it


def figure_mentions(text: str) -> list[FigureMention]:
    found = []
    for m in _FIGURE_RE.finditer(text):
        if _is_year(m) or re.match(r"\s*(st|nd|rd|th)\b", text[m.end():]):
            continue
        before = text[max(0, m.start() - 40):m.start()]
        if re.search(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$",
                     before, re.I):
            continue  # the day of a date, not a figure
        after = text[m.end():].split()[:6]
        found.append(FigureMention(
            text=m.group(0).strip(), value=float(m.group("num").replace(",", "")),
            unit=next(iter(terms(after[0])), "") if after else "",
            context=frozenset(terms(" ".join(after) + " " + " ".join(before.split()[-3:])))))
    return found


def _figure(sentence: Sentence, q_terms: set[str]) -> tuple[str, float, str, int] | None:
    """The figure in a sentence that is about what the question asks.

    Returns (text, value, unit, overlap): overlap is how many question terms stand around it.
    """
    best: tuple[str, float, str, int] | None = None
    for f in figure_mentions(sentence.text):
        overlap = _shared(q_terms, set(f.context))
        if overlap and (best is None or overlap > best[3]):
            best = (f.text, f.value, f.unit, overlap)
    return best


def find_conflict(question: str, sentences: list[Sentence], threshold: float
                  ) -> list[tuple[Sentence, str]]:
    """Relevant sentences from different articles giving different figures for one quantity.

    The best sentence must clear the answer bar. Another article joins when its best sentence
    is nearly as relevant and gives a figure about the question, or, a little further down,
    a figure counting the same thing (same unit word) as one already in.
    """
    if question_type(question) != "quantity":
        return []
    q_terms = terms(question)
    counted = counted_terms(question)
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    if not ranked or ranked[0].score < threshold:
        return []
    close = max(threshold, ranked[0].score - 2.5 * RUNNER_UP_MARGIN)
    per_doc: dict[str, tuple[Sentence, str, float, str]] = {}
    for s in ranked:
        if s.score < threshold - RUNNER_UP_MARGIN:
            break
        if s.doc in per_doc or not _counts_it(s, counted) or not (fig := _figure(s, q_terms)):
            continue
        text, value, unit, _ = fig
        same_unit = unit and any(unit == u for _, _, _, u in per_doc.values())
        if s.score >= close or same_unit:
            per_doc[s.doc] = (s, text, value, unit)
    if len(per_doc) < 2 or len({v for _, _, v, _ in per_doc.values()}) < 2:
        return []
    return [(s, text) for s, text, _, _ in per_doc.values()]


def _date_key(s: Sentence) -> str:
    return s.passage.node.metadata.get("date") or ""


class ExtractiveSynthesizer(BaseSynthesizer):
    """Answers by quoting retrieved sentences; see the module docstring."""

    def __init__(self, embed_model: BaseEmbedding, min_score: float, max_sentences: int,
                 **kwargs: Any) -> None:
        super().__init__(llm=MockLLM(), **kwargs)
        self._embed = embed_model
        self._min_score = min_score
        self._max_sentences = max_sentences

    def _get_prompts(self) -> dict[str, Any]:
        return {}

    def _update_prompts(self, prompts: dict[str, Any]) -> None:
        pass

    def get_response(self, query_str: str, text_chunks: Sequence[str], **kwargs: Any) -> str:
        raise NotImplementedError("the extractive answerer works on nodes; call synthesize()")

    async def aget_response(self, query_str: str, text_chunks: Sequence[str],
                            **kwargs: Any) -> str:
        raise NotImplementedError("the extractive answerer works on nodes; call synthesize()")

    def synthesize(self, query: QueryType, nodes: list[NodeWithScore],
                   additional_source_nodes: Sequence[NodeWithScore] | None = None,
                   **kwargs: Any) -> Response:
        bundle = query if isinstance(query, QueryBundle) else QueryBundle(str(query))
        answer = self.answer(bundle.query_str, nodes, q_vec=bundle.embedding)
        return Response(response=answer.answer, source_nodes=list(nodes),
                        metadata={"answer": answer})

    def answer(self, question: str, nodes: list[NodeWithScore],
               q_vec: list[float] | None = None) -> Answer:
        passages = [to_passage(i, n) for i, n in enumerate(nodes, start=1)]
        result = Answer(question=question, answer="", abstained=True, mode="extractive",
                        passages=passages)
        haystack = " ".join(n.node.get_content().lower() for n in nodes)
        missing = [e for e in question_entities(question) if not _mentions(e, haystack)]
        if not nodes:
            result.answer = "The articles do not say: no stored passage matches the question."
            return result
        if missing:
            names = ", ".join(f"“{m}”" for m in missing)
            result.answer = (f"The articles do not say: none of the passages found mentions "
                             f"{names}.")
            return result
        sentences = split_sentences(nodes)
        score_sentences(question, sentences, self._embed, q_vec)
        conflict = find_conflict(question, sentences, self._min_score)
        if conflict:
            conflict.sort(key=lambda p: (_date_key(p[0]) != "", _date_key(p[0])), reverse=True)
            chosen = [s for s, _ in conflict]
        else:
            chosen = pick(sentences, self._min_score, self._max_sentences)
        if not chosen:
            best = max((s.score for s in sentences), default=0.0)
            result.answer = ("The articles do not say. The closest passages found do not answer "
                             f"the question (best match {best:.2f}, below the "
                             f"{self._min_score:.2f} needed).")
            return result
        result.abstained = False
        result.citations = [to_citation(n, s) for n, s in enumerate(chosen, start=1)]
        if conflict:
            result.conflicts = [[Figure(value=text, n=c.n, doc=c.doc, date=c.date,
                                        source=c.source)
                                 for (s, text), c in zip(conflict, result.citations)]]
            lines = ["The articles give different figures:"]
            for (s, text), c in zip(conflict, result.citations):
                lines.append(f"- {text} ({c.date or 'undated'}): {defuse_markers(s.text)} "
                             f"[{c.n}]")
            result.answer = "\n".join(lines)
        else:
            result.answer = " ".join(f"{defuse_markers(s.text)} [{n}]"
                                     for n, s in enumerate(chosen, start=1))
        return result


def to_passage(rank: int, nws: NodeWithScore) -> Passage:
    meta = nws.node.metadata
    return Passage(rank=rank, chunk_id=nws.node.node_id, doc=meta.get("doc_id", ""),
                   title=meta.get("title", ""), date=meta.get("date", ""),
                   source=meta.get("source", ""), url=meta.get("url", ""),
                   text=nws.node.get_content(), score=round(float(nws.score or 0.0), 6),
                   start=nws.node.start_char_idx,  # type: ignore[union-attr]
                   end=nws.node.end_char_idx)  # type: ignore[union-attr]


def to_citation(n: int, s: Sentence) -> Citation:
    meta = s.passage.node.metadata
    return Citation(n=n, doc=s.doc, title=meta.get("title", ""), date=meta.get("date", ""),
                    source=meta.get("source", ""), url=meta.get("url", ""), quote=s.text,
                    score=round(s.score, 4), chunk_id=s.passage.node.node_id, start=s.start,
                    end=s.end)
