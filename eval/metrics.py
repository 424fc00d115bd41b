"""Scores of one answer against its gold item, and how they are averaged.

Pure functions over the `rag ask --json` shape, so each metric can be checked on hand-made
cases. Definitions (also printed in every report):
- retrieval: a passage is relevant when it comes from an evidence article and contains the
  evidence quote (whitespace- and case-insensitive; a quote cut by a chunk boundary counts for
  either chunk). hit@k, MRR and nDCG@10 (binary gains) over the ranked passages.
  `article_hit@5`: an evidence article is among the articles of the top 5 passages, counting
  the syndicated copies each passage's story lists (`also`): the issue's "evidence article in
  the top 5", which a passage of the right article that holds another part of it also meets.
- answer (answerable only): `contains` an acceptable answer appears in the answer text;
  `em` and `f1` with SQuAD normalisation, best over acceptable answers. EM and F1 compare
  the whole answer, so an answer that quotes full sentences scores low on them by
  construction; `contains` is the figure to read for the extractive mode.
  `in_passages`: an acceptable answer appears in the retrieved passages (the answerer's
  ceiling); `missed_in_passages`: it does, but the answer does not hold it.
- short answer (`short_answer`: the figure, date or name the answerer found in the sentence
  it quotes, given even when it is not sure enough to show it; none when it finds none or
  refuses): `short_em` and `short_f1` score it alone against the acceptable answers (SQuAD
  normalisation, best over them), 0 when none is given, so their means are over every
  answerable question. A short answer is `right` when its EM is 1, or when, for one
  acceptable answer, the normalised words of either stand as a run inside the other's and its
  F1 against that answer is at least 0.5 ("Hochstein" for "Amos Hochstein"; not "500
  Israelis", nor a long sentence that merely holds the name), or when both write the same
  day of the year, in any order, a year given by only one of them ("May 6" for "6 May 2023";
  not "May 6, 2022"). The answer shows it first in
  bold only when the reader is sure of it (`short_sure`; a row written before that field
  existed gave a short answer only in bold). `short.given` counts the questions given a bold
  answer; `short.bold_precision` is the share of them whose bold answer is right; a bold
  answer to an unanswerable question is wrong.
- abstention: refused unanswerable / refused answerable.
- citation: `precision` share of `[n]` markers whose cited quote supports the sentence they
  follow (its content words are at least 70% in the quote); `recall` share of answer
  sentences carrying at least one supporting citation.
- faithfulness (proxy, no LLM): share of the answer's content words found in what it cites.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from typing import Any

from rag import MARKER, marker_runs, written_day

# The harness's own notion of a content word, independent of the answerer's tokenizer, so
# a change to how the answerer reads text cannot change how it is scored.
_FUNCTION_WORDS = frozenset(
    "a an the and or but if then of to in on at by for with from as into about over after "
    "before than that this these those it its is are was were be been being has have had do "
    "does did will would can could should may might must not no he she they we you i his her "
    "their our your who whom whose which what when where why how said says say also".split()
)


def terms(text: str) -> set[str]:
    """Content words of `text` after SQuAD normalisation (no stemming)."""
    return {w for w in normalize_answer(text).split() if w not in _FUNCTION_WORDS}


SUPPORT_SHARE = 0.7
SHORT_F1 = 0.5  # least F1 of a bold answer that holds, or is held by, an acceptable answer
MIN_SPLIT_CHARS = 20  # shortest piece of a quote cut by a chunk boundary that still counts


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation or articles, single spaces."""
    text = text.lower().replace("’", "'")
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, answers: list[str]) -> float:
    return float(any(normalize_answer(prediction) == normalize_answer(a) for a in answers))


def f1(prediction: str, answers: list[str]) -> float:
    best = 0.0
    pred = normalize_answer(prediction).split()
    for answer in answers:
        gold = normalize_answer(answer).split()
        common = Counter(pred) & Counter(gold)
        same = sum(common.values())
        if same:
            p, r = same / len(pred), same / len(gold)
            best = max(best, 2 * p * r / (p + r))
    return best


def contains(prediction: str, answers: list[str]) -> float:
    norm = normalize_answer(prediction)
    return float(any(normalize_answer(a) and normalize_answer(a) in norm for a in answers))


def _within(inner: list[str], outer: list[str]) -> bool:
    """`inner` is a non-empty run of consecutive words of `outer`."""
    n = len(inner)
    return n > 0 and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def same_day(short: str, answer: str) -> bool:
    """Whether two texts write the same day of the year, a year given by one of them only
    ("May 6" and "6 May 2023"), which SQuAD's normalisation cannot see: word order differs."""
    a, b = written_day(short), written_day(answer)
    return bool(a and b and a[:2] == b[:2] and (not a[2] or not b[2] or a[2] == b[2]))


def short_is_right(short: str, answers: list[str]) -> bool:
    """A bold short answer is right: exact match, it and an acceptable answer hold one
    another word for word with F1 >= SHORT_F1 against that answer, or both write the same
    day (see the module doc)."""
    if exact_match(short, answers) or any(same_day(short, a) for a in answers):
        return True
    words = normalize_answer(short).split()
    for answer in answers:
        gold = normalize_answer(answer).split()
        if (_within(gold, words) or _within(words, gold)) and f1(short, [answer]) >= SHORT_F1:
            return True
    return False


