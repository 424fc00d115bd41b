"""Round 8: the dates the corpus's sentences write that now count as a described noun's.

Prints how many dates `rag.briefing.when.stated_dates` finds in the sentences of the
RealTime QA corpus, how many of them are background because they describe a noun
(`describes_a_noun`: "documents seized during the search on Aug. 8"), and a random sample of
those sentences to read by hand.

    python eval/findings/briefings/round8/date_probe.py [SEED] [SAMPLE]
"""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[4]))  # run as a file from anywhere
from rag import stated_dates  # noqa: E402

CORPUS = Path(__file__).parents[5] / "shared/data/realtimeqa-2022/corpus.jsonl"


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    dates = 0
    found: dict[str, str] = {}
    for line in CORPUS.open(encoding="utf-8"):
        article = json.loads(line)
        try:
            published = date.fromisoformat(article["date"])
        except ValueError:
            continue
        for text in re.split(r"(?<=[.!?])\s+", article["text"]):
            if not 30 <= len(text) <= 400:
                continue
            for stated in stated_dates(text, published):
                dates += 1
                if stated.of_a_noun:
                    found.setdefault(" ".join(text.split()), stated.written)
    print(f"{dates} dates written; {len(found)} sentences with a date that describes a noun")
    for text in random.Random(seed).sample(sorted(found), min(sample, len(found))):
        print(f"- [{found[text]}] {text}")


if __name__ == "__main__":
    main()
