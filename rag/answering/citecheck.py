"""The citation check: no citation reaches the user unless its passage backs the sentence.

Runs on every generated answer before it is shown. Each sentence's `[n]` markers are parsed;
a number that points at no passage is dropped. A cited passage supports a sentence when every
hard fact the sentence states — figures, names, dates, words in quotation marks — occurs in
it, and, for the rest, when its best sentence is close in meaning (embedder) and wording
(shared content words) to the claim. Unsupported markers are removed; a sentence left with
no support is removed too and reported; what remains is renumbered 1..m in order of first
use. The result says exactly what was dropped and why, so nothing is hidden silently.

Hardened against what a real small model (SmolLM2-135M, Qwen2.5-0.5B) wrote:
- only the chunk's own text is checked, never the title/date header the model is shown, so
  a title cited to a chunk that does not contain it loses the citation;
- weekdays and month names are hard facts ("on Tuesday" against "overnight Wednesday");
- dates and figures are compared normalised ("2024-01-04" = "January 4, 2024" = "4 Jan
  2024"; "$230 million" = "230 million dollars"; "1,200" = "1200");
- a claim whose best passage sentence is negated when it is not (or the reverse: "said it
  did" against "denied any role") is unsupported, and short claims, where two shared words
  already score high, must reach a higher bar;
- who said or did what must match: a claim naming the agent of a speech or action verb
  ("Hochstein told Gallant …", "Austin called him …") is unsupported unless the passage
  sentences that back it name that agent in that role (`rag.text.speakers`: "Defense
  Minister Yoav Gallant" = "Gallant", "X was told by Y", "he" / "the minister" resolved);
- a question is not a claim: a sentence ending in "?" (or an interrogative left without one:
  "What is the Bill of Rights") is removed whatever it cites, and a reply of questions only
  is degenerate; a marker written after the end mark ("… land? [1] What …") cites the
  sentence before it, not the next one;
- uncited fragments that are not ordinary sentences ("Rules:", "date 2024") are dropped, and
  a reply that echoes the prompt ("Passages:", "Question:", "Rules" lines) is degenerate:
  nothing of it is shown, so the fallback answers (with these findings kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode, NodeWithScore, TextNode

from rag.answer import CheckReport, Citation, Dropped, Removed, also_reported_by
from rag.text.facts import contains_fact, folded, hard_facts, normalise
from rag.text.lexicon import akin, cosine, shared, terms
from rag.text.markers import (
    NOT_SAID,
    cited_numbers,
    is_refusal,
    leading_markers,
    markers,
    strip_markers,
)
from rag.text.sentences import node_sentence_spans, sentence_spans
from rag.text.speakers import Role, Sentence, claim_roles, passage_roles, speaker_conflict

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|den(?:y|ies|ied|ying)|"
    r"refut(?:e|es|ed|ing)|reject(?:s|ed|ing)?)\b|n't\b",
    re.I,
)
_ECHO = re.compile(r"(?mi)^\W*(?:passages?|question)\s*:|\brules\s*:")
_ORDINARY = re.compile(r"[\"“(]?[A-Z0-9][^:\n]*[a-z0-9%)\"”'’][.!?][\"”)]?", re.S)
_WH = r"(?i:what|who|whom|whose|which|why|how|where|when)"
_AUX = (
    r"(?i:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|"
    r"may|might)"
)
# An interrogative without its "?": a wh-word and an auxiliary ("In the U.S., what is …",
# "How many people were killed"), or an auxiliary before its subject ("Did Gallant …"),
# perhaps after an opening phrase ("In the U.S.,", not "The pier, which was …").
_INTERROGATIVE = re.compile(
    rf"^[\"“(]?(?:(?i:in|on|at|for|according to|as of|during|after|before|since|by|from|"
    rf"under|within)\b[^,]{{0,60}},\s*)?(?:{_WH}\s+(?:[\w’'\-]+\s+){{0,3}}?{_AUX}\b"
    rf"|{_AUX}\s+(?:(?i:he|she|it|they|we|you|there|the|this|that|a|an)\b|[A-Z]))"
)
NEAR_BACKING = 0.05  # sentences this close to the best one also back a claim (speaker check)
SHORT_CLAIM_TERMS = 4  # a claim with this many content words or fewer is "short"
SHORT_CLAIM_MARGIN = 0.2  # added to the support bar for a short claim


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
    report: CheckReport


def negated(text: str) -> bool:
    """Whether `text` says something is not so (not, no, never, denied, rejected, ...)."""
    return bool(_NEGATION.search(text.replace("’", "'")))


def support_bar(claim: str, threshold: float) -> float:
    """The support score `claim` must reach: higher for a short claim, where two shared
    content words and a loosely similar sentence already score well."""
    return threshold + SHORT_CLAIM_MARGIN if len(terms(claim)) <= SHORT_CLAIM_TERMS else threshold


def echoes_prompt(reply: str) -> bool:
    """Whether the reply repeats the prompt's scaffolding instead of answering."""
    return bool(_ECHO.search(reply))


