"""Round 11: a briefing's timeline rows, one a line, with its article's weekday, for reading.

python eval/findings/briefings/round11/timeline_rows.py BRIEFING.md
"""

from __future__ import annotations

import re
import sys
from datetime import date


def rows(markdown: str) -> list[str]:
    """Each row of the Timeline section as "[date] (source, article date weekday) text"."""
    section = markdown.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| date", "|---")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        when, what, source = cells[0], cells[1], cells[-1]
        day = re.search(r"(\d{4}-\d\d-\d\d)\s*$", source)
        weekday = date.fromisoformat(day.group(1)).strftime("%a") if day else "?"
        out.append(f"[{when}] ({source} {weekday}) {what}")
    return out


if __name__ == "__main__":
    for n, row in enumerate(rows(open(sys.argv[1], encoding="utf-8").read()), 1):
        print(f"{n}. {row}")
