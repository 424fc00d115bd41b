"""Score an existing run again with the current metrics: `python -m eval.rescore RUN_DIR`.

Reads RUN_DIR/results.jsonl, scores every row's stored answer against the gold stored in the
same row (`eval.results.gold_item`) with today's `eval.metrics.score`, and prints the summary
figures (with per-tag figures under `by_tag`) as JSON on stdout. Nothing is asked again and
nothing in RUN_DIR is changed, so a run made before a metric existed (the bold short answer's
`answer.short_f1`, `short.bold_precision`) can be read with it. The answers themselves are
what that run's code gave: a row made before the answer carried a field (`short_answer`)
scores as if the field were empty.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eval.metrics import score
from eval.results import RESULTS, gold_item, read_rows
from eval.summary import summarize


def rescore_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with `scores` recomputed from each row's answer and gold."""
    return [{**row, "scores": score(row, gold_item(row))} for row in rows]


def rescore(run_dir: Path) -> dict[str, Any]:
    """The summary of RUN_DIR's answers under the current metrics, per tag too."""
    path = run_dir / RESULTS if run_dir.is_dir() else run_dir
    rows = rescore_rows(read_rows(path))
    if not rows:
        raise ValueError(f"{path}: no results rows; is {run_dir} an eval run folder?")
    summary = summarize(rows)
    tags = sorted({t for r in rows for t in r.get("tags", [])})
    summary["by_tag"] = {t: summarize([r for r in rows if t in r.get("tags", [])]) for t in tags}
    return summary


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m eval.rescore RUN_DIR", file=sys.stderr)
        return 2
    try:
        summary = rescore(Path(args[0]))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
