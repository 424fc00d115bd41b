"""Round 9's label figures: each judge's labels judged OK, per version of the seven briefings.

The seven round-3 topics were briefed before (`briefs/before`, main at 63a0f18) and after the
label change (`briefs/labels`, b122ef5), named blind (`judged-labels/mapping.json`) and judged
by two readers with section D of the rubric (`judged-labels/PROMPT.md`).

    python eval/findings/briefings/round9/score_labels.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent / "judged-labels"


def main() -> None:
    mapping = json.loads((HERE / "mapping.json").read_text())
    for path in sorted(HERE.glob("judge-*.jsonl")):
        totals: dict[str, list[int]] = {}
        for line in path.read_text().splitlines():
            if line.strip():
                found = json.loads(line)
                _, version = mapping[found["file"]]
                ok_and_all = totals.setdefault(version, [0, 0])
                ok_and_all[0] += found["labels_ok"]
                ok_and_all[1] += found["labels"]
        print(
            path.stem,
            ", ".join(f"{v}: {ok}/{n} ({ok / n:.2f})" for v, (ok, n) in sorted(totals.items())),
        )


if __name__ == "__main__":
    main()
