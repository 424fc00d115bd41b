"""How scored answers are averaged into a run's figures, and a figure looked up by name.

`summarize` turns rows (each an answer's JSON plus its `scores` from `eval.metrics.score`)
into the summary every report and threshold check reads: means over the questions each
figure applies to, latency percentiles, and why answerable questions failed. What each
figure means is `eval.metrics`' docstring.
"""

from __future__ import annotations

import math
from typing import Any


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


def lookup(summary: dict[str, Any], path: str) -> Any:
    """A figure of a summary by its dotted name ("retrieval.hit@5"); None when absent."""
    value: Any = summary
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def summarize(rows: list[dict]) -> dict[str, Any]:
    """Averages over scored rows (each row: the answer JSON plus `scores`)."""
    scores = [r["scores"] for r in rows]
    answerable = [s for s in scores if s["answerable"]]
    unanswerable = [s for s in scores if not s["answerable"]]
    with_retrieval = [s["retrieval"] for s in scores if "retrieval" in s]
    cites = [s["citation"] for s in scores if s["citation"]]
    faithful = [s["faithfulness"] for s in scores if s["faithfulness"] is not None]
    latency = [r["timings_ms"].get("total", 0.0) for r in rows if r.get("timings_ms")]
    bold = [s["short"] for s in scores if "short" in s]  # rows scored before it: none
    given = sum(b["given"] for b in bold)
    right = sum(b["right"] for b in bold)
    first = [
        r["timings_ms"]["first_token"]
        for r in rows
        if (r.get("timings_ms") or {}).get("first_token") is not None
    ]
    return {
        "n": len(rows),
        "accuracy": _mean([float(s["correct"]) for s in scores]),
        "retrieval": {
            k: _mean([r[k] for r in with_retrieval if k in r])
            for k in ("hit@1", "hit@5", "hit@10", "mrr", "ndcg@10", "article_hit@5")
        },
        "answer": {
            k: _mean([s["answer"][k] for s in answerable if k in s["answer"]])
            for k in (
                "contains",
                "em",
                "f1",
                "in_passages",
                "missed_in_passages",
                "short_em",
                "short_f1",
            )
        },
        "abstention": {
            "refused_unanswerable": _mean([float(s["refused"]) for s in unanswerable]),
            "refused_answerable": _mean([float(s["refused"]) for s in answerable]),
        },
        "short": {
            "given": int(given) if bold else None,
            "right": int(right) if bold else None,
            "bold_precision": round(right / given, 4) if given else None,
        },
        "citation": {k: _mean([c[k] for c in cites]) for k in ("precision", "recall")},
        "faithfulness": {"proxy": _mean(faithful)},
        "latency_ms": {
            "p50": _percentile(latency, 0.5),
            "p95": _percentile(latency, 0.95),
            # streamed answers only: how long a reader waits for the first word
            "first_token_p50": _percentile(first, 0.5),
            "first_token_p95": _percentile(first, 0.95),
        },
        "fallback_rate": _mean([float(r.get("mode") == "extractive-fallback") for r in rows]),
        "counts": {"answerable": len(answerable), "unanswerable": len(unanswerable)},
        "failures": failure_classes(answerable),
    }


def failure_classes(answerable: list[dict]) -> dict[str, int]:
    """Why answerable questions failed, by class: the retrieved passages never held the
    answer; they held it and the answerer refused; they held it and other sentences were
    quoted."""
    failed = [s for s in answerable if s["answer"]["contains"] < 1.0]
    held = [s for s in failed if s["answer"].get("in_passages") == 1.0]
    return {
        "failed": len(failed),
        "retrieval_missed": len(failed) - len(held),
        "refused_with_answer_in_passages": sum(s["refused"] for s in held),
        "other_sentences_quoted": sum(not s["refused"] for s in held),
    }
