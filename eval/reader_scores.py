"""How well the answer reader reads: SQuAD 2.0's EM and F1, and the shipped model's figures.

The normalisation and F1 are the official SQuAD script's; `evaluate_onnx` reads the held-out
questions through the runtime reader (`rag.reader`) exactly as the product does. Training
and the model card are `eval.reader_train`'s and `eval.reader_card`'s.
"""

from __future__ import annotations

import collections
import re
import string
from pathlib import Path
from typing import Any

from eval.reader_data import Example

# --- SQuAD 2.0 scoring (the official script's normalisation) ---------------------------------


def normalize_answer(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def f1_score(prediction: str, truth: str) -> float:
    p, t = normalize_answer(prediction).split(), normalize_answer(truth).split()
    if not p or not t:
        return float(p == t)
    common = collections.Counter(p) & collections.Counter(t)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(t)
    return 2 * precision * recall / (precision + recall)


def squad_scores(examples: list[Example], predictions: dict[str, str]) -> dict[str, float]:
    """EM and F1 (max over gold answers; "" is the no-answer), overall and by kind."""
    rows = {"all": [], "answerable": [], "unanswerable": []}
    for ex in examples:
        golds = [a for a, _ in ex.answers] or [""]
        pred = predictions.get(ex.qid, "")
        em = max(float(normalize_answer(pred) == normalize_answer(g)) for g in golds)
        f1 = max(f1_score(pred, g) for g in golds)
        rows["all"].append((em, f1))
        rows["answerable" if ex.answers else "unanswerable"].append((em, f1))
    out = {}
    for k, v in rows.items():
        if v:
            out[f"{k}_em"] = round(100 * sum(e for e, _ in v) / len(v), 1)
            out[f"{k}_f1"] = round(100 * sum(f for _, f in v) / len(v), 1)
            out[f"{k}_n"] = len(v)
    return out


def evaluate_onnx(model_path: Path, examples: list[Example]) -> dict[str, Any]:
    """Held-out SQuAD figures read through the shipped runtime reader (`rag.reader`), at the
    reader's own no-answer rule, plus the share of no-answer a constant "no answer" gets."""
    from rag import Reader

    reader = Reader(model_path)
    margins: dict[str, float] = {}
    spans: dict[str, str] = {}
    for ex in examples:
        read = reader.read(ex.question, [ex.context])[0]
        spans[ex.qid] = read.span_text
        margins[ex.qid] = read.margin
    at_zero = {q: (spans[q] if margins[q] > 0 else "") for q in spans}
    best_bar, best_f1 = 0.0, -1.0
    for bar in [x / 2 for x in range(-12, 13)]:
        f1 = squad_scores(examples, {q: (spans[q] if margins[q] > bar else "") for q in spans})[
            "all_f1"
        ]
        if f1 > best_f1:
            best_bar, best_f1 = bar, f1
    answerable = [ex for ex in examples if ex.answers]
    return {
        "at_margin_0": squad_scores(examples, at_zero),
        # How well it finds the span when made to answer: the reading apart from the refusal.
        "answerable_f1_forced": squad_scores(answerable, spans).get("all_f1", 0.0),
        "always_no_answer": squad_scores(examples, {}),
        "best_margin_on_held_out": best_bar,
        "best_f1_on_held_out": best_f1,
    }
