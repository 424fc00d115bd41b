"""SQuAD 2.0's own EM and F1 for a `rag eval` run over SQuAD questions.

The harness scores answers the way a news reader reads them (`contains`, bold precision);
SQuAD scores one prediction per question, the empty string meaning "no answer", so that the
figures sit beside the published "always no answer" baseline. Three predictions are scored:
- `short`: the bold short answer when one is given, otherwise no answer;
- `short, any`: the short answer whether or not it is bold (no answer only when the answerer
  refused or found no short answer): what a program reading the JSON gets;
- `shown`: no answer when the answerer refused, otherwise the bold short answer when given,
  otherwise the quoted sentences without their `[n]` markers (what the user reads).
Usage: `python -m eval.findings.squad_scores RUN_DIR [RUN_DIR ...]`.
It leaves out retrieval figures (the run's own report has them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eval.metrics import answer_sentences, exact_match, f1


def _bold(row: dict) -> str:
    """The short answer where it was shown in bold (rows older than `short_sure` gave one
    only in bold)."""
    return (row.get("short_answer") or "") if row.get("short_sure", True) else ""


def _any(row: dict) -> str:
    return "" if row["abstained"] else row.get("short_answer") or ""


def _shown(row: dict) -> str:
    if row["abstained"]:
        return ""
    if bold := _bold(row):
        return bold
    return " ".join(claim for claim, _ in answer_sentences(row["answer"].split("\n\n")[0]))


def squad_scores(rows: list[dict]) -> dict[str, dict[str, float]]:
    """EM and F1 (in %) of each prediction, SQuAD 2.0 style: no answer is right exactly when
    the question has none."""
    out: dict[str, dict[str, float]] = {}
    for name, predict in (("short", _bold), ("short, any", _any), ("shown", _shown)):
        em = f = 0.0
        for row in rows:
            pred, answers = predict(row), row["gold"]["answers"]
            if not row["gold"]["answerable"]:
                em += pred == ""
                f += pred == ""
            elif pred:
                em += exact_match(pred, answers)
                f += f1(pred, answers)
        out[name] = {"em": round(100 * em / len(rows), 1), "f1": round(100 * f / len(rows), 1)}
    none = sum(not r["gold"]["answerable"] for r in rows)
    out["always no answer"] = {
        "em": round(100 * none / len(rows), 1),
        "f1": round(100 * none / len(rows), 1),
    }
    return out


def main(argv: list[str]) -> int:
    for run in argv:
        rows = [
            json.loads(line)
            for line in (Path(run) / "results.jsonl").read_text().splitlines()
            if line.strip()
        ]
        print(f"{run} ({len(rows)} questions): {json.dumps(squad_scores(rows))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
