"""Round 7's lines to judge: every candidate line of the held-out replay, once, blind.

Each version's replay report (`python -m eval.findings.topic_replay STORE OUT.md --held-out`)
lists, per weekly refresh, the lines of that week's articles in the new briefing, each marked
reported or not. A line is judged once whichever versions reported it (`judged/lines.json`
says which did); the judges read `judged/lines-STORY.md`, which does not say.

    python eval/findings/briefings/round7/collect.py before=REPLAY.md after=REPLAY.md ...

Scored with `python eval/findings/briefings/round5/score.py eval/findings/briefings/round7`.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent / "judged"
WEEK = re.compile(r"^## (\w+), week (\d+) \(to ([\d-]+)\)")
LINE = re.compile(r"^  - \[(reported|not reported)\] \(([\d-]+)\) (.*)$")
TOPICS = {
    "roe": "Roe v. Wade abortion ruling",
    "maralago": "FBI search of Mar-a-Lago and classified documents",
    "abe": "Shinzo Abe assassination",
}


def read(report: Path) -> dict[tuple[str, int, str], tuple[str, str, bool]]:
    """(story, week, line) → (until, article date, reported) of one replay report."""
    found = {}
    story, week, until = "", 0, ""
    for text in report.read_text(encoding="utf-8").splitlines():
        if m := WEEK.match(text):
            story, week, until = m.group(1), int(m.group(2)), m.group(3)
        elif m := LINE.match(text):
            found[(story, week, m.group(3))] = (until, m.group(2), m.group(1) == "reported")
    return found


def main() -> None:
    versions = dict(arg.split("=", 1) for arg in sys.argv[1:])
    reports = {name: read(Path(path)) for name, path in versions.items()}
    keys = sorted({k for r in reports.values() for k in r}, key=lambda k: (k[0], k[1]))
    rows = []
    for n, key in enumerate(keys, 1):
        story, week, text = key
        until, day = next(r[key][:2] for r in reports.values() if key in r)
        row = {"id": n, "story": story, "week": week, "until": until, "date": day, "text": text}
        row.update({name: key in r and r[key][2] for name, r in reports.items()})
        rows.append(row)
    HERE.mkdir(exist_ok=True)
    (HERE / "lines.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    for story in sorted({r["story"] for r in rows}):
        mine = [r for r in rows if r["story"] == story]
        last = mine[0]  # the replay's weeks run from the day the story was first followed
        first = date.fromisoformat(last["until"]) - timedelta(days=7 * last["week"] - 1)
        out = [f'# Story `{story}`: "{TOPICS.get(story, story)}", followed from {first}', ""]
        for week in sorted({r["week"] for r in mine}):
            until = next(r["until"] for r in mine if r["week"] == week)
            out += [f"## {story}, week {week}: articles dated in the 7 days to {until}", ""]
            out += [
                f"- [{r['id']}] (article dated {r['date']}) {r['text']}"
                for r in mine
                if r["week"] == week
            ]
            out.append("")
        (HERE / f"lines-{story}.md").write_text("\n".join(out), encoding="utf-8")
    print(f"{len(rows)} lines from {len(versions)} versions")


if __name__ == "__main__":
    main()
