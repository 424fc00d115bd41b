"""The citation check: no citation reaches the user unless its passage backs the sentence.

Runs on every generated answer before it is shown. Each sentence's `[n]` markers are parsed;
a number that points at no passage is dropped. A cited passage supports a sentence when every
hard fact the sentence states — figures, names, dates, words in quotation marks — occurs in
it, and, for the rest, when its best sentence is close in meaning (embedder) and wording
(shared content words) to the claim. Unsupported markers are removed; a sentence left with
no support is removed too and reported; what remains is renumbered 1..m in order of first
use. The result says exactly what was dropped and why, so nothing is hidden silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore

from rag.answer import Citation
from rag.text.dates import MONTH_NUMBERS, WEEKDAYS
from rag.text.lexicon import akin, cosine, terms
from rag.text.sentences import node_sentence_spans, sentence_spans

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_REFUSAL = re.compile(r"^\W*the articles do not (say|mention|contain)", re.I)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'\-]{2,}(?:\s+[A-Z][a-zA-Z’'\-]{2,})*")
# Capitalised words that are not names: calendar words and sentence openers.
_NOT_NAMES = {w.capitalize() for w in (*MONTH_NUMBERS, *WEEKDAYS)} | {
    "The", "This", "That", "These", "He", "She", "They", "It", "His", "Her", "Their",
    "According", "However", "Also", "But"}


@dataclass
class Claim:
    text: str  # the sentence without its markers
    cited: list[int]  # passage numbers as the model wrote them
    kept: list[int] = field(default_factory=list)  # passage numbers that support it
    problems: list[str] = field(default_factory=list)


@dataclass
class CheckResult:
    text: str
    citations: list[Citation]
    abstained: bool
    summary: dict[str, Any]


def hard_facts(claim: str) -> list[str]:
    """Figures, quoted words and proper names a supporting passage must contain verbatim."""
    facts = [m.group(0).rstrip(",.") for m in _NUMBER.finditer(claim)]
    facts += [m.group(1).strip() for m in _QUOTED.finditer(claim)]
    for m in _NAME.finditer(claim):
        words = [w for w in m.group(0).split() if w not in _NOT_NAMES]
        if words:
            facts.append(" ".join(words))
    return facts


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return " ".join(text.lower().split())


def _contains_fact(passage: str, fact: str) -> bool:
    fact_n = _norm(fact)
    if fact_n in passage:
        return True
    if fact[:1].isupper():  # a name: each word (Gallant, "Yoav Gallant") may stand apart
        return all(w.lower().rstrip("'s") in passage for w in fact_n.split())
    return False


class _Passage:
    def __init__(self, nws: NodeWithScore, embed: BaseEmbedding) -> None:
        self.nws = nws
        self.text = nws.node.get_content()
        self.norm = _norm(self.text)
        self.terms = terms(self.text)
        self.spans = [s for s in node_sentence_spans(nws.node) if s[1] - s[0] > 15] or [
            (0, len(self.text))]
        self._embed = embed
        self._vectors: list[list[float]] | None = None

    def vectors(self) -> list[list[float]]:
        if self._vectors is None:
            self._vectors = self._embed.get_text_embedding_batch(
                [self.text[s:e] for s, e in self.spans])
        return self._vectors


def _support(claim: str, claim_vec: list[float], passage: _Passage, threshold: float
             ) -> tuple[bool, str, tuple[int, int], float]:
    """(supported, reason if not, best sentence span, score)."""
    missing = [f for f in hard_facts(claim) if not _contains_fact(passage.norm, f)]
    sims = [cosine(claim_vec, v) for v in passage.vectors()]
    best = max(range(len(sims)), key=lambda i: sims[i])
    wanted = terms(claim)
    overlap = (sum(any(akin(w, t) for t in passage.terms) for w in wanted) / len(wanted)
               if wanted else 1.0)
    score = 0.5 * max(sims) + 0.5 * overlap
    if missing:
        return False, "states " + ", ".join(f"“{m}”" for m in missing) + " not in", \
            passage.spans[best], score
    if score < threshold:
        return False, f"support {score:.2f} below {threshold:.2f} from", passage.spans[best], score
    return True, "", passage.spans[best], score


def split_claims(answer: str) -> list[Claim]:
    claims: list[Claim] = []
    for start, end in sentence_spans(answer):
        piece = answer[start:end]
        cited = [int(n) for group in _MARKERS.findall(piece) for n in group.split(",")]
        text = _MARKERS.sub("", piece).strip()
        if text:
            claims.append(Claim(text=text, cited=cited))
        elif cited and claims:  # a marker that the splitter put on its own
            claims[-1].cited += cited
    return claims


def check_citations(answer: str, passages: list[NodeWithScore], embed: BaseEmbedding,
                    threshold: float) -> CheckResult:
    claims = split_claims(answer)
    if not claims or _REFUSAL.match(claims[0].text):
        return CheckResult(text="The articles do not say." if not claims else answer.strip(),
                           citations=[], abstained=True,
                           summary={"claims": len(claims), "markers": 0, "supported": 0,
                                    "dropped": [], "removed_sentences": []})
    wrapped = [_Passage(p, embed) for p in passages]
    vectors = embed.get_text_embedding_batch([c.text for c in claims])
    dropped: list[dict[str, Any]] = []
    best_span: dict[int, tuple[tuple[int, int], float]] = {}
    markers = 0
    for claim, vec in zip(claims, vectors):
        for n in dict.fromkeys(claim.cited):
            markers += 1
            if not 1 <= n <= len(wrapped):
                dropped.append({"claim": claim.text, "marker": n,
                                "reason": f"[{n}] points at no passage (there are "
                                          f"{len(wrapped)})"})
                continue
            ok, why, span, score = _support(claim.text, vec, wrapped[n - 1], threshold)
            if ok:
                claim.kept.append(n)
                if n not in best_span or score > best_span[n][1]:
                    best_span[n] = (span, score)
            else:
                dropped.append({"claim": claim.text, "marker": n, "reason": f"{why} [{n}]"})
    kept_claims, removed = [], []
    for claim in claims:
        if claim.kept or (not claim.cited and len(terms(claim.text)) < 3):
            kept_claims.append(claim)
        else:
            removed.append({"claim": claim.text, "reason": "no cited passage supports it"
                            if claim.cited else "cites no passage"})
    renumber: dict[int, int] = {}
    for claim in kept_claims:
        for n in claim.kept:
            renumber.setdefault(n, len(renumber) + 1)
    text = " ".join(claim.text + "".join(f" [{renumber[n]}]" for n in claim.kept)
                    for claim in kept_claims).strip()
    citations = []
    for old, new in sorted(renumber.items(), key=lambda kv: kv[1]):
        nws = wrapped[old - 1].nws
        (s, e), score = best_span[old]
        base = nws.node.start_char_idx or 0  # type: ignore[union-attr]
        meta = nws.node.metadata
        citations.append(Citation(
            n=new, doc=meta.get("doc_id", ""), title=meta.get("title", ""),
            date=meta.get("date", ""), source=meta.get("source", ""), url=meta.get("url", ""),
            quote=wrapped[old - 1].text[s:e], score=round(score, 4), chunk_id=nws.node.node_id,
            start=base + s, end=base + e, supported=True, passage=old))
    summary = {"claims": len(claims), "markers": markers,
               "supported": sum(len(c.kept) for c in claims), "dropped": dropped,
               "removed_sentences": removed, "renumbered": any(k != v for k, v in
                                                               renumber.items())}
    return CheckResult(text=text, citations=citations, abstained=not kept_claims or not citations,
                       summary=summary)
