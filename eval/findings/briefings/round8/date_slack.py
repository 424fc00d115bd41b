"""Round 8: judged candidate lines by how many days before their week their timeline date falls.

Reads judged/ folders (lines.json and verdicts-*.jsonl) and prints, per distance of the line's
first non-background date before its week's first day, how many lines were judged new facts:
whether "What changed" should take lines dated a few days before the week as news.

    python eval/findings/briefings/round8/date_slack.py JUDGED_DIR [JUDGED_DIR ...]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[4]))  # run as a file from anywhere
from rag import stated_dates  # noqa: E402

BUCKETS = ["in week", "undated", "1-3", "4-7", "8-30", ">30"]


def bucket(gap: int) -> str:
    if gap <= 0:
        return "in week"
    return "1-3" if gap <= 3 else "4-7" if gap <= 7 else "8-30" if gap <= 30 else ">30"


def main() -> None:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for folder in map(Path, sys.argv[1:]):
        verdicts = {}
        for path in folder.glob("verdicts-*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    found = json.loads(line)
                    verdicts[found["id"]] = bool(found["new_fact"])
        for row in json.loads((folder / "lines.json").read_text()):
            if row["id"] not in verdicts:
                continue
            published = date.fromisoformat(row["date"])
            first_day = date.fromisoformat(row["until"]) - timedelta(days=6)
            own = [s for s in stated_dates(row["text"], published) if not s.background]
            if own:
                first = min(own, key=lambda s: (s.month_only, row["text"].find(s.written)))
                key = bucket((first_day - first.last_day).days)
            else:
                key = "undated"
            counts[key][0] += verdicts[row["id"]]
            counts[key][1] += 1
    for key in BUCKETS:
        print(f"{key}: {counts[key][0]} of {counts[key][1]} judged new")


if __name__ == "__main__":
    main()
