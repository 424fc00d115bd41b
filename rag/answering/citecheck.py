"""The citation check: no citation reaches the user unless its passage backs the sentence.

Runs on every generated answer before it is shown. The reply is read into claims, each with
the `[n]` markers it carries (`rag.answering.claims`); a number that points at no passage is
dropped, and so is any citation of a question. A cited passage either backs its claim or not
(`rag.answering.support`: hard facts, negation, who said or did what, closeness in meaning and
wording). Unsupported markers are removed; a sentence left with no support is removed too and
reported, as are uncited fragments that are not ordinary sentences; what remains is
renumbered 1..m in order of first use, each citation quoting the passage sentence that backs
it best. The result says exactly what was dropped and why, so nothing is hidden silently.

Hardened against what a real small model (SmolLM2-135M, Qwen2.5-0.5B) wrote: a reply of
questions only, or one that echoes the prompt ("Passages:", "Question:", "Rules" lines), is
degenerate: nothing of it is shown, so the fallback answers (with these findings kept).
What it leaves out: writing the reply (`rag.answering.generated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, TextNode

from rag.answer import CheckReport, Citation, Dropped, Removed, also_reported_by
from rag.answering.claims import Claim, echoes_prompt, is_question, ordinary_sentence, split_claims
from rag.answering.support import CitedPassage, support
from rag.text.lexicon import terms
from rag.text.markers import NOT_SAID, is_refusal, markers

# The passage sentence that backs a citation best, and its score, by passage number.
_BestSpans = dict[int, tuple[tuple[int, int], float]]


@dataclass
class CheckResult:
    """The checked reply: its text renumbered, its citations, and the report."""

    text: str
    citations: list[Citation]
    abstained: bool
    report: CheckReport


def _judge(
    claims: list[Claim],
    vectors: list[list[float]],
    passages: list[CitedPassage],
    threshold: float,
) -> tuple[list[Dropped], _BestSpans, int]:
    """Each claim's cited passages judged: those that back it go to `Claim.kept`, the rest
    are dropped with the reason. Returns the dropped, the best backing span of each passage
    kept, and how many markers there were."""
    dropped: list[Dropped] = []
    best_span: _BestSpans = {}
    marker_count = 0
    for claim, vec in zip(claims, vectors):
        for n in dict.fromkeys(claim.cited):
            marker_count += 1
            if is_question(claim.text):
                dropped.append(Dropped(claim.text, n, f"a question is not a claim [{n}]"))
                continue
            if not 1 <= n <= len(passages):
                dropped.append(
                    Dropped(
                        claim.text, n, f"[{n}] points at no passage (there are {len(passages)})"
                    )
                )
                continue
            ok, why, span, score = support(claim.text, vec, passages[n - 1], threshold)
            if ok:
                claim.kept.append(n)
                if n not in best_span or score > best_span[n][1]:
                    best_span[n] = (span, score)
            else:
                dropped.append(Dropped(claim.text, n, f"{why} [{n}]"))
    return dropped, best_span, marker_count


def _keep(claims: list[Claim]) -> tuple[list[Claim], list[Removed]]:
    """The claims that stay (backed, or an uncited refusal or short ordinary sentence), and
    the sentences removed with the reason."""
    kept: list[Claim] = []
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
            kept.append(claim)
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
    return kept, removed


def _citation(
    passage: CitedPassage, new: int, old: int, span: tuple[int, int], score: float
) -> Citation:
    """Citation `new` of the answer: the sentence `span` of passage `old` that backs it."""
    nws = passage.nws
    s, e = span
    base = cast(TextNode, nws.node).start_char_idx or 0
    meta = nws.node.metadata
    return Citation(
        n=new,
        doc=meta.get("doc_id", ""),
        title=meta.get("title", ""),
        date=meta.get("date", ""),
        source=meta.get("source", ""),
        url=meta.get("url", ""),
        quote=passage.text[s:e],
        score=round(score, 4),
        chunk_id=nws.node.node_id,
        start=base + s,
        end=base + e,
        supported=True,
        passage=old,
        also=also_reported_by(meta),
    )


def _degenerate(answer: str, claims: list[Claim], kept: list[Claim]) -> str:
    """Why the reply as a whole is no answer, or ""."""
    if echoes_prompt(answer):
        return "the reply repeats the prompt (Passages:/Question:/Rules lines)"
    if claims and all(is_question(c.text) for c in claims):
        return "the reply asks questions instead of answering"
    if claims and not kept:
        return "no claim of the reply is left"
    return ""


def check_citations(
    answer: str, passages: list[NodeWithScore], embed: BaseEmbedding, threshold: float
) -> CheckResult:
    """The reply with only the citations its passages back (see the module docstring)."""
    claims = split_claims(answer)
    if not echoes_prompt(answer) and all(is_refusal(c.text) and not c.cited for c in claims):
        return CheckResult(
            text=f"{NOT_SAID}." if not claims else answer.strip(),
            citations=[],
            abstained=True,
            report=CheckReport(claims=len(claims)),
        )
    wrapped = [CitedPassage(p, embed) for p in passages]
    vectors = embed.get_text_embedding_batch([c.text for c in claims])
    dropped, best_span, marker_count = _judge(claims, vectors, wrapped, threshold)
    kept_claims, removed = _keep(claims)
    renumber: dict[int, int] = {}
    for claim in kept_claims:
        for n in claim.kept:
            renumber.setdefault(n, len(renumber) + 1)
    text = " ".join(
        f"{claim.text} {markers(renumber[n] for n in claim.kept)}".strip() for claim in kept_claims
    ).strip()
    citations = [
        _citation(wrapped[old - 1], new, old, *best_span[old])
        for old, new in sorted(renumber.items(), key=lambda kv: kv[1])
    ]
    report = CheckReport(
        claims=len(claims),
        markers=marker_count,
        supported=sum(len(c.kept) for c in claims),
        dropped=dropped,
        removed_sentences=removed,
        renumbered=any(k != v for k, v in renumber.items()),
    )
    if degenerate := _degenerate(answer, claims, kept_claims):
        report.degenerate = degenerate
        return CheckResult(text="", citations=[], abstained=True, report=report)
    return CheckResult(
        text=text, citations=citations, abstained=not kept_claims or not citations, report=report
    )
