"""SQuAD 2.0's own EM and F1 for a `rag eval` run over SQuAD questions.

The harness scores answers the way a news reader reads them (`contains`, bold precision);
SQuAD scores one prediction per question, the empty string meaning "no answer", so that the
figures sit beside the published "always no answer" baseline. Two predictions are scored:
- `short`: the bold short answer when one is given, otherwise no answer;
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


def _shown(row: dict) -> str:
    if row["abstained"]:
        return ""
    if row.get("short_answer"):
        return row["short_answer"]
    return " ".join(claim for claim, _ in answer_sentences(row["answer"].split("\n\n")[0]))


def squad_scores(rows: list[dict]) -> dict[str, dict[str, float]]:
    """EM and F1 (in %) of each prediction, SQuAD 2.0 style: no answer is right exactly when
    the question has none."""
    out: dict[str, dict[str, float]] = {}
    for name, predict in (("short", lambda r: r.get("short_answer") or ""), ("shown", _shown)):
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
