"""What a reader of "What changed" meets first: how many of each refresh's first lines are true.

Each weekly refresh of a replay report lists its changes in order ("- Moved …", "- New on the
timeline: …", "- New: …" in the briefing; "MOVED", "EVENT", "NEW" in the report). Each line
carries its judges' verdict (a judged folder's `lines.json` and `verdicts-*.jsonl`, matched by
story, week and text), and the true lines among the first 1, 3 and 5 of every refresh are
summed.

    python eval/findings/briefings/round9/first_lines.py JUDGED_DIR REPORT.md [REPORT.md ...]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

WEEK = re.compile(r"^## (\w+), week (\d+) ")
CHANGE = re.compile(r"^- ([A-Z]+)\b[^:]*: (.*)$")


def verdicts(judged: Path) -> dict[tuple[str, int, str], bool]:
    said: dict[int, bool] = {}
    for path in judged.glob("verdicts-*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip():
                found = json.loads(line)
                said[found["id"]] = bool(found["new_fact"])
    rows = json.loads((judged / "lines.json").read_text())
    return {(r["story"], r["week"], r["text"][:60]): said[r["id"]] for r in rows}


def first_lines(report: Path, judged: dict[tuple[str, int, str], bool]) -> dict[int, list[int]]:
    """For 1, 3 and 5: [true lines among each refresh's first that many, lines counted]."""
    refreshes: list[list[bool]] = []
    story, week = "", 0
    for text in report.read_text(encoding="utf-8").splitlines():
        if m := WEEK.match(text):
            story, week = m.group(1), int(m.group(2))
            refreshes.append([])
        elif (m := CHANGE.match(text)) and refreshes:
            verdict = judged.get((story, week, m.group(2).strip()[:60]))
            if verdict is not None:
                refreshes[-1].append(verdict)
    return {
        k: [sum(sum(r[:k]) for r in refreshes), sum(min(k, len(r)) for r in refreshes)]
        for k in (1, 3, 5)
    }


def main() -> None:
    judged = verdicts(Path(sys.argv[1]))
    for report in sys.argv[2:]:
        found = first_lines(Path(report), judged)
        cells = ", ".join(f"first {k}: {t}/{n} ({t / n:.2f})" for k, (t, n) in found.items())
        print(f"{Path(report).name}: {cells}")


if __name__ == "__main__":
    main()
