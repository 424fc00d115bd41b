"""Training examples written here from SQuAD's own paragraphs, for what the reader gets wrong.

The SQuAD 2.0 half-set leaves the reader about 2,000 answerable questions to learn from, and
on news it mistakes a sentence *about* the subject for one that *answers* (98 of 188 failures
on held-back news quoted the wrong sentence of a passage holding the answer). Two kinds of
example are written from the training articles' paragraphs (CC BY-SA 4.0, like SQuAD; the
held-out articles are never read here):

- **Answer removed** (`answer_removed_negatives`): a real answerable question with its own
  paragraph less the sentence holding the answer. The neighbours still speak of the subject,
  so "no answer" must be learnt from what is asked, not from the topic.
- **Cloze questions** (`cloze_questions`): a sentence's figure, date, year or name taken out
  and asked for ("When did the Normans give their name to Normandy?" is written, roughly, as
  "When the Normans gave their name to Normandy?"), the paragraph as the passage. The asked
  thing is of the kinds the answerer checks (`rag.answer_spans`), so the reader sees many
  more answers of each kind; a few words of the question are dropped so that copying the
  sentence word for word is not enough. Each cloze question also gets its answer-removed twin.

Measured, both hurt on real news and are off by default (`python -m eval.reader_train
--answer-removed --cloze-per-kind 800` turns them on): rebuilt with both, the reader refused
fewer unanswerable RealTime QA questions (0.77 -> 0.70) and gave worse short answers (F1 0.35
-> 0.29); with the answer-removed negatives alone, 0.77 -> 0.69 and 0.35 -> 0.32, though our
casual plain-wording questions gained (accuracy 0.60 -> 0.67). Figures and commands:
eval/findings/realtimeqa-2022.md.

What it leaves out: grammatical question writing (a wh-word in front of the sentence is what
unsupervised QA work found enough: Lewis et al. 2019, Fabbri et al. 2020), any model-written
text, and RealTime QA (no licence).
"""

from __future__ import annotations

import random
import re

from eval.reader_data import Example
from rag import answer_spans, sentence_spans

# The wh-word asking for each kind of answer; a preposition before the answer goes with it
# ("in 1066" is asked by "When", "from Normandy" by "Where").
_WH = {
    "quantity": "How many",
    "year": "When",
    "date": "When",
    "person": "Who",
    "place": "Where",
    "thing": "What",
}
_LEADING = re.compile(r"(?:\b(?:in|on|at|from|since|during|by|near|to)\s+)$", re.I)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|to)\s+$", re.I)
_MONEY = re.compile(r"[$€£]|\b(?:dollars?|euros?|pounds?)\b", re.I)
DROP_SHARE = 0.15  # of the question's lower-case words dropped at random
MAX_PER_SENTENCE = 2
QUESTION_REACH = 7  # words kept on each side of the answer
_OPENERS = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "it",
    "he",
    "she",
    "they",
    "this",
    "during",
    "after",
    "before",
    "however,",
    "although",
    "while",
    "when",
    "by",
    "at",
    "for",
    "from",
    "as",
}