def short_scores(result: dict, answers: list[str], answerable: bool) -> dict[str, float]:
    """The short answer of one result scored on its own (0 when none is given); `given` and
    `right` count it only where it is shown in bold."""
    short = None if result.get("abstained") else (result.get("short_answer") or "").strip()
    if not short:
        return {"given": 0.0, "right": 0.0, "em": 0.0, "f1": 0.0}
    bold = float(result.get("short_sure", True))  # older rows: a short answer was bold
    if not answerable:
        return {"given": bold, "right": 0.0, "em": 0.0, "f1": 0.0}
    return {
        "given": bold,
        "right": bold * short_is_right(short, answers),
        "em": exact_match(short, answers),
        "f1": f1(short, answers),
    }


def squash(text: str) -> str:
    """Case, curly quotes and whitespace folded: how evidence quotes are matched to text."""
    return " ".join(text.lower().replace("’", "'").replace("“", '"').replace("”", '"').split())


def passage_is_relevant(passage: dict, evidence: list[dict]) -> bool:
    text = squash(passage.get("text", ""))
    for ev in evidence:
        if passage.get("doc") != ev["doc"]:
            continue
        quote = squash(ev["quote"])
        if quote in text:
            return True
        for cut in range(MIN_SPLIT_CHARS, len(quote) - MIN_SPLIT_CHARS + 1):
            if text.endswith(quote[:cut].rstrip()) or text.startswith(quote[cut:].lstrip()):
                return True
    return False


def passage_articles(passage: dict) -> set[str]:
    """The article a passage comes from and the other copies of its story."""
    return {passage.get("doc") or ""} | {a.get("doc") or "" for a in passage.get("also") or []}


def retrieval_scores(passages: list[dict], evidence: list[dict]) -> dict[str, float]:
    relevant = [passage_is_relevant(p, evidence) for p in passages]
    evidence_docs = {ev["doc"] for ev in evidence}
    top_articles = set().union(*(passage_articles(p) for p in passages[:5]))
    first = next((i for i, r in enumerate(relevant) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(relevant[:10]) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(evidence), 10)))
    return {
        "hit@1": float(first is not None and first < 1),
        "hit@5": float(first is not None and first < 5),
        "hit@10": float(first is not None and first < 10),
        "mrr": 1 / (first + 1) if first is not None else 0.0,
        "ndcg@10": dcg / ideal if ideal else 0.0,
        "article_hit@5": float(bool(evidence_docs & top_articles)),
    }


def answer_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """Claims of an answer: each piece of text that ends in one or more `[n]` markers.

    Text after the last marker, or a line without any (a heading such as "The articles give
    different figures:"), is returned with no markers and counts as uncited.
    """
    pieces: list[tuple[str, list[int]]] = []
    for line in answer.splitlines():
        pos = 0
        for start, end, numbers in marker_runs(line):
            claim = line[pos:start].strip(" -")
            if claim:
                pieces.append((claim, numbers))
            pos = end
        tail = line[pos:].strip(" -")
        if tail and not tail.endswith(":") and len(terms(tail)) >= 2:
            pieces.append((tail, []))
    return pieces


def _supports(claim: str, quote: str) -> bool:
    claim_terms = terms(claim)
    if not claim_terms:
        return True
    return len(claim_terms & terms(quote)) / len(claim_terms) >= SUPPORT_SHARE


def citation_scores(result: dict) -> dict[str, float] | None:
    """Precision/recall of the citations of one answer (None when it cites nothing)."""
    claims = answer_sentences(result.get("answer", ""))
    quotes = {c["n"]: c.get("quote", "") for c in result.get("citations", [])}
    markers = [(claim, n) for claim, numbers in claims for n in numbers]
    if result.get("abstained") or not claims:
        return None
    supported = [n in quotes and _supports(claim, quotes[n]) for claim, n in markers]
    carried = [
        any(n in quotes and _supports(claim, quotes[n]) for n in numbers)
        for claim, numbers in claims
    ]
    return {
        "precision": sum(supported) / len(supported) if supported else 0.0,
        "recall": sum(carried) / len(carried),
    }


def faithfulness_proxy(result: dict) -> float | None:
    """Share of the answer's content words that stand in the quotes it cites."""
    if result.get("abstained"):
        return None
    answer_terms = terms(MARKER.sub(" ", result.get("answer", "")))
    if not answer_terms:
        return None
    cited = set().union(*(terms(c.get("quote", "")) for c in result.get("citations", [])))
    return len(answer_terms & cited) / len(answer_terms)


def score(result: dict, gold: Any) -> dict[str, Any]:
    """Every metric for one answered gold item (`gold` is a `GoldItem`)."""
    evidence = [{"doc": e.doc, "quote": e.quote} for e in gold.evidence]
    out: dict[str, Any] = {"answerable": gold.answerable, "refused": bool(result["abstained"])}
    if evidence:
        out["retrieval"] = retrieval_scores(result.get("passages", []), evidence)
    short = short_scores(result, list(gold.answers), gold.answerable)
    out["short"] = {"given": short["given"], "right": short["right"]}
    if gold.answerable:
        text = "" if result["abstained"] else result["answer"]
        retrieved = " ".join(p.get("text", "") for p in result.get("passages", []))
        found = contains(retrieved, list(gold.answers))
        out["answer"] = {
            "contains": contains(text, list(gold.answers)),
            "em": exact_match(text, list(gold.answers)),
            "f1": f1(text, list(gold.answers)),
            "in_passages": found,
        }
        out["answer"]["missed_in_passages"] = float(
            found == 1.0 and out["answer"]["contains"] < 1.0
        )
        out["answer"].update(
            {
                "short_em": short["em"],
                "short_f1": short["f1"],
                "short_given": short["given"],
                "short_right": short["right"],
            }
        )
    out["citation"] = citation_scores(result)
    out["faithfulness"] = faithfulness_proxy(result)
    out["correct"] = (
        (not out["refused"] and out["answer"]["contains"] == 1.0)
        if gold.answerable
        else out["refused"]
    )
    return out
