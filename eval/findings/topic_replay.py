"""Replay real dated news week by week through a followed topic, for judging "What changed".

Each story is a topic whose "until" date moves on a week at a time over a store of dated
articles (realtimeqa-2022), so each refresh sees exactly the articles published in the week
since the last one, as a reader following the story would have. For every refresh it writes
what the refresh reported (new facts, figures that moved, new timeline events) and, for
judging recall, every line of the new briefing whose articles all arrived that week, marked
with whether the refresh reported it. Nothing here judges anything: the report is read by
hand (`eval/findings/briefing-eval.md` says how and what was found).

    python -m eval.findings.topic_replay DATA_DIR OUT.md [--weeks 5] [--held-out]

`--held-out` follows three other stories, for checking on news no rule was written from a
change measured on the first six.

What it leaves out: the store (build it with `rag ingest` from the corpus first).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

# (name, what the briefing is about, the first day followed)
STORIES = [
    ("ian", "Hurricane Ian damage in Florida", "2022-09-24"),
    ("uvalde", "Uvalde school shooting", "2022-05-24"),
    ("monkeypox", "monkeypox outbreak", "2022-07-10"),
    ("queen", "Queen Elizabeth II death and funeral", "2022-09-08"),
    ("twitter", "Elon Musk Twitter deal", "2022-04-14"),
    ("artemis", "Artemis moon rocket launch", "2022-08-20"),
]
# Stories no rule was written from: judged only to check a change measured on the six above.
HELD_OUT = [
    ("roe", "Roe v. Wade abortion ruling", "2022-06-20"),
    ("maralago", "FBI search of Mar-a-Lago and classified documents", "2022-08-08"),
    ("abe", "Shinzo Abe assassination", "2022-07-08"),
]


def replay(
    data_dir: Path, out: Path, weeks: int, stories: list[tuple[str, str, str]] = STORIES
) -> None:
    os.environ["RAG_DATA_DIR"] = str(data_dir)
    from rag import Assistant, Topic, Topics, refresh_topic

    assistant = Assistant.from_settings()
    report = ["# Topic replay: what each weekly refresh reported", ""]
    with tempfile.TemporaryDirectory() as folder:
        topics = Topics(Path(folder))
        for name, words, first in stories:
            start = date.fromisoformat(first)
            topic = topics.add(Topic(name=name, words=words, since=first))
            for week in range(1, weeks + 1):
                until = start + timedelta(days=7 * week - 1)
                topics.change(name, lambda t, u=until: setattr(t, "until", u.isoformat()))
                current = topics.get(name)
                assert current is not None
                done = refresh_topic(assistant, topics, current)
                report += [f"## {name}, week {week} (to {until}): {done.summary}", ""]
                for c in done.changes:
                    line = c.line.text.replace("\n", " ")
                    first_s = c.line.sentences[0]
                    where = f"({first_s.meta.get('source', '')}, {first_s.date})"
                    if c.kind == "moved" and c.was is not None:
                        old = c.was.sentences[0]
                        report.append(
                            f"- MOVED {c.what}: {c.before} ({old.date}: “{old.text}”) → "
                            f"{c.after} {where}: “{line}”"
                        )
                    else:
                        report.append(f"- {c.kind.upper()} {where} {c.what}: {line}")
                if done.candidates:
                    reported = {id(c.line) for c in done.changes}
                    candidates = done.candidates
                    report += ["", "Lines of this week's articles in the new briefing:"]
                    report += [
                        f"  - [{'reported' if id(ln) in reported else 'not reported'}] "
                        f"({ln.sentences[0].date}) {ln.text}"
                        for ln in candidates
                    ]
                report.append("")
            topic = topics.get(name) or topic
    out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--weeks", type=int, default=5)
    parser.add_argument(
        "--held-out", action="store_true", help="the stories no rule was written from"
    )
    args = parser.parse_args()
    replay(args.data_dir, args.out, args.weeks, HELD_OUT if args.held_out else STORIES)


if __name__ == "__main__":
    main()