def is_question(text: str) -> bool:
    """Whether `text` asks rather than states: it ends with "?", or it is an interrogative
    ("What is the Bill of Rights") with no full stop to say otherwise."""
    end = text.strip().rstrip("\"”’')] ")
    if end.endswith("?"):
        return True
    return not end.endswith((".", "!")) and bool(_INTERROGATIVE.match(text.strip()))


def ordinary_sentence(text: str) -> bool:
    """A sentence as prose has it: capital or digit first, no colon, an end mark ("Yes.")."""
    return bool(_ORDINARY.fullmatch(text.strip()))


def _spans(node: Any, text: str) -> list[tuple[int, int]]:
    """The sentence spans of the passage text: as stored at ingest when they are this text's
    (a briefing's quote carries its chunk's metadata, whose spans are the chunk's)."""
    stored = node_sentence_spans(node)
    if (
        stored
        and all(e <= len(text) for _s, e in stored)
        and stored[-1][1] >= len(text.rstrip()) - 1
    ):
        return stored
    return sentence_spans(text)


class _Passage:
    def __init__(self, nws: NodeWithScore, embed: BaseEmbedding) -> None:
        self.nws = nws
        # the chunk's own text only: the title/date header the model saw is not evidence
        self.text = nws.node.get_content(metadata_mode=MetadataMode.NONE)
        self.norm = folded(self.text)
        self.normalised = normalise(self.text)
        self.terms = terms(self.text)
        self.spans = [s for s in _spans(nws.node, self.text) if s[1] - s[0] > 15] or [
            (0, len(self.text))
        ]
        self.span_terms = [terms(self.text[s:e]) for s, e in self.spans]
        self._embed = embed
        self._vectors: list[list[float]] | None = None
        self._roles: list[Sentence] | None = None

    def roles(self) -> list[Sentence]:
        """Who says and does what in each sentence span (`rag.text.speakers`)."""
        if self._roles is None:
            self._roles = passage_roles(self.text, self.spans)
        return self._roles

    def vectors(self) -> list[list[float]]:
        if self._vectors is None:
            self._vectors = self._embed.get_text_embedding_batch(
                [self.text[s:e] for s, e in self.spans]
            )
        return self._vectors


def _support(
    claim: str, claim_vec: list[float], passage: _Passage, threshold: float
) -> tuple[bool, str, tuple[int, int], float]:
    """(supported, reason if not, best sentence span, score)."""
    missing = [
        f for f in hard_facts(claim) if not contains_fact(passage.norm, f, passage.normalised)
    ]
    sims = [cosine(claim_vec, v) for v in passage.vectors()]
    best = max(range(len(sims)), key=lambda i: sims[i])
    span = passage.spans[best]
    wanted = terms(claim)
    overlap = (
        sum(any(akin(w, t) for t in passage.terms) for w in wanted) / len(wanted) if wanted else 1.0
    )
    score = 0.5 * max(sims) + 0.5 * overlap
    if missing:
        return False, "states " + ", ".join(f"“{m}”" for m in missing) + " not in", span, score
    if negated(claim) != negated(passage.text[span[0] : span[1]]):
        side = "denies what is affirmed in" if negated(claim) else "affirms what is denied in"
        return False, side, span, score
    roles = claim_roles(claim)
    if any(r.agents for r in roles):
        backing = [passage.roles()[i] for i in _backing(claim, roles, sims, passage)]
        if why := speaker_conflict(roles, backing):
            return False, why, span, score
    bar = support_bar(claim, threshold)
    if score < bar:
        return False, f"support {score:.2f} below {bar:.2f} from", span, score
    return True, "", span, score


def _backing(claim: str, roles: list[Role], sims: list[float], passage: _Passage) -> list[int]:
    """The passage sentences that back `claim` (at most three): the best by meaning and by
    the claim's words other than the names of its agents (a wrong speaker must not pull the
    sentences about that speaker in), and those within `NEAR_BACKING` of it."""
    agents = terms(" ".join(a for r in roles for a in r.agents))
    wanted = (terms(claim) - agents) or terms(claim)
    rel = [
        0.5 * sim + 0.5 * (shared(wanted, found) / len(wanted) if wanted else 1.0)
        for sim, found in zip(sims, passage.span_terms)
    ]
    best = max(rel)
    near = [i for i in range(len(rel)) if rel[i] >= best - NEAR_BACKING]
    return sorted(near, key=lambda i: -rel[i])[:3]


