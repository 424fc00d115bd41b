"""Compare two eval runs: per-metric deltas with paired bootstrap 95% intervals, and flips.

Only questions present in both runs are compared. A delta whose interval excludes zero is
marked as a real change; everything else may be noise. The bold short answer is compared by
`answer.short_f1` and `answer.short_em`, defined on every answerable question (0 where none
is given). Its precision (`short.bold_precision` in a summary) is not: it is a share of the
questions each run chose to answer in bold, which differ between runs, so it has no fair
question-by-question pairing. Writes nothing but what it returns; the caller prints the text
or saves the HTML.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from pathlib import Path

METRICS = {
    "accuracy": lambda s: float(s["correct"]),
    "answer.contains": lambda s: s["answer"]["contains"] if "answer" in s else None,
    "answer.f1": lambda s: s["answer"]["f1"] if "answer" in s else None,
    # None for rows scored before short answers were (rescore them: `python -m eval.rescore`)
    "answer.short_f1": lambda s: s["answer"].get("short_f1") if "answer" in s else None,
    "answer.short_em": lambda s: s["answer"].get("short_em") if "answer" in s else None,
    "retrieval.hit@5": lambda s: s["retrieval"]["hit@5"] if "retrieval" in s else None,
    "retrieval.article_hit@5": lambda s: (
        s["retrieval"].get("article_hit@5") if "retrieval" in s else None
    ),
    "retrieval.mrr": lambda s: s["retrieval"]["mrr"] if "retrieval" in s else None,
    "refused_unanswerable": lambda s: float(s["refused"]) if not s["answerable"] else None,
    "refused_answerable": lambda s: float(s["refused"]) if s["answerable"] else None,
    "citation.precision": lambda s: s["citation"]["precision"] if s.get("citation") else None,
}
RESAMPLES = 2000


@dataclass
class Delta:
    metric: str
    a: float
    b: float
    low: float
    high: float
    n: int

    @property
    def delta(self) -> float:
        return self.b - self.a

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


def load_results(run: Path) -> dict[str, dict]:
    path = run / "results.jsonl" if run.is_dir() else run
    if not path.exists():
        raise FileNotFoundError(f"{path}: no results.jsonl; is {run} an eval run folder?")
    return {r["id"]: r for r in map(json.loads, path.read_text().splitlines()) if r}


def bootstrap(pairs: list[tuple[float, float]], seed: int = 0) -> tuple[float, float]:
    rng = random.Random(seed)
    n = len(pairs)
    deltas = sorted(
        sum(b - a for a, b in (pairs[rng.randrange(n)] for _ in range(n))) / n
        for _ in range(RESAMPLES)
    )
    return deltas[int(0.025 * RESAMPLES)], deltas[int(0.975 * RESAMPLES) - 1]


def compare(run_a: Path, run_b: Path) -> tuple[list[Delta], list[tuple[str, str, bool, bool]]]:
    a, b = load_results(run_a), load_results(run_b)
    common = sorted(set(a) & set(b))
    if not common:
        raise ValueError(f"{run_a} and {run_b} share no question ids")
    deltas = []
    for name, get in METRICS.items():
        pairs = [(get(a[i]["scores"]), get(b[i]["scores"])) for i in common]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        if pairs:
            low, high = bootstrap(pairs)
            deltas.append(
                Delta(
                    name,
                    sum(x for x, _ in pairs) / len(pairs),
                    sum(y for _, y in pairs) / len(pairs),
                    low,
                    high,
                    len(pairs),
                )
            )
    flips = [
        (i, a[i]["question"], a[i]["scores"]["correct"], b[i]["scores"]["correct"])
        for i in common
        if a[i]["scores"]["correct"] != b[i]["scores"]["correct"]
    ]
    return deltas, flips


def render_text(run_a: Path, run_b: Path) -> str:
    deltas, flips = compare(run_a, run_b)
    lines = [
        f"A = {run_a}",
        f"B = {run_b}",
        "",
        f"{'metric':22} {'A':>7} {'B':>7} {'B-A':>8}   95% interval",
    ]
    for d in deltas:
        mark = "  *" if d.significant else ""
        lines.append(
            f"{d.metric:22} {d.a:7.3f} {d.b:7.3f} {d.delta:+8.3f}   "
            f"[{d.low:+.3f}, {d.high:+.3f}] n={d.n}{mark}"
        )
    lines += ["", "* the interval excludes zero", "", f"{len(flips)} question(s) flipped:"]
    for qid, question, was, now in flips:
        lines.append(f"  {'fixed ' if now else 'broken'}  {qid}: {question}")
    return "\n".join(lines)


def render_html(run_a: Path, run_b: Path) -> str:
    deltas, flips = compare(run_a, run_b)
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(d.metric)}</td><td>{d.a:.3f}</td><td>{d.b:.3f}</td>"
        f"<td style='color:"
        f"{'#070' if d.significant and d.delta > 0 else '#b00' if d.significant else '#555'}'>"
        f"{d.delta:+.3f}</td><td>[{d.low:+.3f}, {d.high:+.3f}]</td><td>{d.n}</td></tr>"
        for d in deltas
    )
    flip_rows = "".join(
        f"<tr><td>{'fixed' if now else 'broken'}</td><td>{e(q)}</td><td>{e(qq)}</td></tr>"
        for q, qq, _, now in flips
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Run comparison</title>
<style>body{{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto}}
td,th{{border:1px solid #ccc;padding:4px 8px}} table{{border-collapse:collapse}}</style></head>
<body><h1>Run comparison</h1><p>A = {e(str(run_a))}<br>B = {e(str(run_b))}</p>
<table><tr><th>metric</th><th>A</th><th>B</th><th>B−A</th><th>95% interval</th><th>n</th></tr>
{rows}</table><p>Coloured deltas have a paired-bootstrap interval that excludes zero.</p>
<h2>{len(flips)} question(s) flipped</h2><table>{flip_rows}</table></body></html>"""
