"""The relevance gate (LLM mode) replayed on real news, with no model: each question of a
`rag eval` run with the first sentence its answer quoted as the reply, and with the reply to
another question (the seventh after it) as a reply beside the point.

    python -m eval.findings.gate_replay RUN_DIR OUT.json

prints how many of the own replies pass and how many of the others are caught; OUT.json keeps
each decision, so two code versions or two readers can be compared decision by decision.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from rag import off_question

_BOLD_LEAD = re.compile(r"^\*\*.*?\*\*\s*\[\d+\]\s*—\s*")  # "**$7 million** [1] — "


def first_sentence(row: dict[str, Any]) -> str:
    """The answer's first quoted line, without the bold short answer in front of it."""
    return _BOLD_LEAD.sub("", row["answer"]).split("\n")[0]


def main(run: str, out_path: str) -> None:
    rows = [json.loads(line) for line in open(f"{run}/results.jsonl", encoding="utf-8")]
    out = []
    for i, row in enumerate(rows):
        if row["abstained"]:
            continue
        own, other = first_sentence(row), first_sentence(rows[(i + 7) % len(rows)])
        out.append([off_question(row["question"], own), off_question(row["question"], other)])
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)
    passed = sum(o == "" for o, _ in out)
    caught = sum(x != "" for _, x in out)
    print(f"{len(out)} answers: own reply passed {passed}, another's reply caught {caught}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