def split_claims(answer: str) -> list[Claim]:
    """The reply's sentences with the passage numbers each cites. Markers after a sentence's
    end mark ("… land? [1] What is …", the check's own "claim. [1]") belong to the sentence
    before them, though the splitter starts the next sentence with them."""
    claims: list[Claim] = []
    for start, end in sentence_spans(answer):
        piece = answer[start:end]
        if claims:
            leading, piece = leading_markers(piece)
            claims[-1].cited += leading
        cited = cited_numbers(piece)
        text = strip_markers(piece).strip()
        if text:
            claims.append(Claim(text=text, cited=cited))
        elif cited and claims:  # a marker that the splitter put on its own
            claims[-1].cited += cited
    return claims


def check_citations(
    answer: str, passages: list[NodeWithScore], embed: BaseEmbedding, threshold: float
) -> CheckResult:
    claims = split_claims(answer)
    if not echoes_prompt(answer) and all(is_refusal(c.text) and not c.cited for c in claims):
        return CheckResult(
            text=f"{NOT_SAID}." if not claims else answer.strip(),
            citations=[],
            abstained=True,
            report=CheckReport(claims=len(claims)),
        )
    wrapped = [_Passage(p, embed) for p in passages]
    vectors = embed.get_text_embedding_batch([c.text for c in claims])
    dropped: list[Dropped] = []
    best_span: dict[int, tuple[tuple[int, int], float]] = {}
    marker_count = 0
    for claim, vec in zip(claims, vectors):
        for n in dict.fromkeys(claim.cited):
            marker_count += 1
            if is_question(claim.text):
                dropped.append(Dropped(claim.text, n, f"a question is not a claim [{n}]"))
                continue
            if not 1 <= n <= len(wrapped):
                dropped.append(
                    Dropped(claim.text, n, f"[{n}] points at no passage (there are {len(wrapped)})")
                )
                continue
            ok, why, span, score = _support(claim.text, vec, wrapped[n - 1], threshold)
            if ok:
                claim.kept.append(n)
                if n not in best_span or score > best_span[n][1]:
                    best_span[n] = (span, score)
            else:
                dropped.append(Dropped(claim.text, n, f"{why} [{n}]"))
    kept_claims: list[Claim] = []
    removed: list[Removed] = []
    for claim in claims:
        if is_question(claim.text):
            removed.append(Removed(claim.text, "a question, not a claim"))
        elif claim.kept or (
            not claim.cited
            and (
                is_refusal(claim.text)
                or (len(terms(claim.text)) < 3 and ordinary_sentence(claim.text))
            )
        ):
            kept_claims.append(claim)
        elif claim.cited:
            removed.append(Removed(claim.text, "no cited passage supports it"))
        else:
            removed.append(
                Removed(
                    claim.text,
                    "cites no passage"
                    if ordinary_sentence(claim.text)
                    else "not a sentence of an answer",
                )
            )
    renumber: dict[int, int] = {}
    for claim in kept_claims:
        for n in claim.kept:
            renumber.setdefault(n, len(renumber) + 1)
    text = " ".join(
        f"{claim.text} {markers(renumber[n] for n in claim.kept)}".strip() for claim in kept_claims
    ).strip()
    citations = []
    for old, new in sorted(renumber.items(), key=lambda kv: kv[1]):
        nws = wrapped[old - 1].nws
        (s, e), score = best_span[old]
        base = cast(TextNode, nws.node).start_char_idx or 0
        meta = nws.node.metadata
        citations.append(
            Citation(
                n=new,
                doc=meta.get("doc_id", ""),
                title=meta.get("title", ""),
                date=meta.get("date", ""),
                source=meta.get("source", ""),
                url=meta.get("url", ""),
                quote=wrapped[old - 1].text[s:e],
                score=round(score, 4),
                chunk_id=nws.node.node_id,
                start=base + s,
                end=base + e,
                supported=True,
                passage=old,
                also=also_reported_by(meta),
            )
        )
    report = CheckReport(
        claims=len(claims),
        markers=marker_count,
        supported=sum(len(c.kept) for c in claims),
        dropped=dropped,
        removed_sentences=removed,
        renumbered=any(k != v for k, v in renumber.items()),
    )
    degenerate = (
        "the reply repeats the prompt (Passages:/Question:/Rules lines)"
        if echoes_prompt(answer)
        else "the reply asks questions instead of answering"
        if claims and all(is_question(c.text) for c in claims)
        else "no claim of the reply is left"
        if claims and not kept_claims
        else ""
    )
    if degenerate:
        report.degenerate = degenerate
        return CheckResult(text="", citations=[], abstained=True, report=report)
    return CheckResult(
        text=text, citations=citations, abstained=not kept_claims or not citations, report=report
    )
