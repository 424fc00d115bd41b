"""Whether one cited passage backs one claim, and with which of its sentences.

A passage backs a claim when:
- every hard fact the claim states (figures, names, dates, weekdays and month names, words in
  quotation marks; `rag.text.facts`) occurs in the passage's own text, never the title/date
  header the model is shown; dates and figures compare normalised ("2024-01-04" = "January 4,
  2024"; "$230 million" = "230 million dollars"; "1,200" = "1200");
- its best sentence is negated just when the claim is ("said it did" is not backed by "denied
  any role");
- the passage sentences that back the claim give its named agents their roles
  (`rag.text.speakers`: "Hochstein told Gallant" is not backed by "Gallant told Hochstein");
- for the rest, its best sentence is close in meaning (embedder) and wording (shared content
  words) to the claim; a short claim, where two shared words already score high, must reach
  a higher bar.
What it leaves out: reading the reply into claims (`rag.answering.claims`) and what is kept,
renumbered and reported (`rag.answering.citecheck`).
"""

from __future__ import annotations

import re
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode, NodeWithScore

from rag.text.facts import contains_fact, folded, hard_facts, normalise
from rag.text.lexicon import akin, cosine, shared, terms
from rag.text.roles import Role, Sentence, claim_roles, passage_roles
from rag.text.sentences import node_sentence_spans, sentence_spans
from rag.text.speakers import speaker_conflict

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|den(?:y|ies|ied|ying)|"
    r"refut(?:e|es|ed|ing)|reject(?:s|ed|ing)?)\b|n't\b",
    re.I,
)
NEAR_BACKING = 0.05  # sentences this close to the best one also back a claim (speaker check)
SHORT_CLAIM_TERMS = 4  # a claim with this many content words or fewer is "short"
SHORT_CLAIM_MARGIN = 0.2  # added to the support bar for a short claim


def negated(text: str) -> bool:
    """Whether `text` says something is not so (not, no, never, denied, rejected, ...)."""
    return bool(_NEGATION.search(text.replace("’", "'")))


def support_bar(claim: str, threshold: float) -> float:
    """The support score `claim` must reach: higher for a short claim, where two shared
    content words and a loosely similar sentence already score well."""
    return threshold + SHORT_CLAIM_MARGIN if len(terms(claim)) <= SHORT_CLAIM_TERMS else threshold


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


class CitedPassage:
    """A passage as the check reads it: its own text, normalised, in sentence spans, each
    embedded and read for who said or did what only when a claim needs it."""

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
        """Who says and does what in each sentence span (`rag.text.roles`)."""
        if self._roles is None:
            self._roles = passage_roles(self.text, self.spans)
        return self._roles

    def vectors(self) -> list[list[float]]:
        """The embedding of each sentence span, computed once."""
        if self._vectors is None:
            self._vectors = self._embed.get_text_embedding_batch(
                [self.text[s:e] for s, e in self.spans]
            )
        return self._vectors


def support(
    claim: str, claim_vec: list[float], passage: CitedPassage, threshold: float
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


def _backing(claim: str, roles: list[Role], sims: list[float], passage: CitedPassage) -> list[int]:
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
