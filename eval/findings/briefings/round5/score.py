"""Round 5's figures from the judges' verdicts: precision and recall of each replay version.

Every line a refresh listed as candidate news (the lines of the week's articles in the new
briefing) was judged once, blind to which version reported it (`judged/lines-*.md`,
verdicts in `judged/verdicts-*.jsonl`); `judged/lines.json` says which versions reported it.

    python eval/findings/briefings/round5/score.py [ROUND_FOLDER]

Another round's folder (its `judged/` laid out the same way, round 7's) is scored the same
way; the versions are the columns its `lines.json` rows carry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent / "judged"


def main() -> None:
    here = Path(sys.argv[1]) / "judged" if len(sys.argv) > 1 else HERE
    rows = json.loads((here / "lines.json").read_text())
    verdicts = {}
    for path in sorted(here.glob("verdicts-*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                found = json.loads(line)
                verdicts[found["id"]] = bool(found["new_fact"])
    new_facts = sum(verdicts[r["id"]] for r in rows)
    print(f"{len(rows)} candidate lines judged, {new_facts} facts first reported that week")
    fields = {"id", "story", "week", "until", "date", "text"}
    for version in [k for k in rows[0] if k not in fields]:
        reported = [r for r in rows if r[version]]
        right = sum(verdicts[r["id"]] for r in reported)
        print(
            f"{version}: {len(reported)} reported, {right} true: precision "
            f"{right / len(reported):.3f}, recall {right}/{new_facts} = {right / new_facts:.3f}"
        )


if __name__ == "__main__":
    main()