def sentence_of(context: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence of `context` that holds characters [start, end), if one does."""
    for s, e in sentence_spans(context):
        if s <= start and end <= e:
            return s, e
    return None


def _without(context: str, span: tuple[int, int]) -> str:
    return " ".join((context[: span[0]] + " " + context[span[1] :]).split())


def answer_removed_negatives(examples: list[Example], rng: random.Random) -> list[Example]:
    """Each answerable example with its paragraph less the sentence holding its answer (when
    the answer is said nowhere else in it and something of the paragraph remains)."""
    out = []
    for ex in examples:
        if not ex.answers:
            continue
        text, at = ex.answers[0]
        span = sentence_of(ex.context, at, at + len(text))
        if span is None:
            continue
        rest = _without(ex.context, span)
        if len(rest.split()) < 12 or any(a.lower() in rest.lower() for a, _ in ex.answers):
            continue
        out.append(Example(ex.qid + "-cut", ex.title, ex.question, rest, [], synthetic=True))
    rng.shuffle(out)
    return out


# what follows a name that did or said something ("Eliot said", "Tesla, who")
_DOES = re.compile(
    r"\s*(?:,\s*who\b|said|says|told|wrote|was|is|had|has|became|led|argued|announced|"
    r"founded|won|died|married|claimed|described|proposed|served)\b"
)
_PERSON = re.compile(r"^(?:[A-Z][a-z]+\.?\s){1,2}[A-Z][a-z]+$")


def _kind_of(sentence: str, start: int, end: int, kind: str, value: str) -> str | None:
    """The wh-kind of a candidate, or None to leave it: a name after "in"/"at"/"from" is a
    place, two or three capitalised words elsewhere a person (a lone capital, "Calvinistic"
    or "EU", is too often neither); a figure with a currency is an amount."""
    if kind == "name":
        if _PLACE_BEFORE.search(sentence[:start]):
            return "place"
        if _PERSON.match(value) and start > 0 and _DOES.match(sentence[end:]):
            return "person"
        return "thing" if start > 0 and len(value.split()) <= 4 else None
    if kind == "quantity" and re.fullmatch(r"(?:1[5-9]|20)\d\d", value):
        return None  # a year: asked by "When"
    if kind == "quantity" and _MONEY.search(sentence[max(0, start - 1) : end + 9]):
        return "money"
    return kind


def _question(sentence: str, start: int, end: int, kind: str, rng: random.Random) -> str:
    """A wh-question from a sentence with characters [start, end) (the answer) taken out:
    the words nearest the answer (a real question is short and says less than the
    sentence), a few lower-case ones dropped."""
    before, after = sentence[:start], sentence[end:]
    if kind in ("year", "date", "place"):
        before = _LEADING.sub("", before)
    wh = "How much" if kind == "money" else _WH[kind]
    left, right = before.split()[-QUESTION_REACH:], after.split()[:QUESTION_REACH]
    kept = [w for w in left + right if not (w[:1].islower() and rng.random() < DROP_SHARE)]
    body = " ".join(kept).strip(" ,;:.!?\"'()")
    first = body.split()[0] if body else ""
    if first.lower() in _OPENERS:
        body = first.lower() + body[len(first) :]
    return f"{wh} {body}?"


def cloze_questions(
    paragraphs: list[tuple[str, str]], rng: random.Random, per_kind: int
) -> list[Example]:
    """Cloze questions from (title, paragraph) pairs: figures, dates, years and names of each
    sentence asked for, at most `per_kind` asked by each wh-word (lone capitalised names
    are everywhere in Wikipedia and would otherwise make most of them "What")."""
    candidates: list[Example] = []
    for p_index, (title, context) in enumerate(paragraphs):
        for s_start, s_end in sentence_spans(context):
            sentence = context[s_start:s_end]
            if not 8 <= len(sentence.split()) <= 45:
                continue
            found = []
            for kind in ("quantity", "date", "year", "name"):
                for start, end, value in answer_spans(sentence, kind, "?"):
                    asked = _kind_of(sentence, start, end, kind, value)
                    if asked is not None:
                        found.append((start, end, value, asked))
            taken: list[tuple[int, int]] = []
            rng.shuffle(found)
            for start, end, value, kind in found:
                if len(taken) >= MAX_PER_SENTENCE or any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                question = _question(sentence, start, end, kind, rng)
                if len(question.split()) < 5:
                    continue
                candidates.append(
                    Example(
                        f"cloze-{p_index}-{s_start}-{start}",
                        title,
                        question,
                        context,
                        [(value, s_start + start)],
                        synthetic=True,
                    )
                )
    rng.shuffle(candidates)
    by_wh: dict[str, int] = {}
    out = []
    for ex in candidates:
        wh = ex.question.split()[0] + (
            " " + ex.question.split()[1] if ex.question[:3] == "How" else ""
        )
        by_wh[wh] = by_wh.get(wh, 0) + 1
        if by_wh[wh] <= per_kind:
            out.append(ex)
    return out
