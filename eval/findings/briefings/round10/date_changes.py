"""Round 10: which timeline dates the verb beside a date changes, over the whole corpus.

Every sentence of the RealTime QA corpus that writes a day or a number is dated by the code
of two checkouts (`stated_dates`, resolved against its article's date); the sentences whose
dates differ are counted and a seeded random sample of them printed, old and new side by
side, for a reader to judge which is right (`date-changes-judged.md`).

    python eval/findings/briefings/round10/date_changes.py NEW_CODE OLD_CODE CORPUS.jsonl [SEED]

With `--background` after the seed, a date marked background (not the line's day: it sets the
scene, describes a noun or is what a noun is related to) is printed with a `*` and a change
of that mark counts as a change (round 11).
"""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import date


def load(code: str):
    """`stated_dates` of the checkout at `code` (each import of `rag` from its own path)."""
    for name in [k for k in sys.modules if k == "rag" or k.startswith("rag.")]:
        del sys.modules[name]
    sys.path.insert(0, code)
    try:
        from rag import stated_dates

        return stated_dates
    finally:
        sys.path.remove(code)


def main() -> None:
    new_code, old_code, corpus = sys.argv[1:4]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 555
    marked = "--background" in sys.argv[5:]

    def shown(stated) -> list[str]:  # type: ignore[no-untyped-def]
        return [s.day.isoformat() + ("*" if marked and s.background else "") for s in stated]

    new, old = load(new_code), load(old_code)
    dated, changed = 0, []
    for line in open(corpus, encoding="utf-8"):
        article = json.loads(line)
        try:
            published = date.fromisoformat(article["date"])
        except (KeyError, ValueError):
            continue
        for sentence in re.split(r'(?<=[.!?"”])\s+|\n+', article["text"]):
            if not re.search(r"day\b|\d", sentence):
                continue
            after = shown(new(sentence, published))
            before = shown(old(sentence, published))
            dated += bool(after)
            if after != before:
                changed.append((article["date"], published.strftime("%a"), before, after, sentence))
    print(f"{dated} sentences with a date; {len(changed)} dated otherwise")
    for n, (day, weekday, before, after, sentence) in enumerate(
        random.Random(seed).sample(changed, min(40, len(changed))), 1
    ):
        print(f"{n}. article {day} ({weekday}) old {before} new {after}: {sentence[:300]}")


if __name__ == "__main__":
    main()
