"""Why a refresh did not list a line the judges called new: which filter of "What changed" held
it back, for the held-out stories of round 7.

Refreshes Roe and Mar-a-Lago week by week as `eval.findings.topic_replay --held-out` does and,
for every candidate line judged a new fact (`judged/`) that the refresh did not list, prints
whether it is a view (`is_view`), whether it cannot be read on its own
(`leans_on_another_sentence`), which line of the last version it was taken to say again
(`says_again`), or neither: then the timeline dated it before the oldest article that arrived
(background).

    RAG_COLLECTION=eval-… python eval/findings/briefings/round7/why_not_listed.py STORE_DIR
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[4]))  # run as a file from anywhere
from eval.findings.topic_replay import HELD_OUT  # noqa: E402

JUDGED = Path(__file__).parent / "judged"


def main() -> None:
    os.environ["RAG_DATA_DIR"] = sys.argv[1]
    from rag import (
        Assistant,
        Topic,
        Topics,
        is_view,
        leans_on_another_sentence,
        refresh_topic,
        says_again,
    )

    verdicts = {}
    for path in JUDGED.glob("verdicts-*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip():
                found = json.loads(line)
                verdicts[found["id"]] = found["new_fact"]
    rows = json.loads((JUDGED / "lines.json").read_text())
    new = {(r["story"], r["week"], r["text"]) for r in rows if verdicts[r["id"]]}
    assistant = Assistant.from_settings()
    with tempfile.TemporaryDirectory() as folder:
        topics = Topics(Path(folder))
        for name, words, first in HELD_OUT:
            start = date.fromisoformat(first)
            topics.add(Topic(name=name, words=words, since=first))
            for week in range(1, 6):
                until = start + timedelta(days=7 * week - 1)
                topics.change(name, lambda t, u=until: setattr(t, "until", u.isoformat()))
                current = topics.get(name)
                assert current is not None
                last = current.versions[-1] if current.versions else None
                done = refresh_topic(assistant, topics, current)
                listed = {id(c.line) for c in done.changes}
                for ln in done.candidates:
                    if (name, week, ln.text) not in new or id(ln) in listed or last is None:
                        continue
                    vector = ln.sentences[0].vector
                    said = [
                        m.text
                        for m in last.mentions
                        if says_again(ln.text, vector, m.text, m.vector)
                    ]
                    why = (
                        "a view"
                        if is_view(ln.text)
                        else "does not stand alone"
                        if leans_on_another_sentence(ln.text)
                        else f"said before: {said[0][:80]}"
                        if said
                        else "dated before the news arrived (background)"
                    )
                    print(f"{name} week {week}: {why} || {ln.text[:100]}")


if __name__ == "__main__":
    main()
