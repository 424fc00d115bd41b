"""One line per fact: a briefing's candidate sentences merged across articles.

Near-identical sentences from syndicated copies become one line, and so does the same fact
reported by several outlets in other words (`rag.briefing.paraphrase`); the line cites every
article that says it, in the words of the best-scored one. What it leaves out: which sentences
are candidates (`rag.answering.topic`) and where lines go in the briefing (`rag.briefing.build`).
"""

from __future__ import annotations

from rag.answering.scoring import Sentence
from rag.briefing.model import Line
from rag.briefing.paraphrase import same_fact
from rag.text.article_markers import defuse_markers

TWIN_OVERLAP = 0.7  # share of content words two syndicated copies of a sentence have in common


def _twins(a: Sentence, b: Sentence) -> bool:
    """Near-identical wording (syndicated copies), not merely a shared subject."""
    if not a.terms or not b.terms:
        return a.text == b.text
    return len(a.terms & b.terms) / max(len(a.terms), len(b.terms)) >= TWIN_OVERLAP


def merge_twins(sentences: list[Sentence]) -> list[Line]:
    """One line per distinct sentence, best first, carrying every article that says (nearly)
    the same."""
    lines: list[Line] = []
    for s in sorted(sentences, key=lambda s: s.score, reverse=True):
        twin = next((ln for ln in lines if _twins(s, ln.sentences[0])), None)
        if twin is None:
            lines.append(Line(defuse_markers(s.text), [s]))
        elif s.doc not in {t.doc for t in twin.sentences}:
            twin.sentences.append(s)
    return lines


def merge_paraphrases(lines: list[Line]) -> list[Line]:
    """One line per fact: a line reporting what a better line already reports, in other words
    and from another article (`rag.briefing.paraphrase.same_fact`), joins it as a citation."""
    kept: list[Line] = []
    for line in lines:  # best first: the better wording stands
        home = next((k for k in kept if same_fact(k.sentences[0], line.sentences[0])), None)
        if home is None:
            kept.append(line)
            continue
        docs = {s.doc for s in home.sentences}
        home.sentences += [s for s in line.sentences if s.doc not in docs]
    return kept
