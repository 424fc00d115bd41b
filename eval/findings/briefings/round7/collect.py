"""Round 7's lines to judge: every candidate line of the held-out replay, once, blind.

Each version's replay report (`python -m eval.findings.topic_replay STORE OUT.md --held-out`)
lists, per weekly refresh, the lines of that week's articles in the new briefing, each marked
reported or not. A line is judged once whichever versions reported it (`judged/lines.json`
says which did); the judges read `judged/lines-STORY.md`, which does not say.

    python eval/findings/briefings/round7/collect.py before=REPLAY.md after=REPLAY.md ...
        [--into JUDGED_DIR] [--verdicts-from OTHER_JUDGED_DIR]

Run again with more versions, a line keeps its id, and only lines no judge has seen are written
out (`lines-STORY-more.md`). `--verdicts-from` carries verdicts over from another round's
judged lines (the six stories of round 5, replayed on a new store). Scored with
`python eval/findings/briefings/round5/score.py FOLDER_ABOVE_JUDGED`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[4]))  # run as a file from anywhere
from eval.findings import topic_replay  # noqa: E402

HERE = Path(__file__).parent / "judged"
WEEK = re.compile(r"^## (\w+), week (\d+) \(to ([\d-]+)\)")
LINE = re.compile(r"^  - \[(reported|not reported)\] \(([\d-]+)\) (.*)$")
TOPICS = {name: words for name, words, _ in [*topic_replay.STORIES, *topic_replay.HELD_OUT]}


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", help="VERSION=REPLAY.md, one per version")
    parser.add_argument("--into", type=Path, default=HERE, help="the judged/ folder to fill")
    parser.add_argument(
        "--verdicts-from", type=Path, help="a judged/ folder whose verdicts carry over by line"
    )
    args = parser.parse_args()
    versions = dict(arg.split("=", 1) for arg in args.reports)
    reports = {name: read(Path(path)) for name, path in versions.items()}
    into: Path = args.into
    into.mkdir(parents=True, exist_ok=True)
    # a line keeps the id it was judged under; new lines get the next ids
    ids = {(r["story"], r["week"], r["text"]): r["id"] for r in _rows(into)}
    keys = sorted({k for r in reports.values() for k in r}, key=lambda k: (k[0], k[1], k[2]))
    for key in keys:
        ids.setdefault(key, max(ids.values(), default=0) + 1)
    rows = []
    for key in keys:
        story, week, text = key
        until, day = next(r[key][:2] for r in reports.values() if key in r)
        row = {"id": ids[key], "story": story, "week": week, "until": until, "date": day}
        row["text"] = text
        row.update({name: key in r and r[key][2] for name, r in reports.items()})
        rows.append(row)
    (into / "lines.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    judged = _verdicts(into)
    if args.verdicts_from:  # the same line judged in another round keeps its verdict
        old = {(r["story"], r["week"], r["text"]): r["id"] for r in _rows(args.verdicts_from)}
        theirs = _verdicts(args.verdicts_from)
        carried = [
            {**theirs[old[k]], "id": ids[k]} for k in keys if k in old and ids[k] not in judged
        ]
        with (into / "verdicts-carried.jsonl").open("a", encoding="utf-8") as out:
            out.writelines(json.dumps(v, ensure_ascii=False) + "\n" for v in carried)
        judged.update({v["id"]: v for v in carried})
    todo = [r for r in rows if r["id"] not in judged]
    for story in sorted({r["story"] for r in todo}):
        mine = [r for r in todo if r["story"] == story]
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
        name = f"lines-{story}.md" if len(todo) == len(rows) else f"lines-{story}-more.md"
        (into / name).write_text("\n".join(out), encoding="utf-8")
    print(f"{len(rows)} lines from {len(versions)} versions; {len(todo)} still to judge")


def _rows(judged: Path) -> list[dict]:
    path = judged / "lines.json"
    return json.loads(path.read_text()) if path.exists() else []


def _verdicts(judged: Path) -> dict[int, dict]:
    found = {}
    for path in sorted(judged.glob("verdicts-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                verdict = json.loads(line)
                found[verdict["id"]] = verdict
    return found


if __name__ == "__main__":
    main()
