"""Round 7's briefing figures from the judges' verdicts, per judge and version.

Judges A and B (`judged-briefs/r7a`, `r7b`) each read the briefings of main as the stop began
(`briefs/before`) and after the label change (`briefs/labels`) of their topics, under shuffled
names (the `-mapping.json` files say which was which); judge C (`r7c`) read `briefs/labels`
and `briefs/final` of the three topics the key-point changes touched. Its "superseded" Ian
briefing came from an intermediate commit whose shell-noun rule also fired late in a sentence;
the final Ian briefing is the same as `briefs/labels` (only its time stamp differs). The
summaries and key points C judged as "final" are those of `briefs/final`; their timelines are
the intermediate's, which also left out the lines that do not stand alone, where the final
timelines are those of `briefs/labels` less one promo row.

    python eval/findings/briefings/round7/score_briefs.py
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent / "judged-briefs"
FIELDS = [("key points", "key_points_ok", "key_points"), ("labels", "labels_ok", "labels")]
FIELDS.append(("timeline rows", "timeline_right", "timeline_rows"))


def main() -> None:
    for judged in sorted(HERE.glob("r7?.jsonl")):
        mapping = json.loads(judged.with_name(judged.stem + "-mapping.json").read_text())
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        topics: dict[str, list[str]] = defaultdict(list)
        for line in judged.read_text().splitlines():
            verdict = json.loads(line)
            topic, version = mapping[verdict["file"]]
            topics[version].append(topic)
            for _, ok, n in FIELDS:
                totals[version][ok] += verdict[ok]
                totals[version][n] += verdict[n]
        for version, t in totals.items():
            shown = ", ".join(
                f"{name} {t[ok]}/{t[n]} ({t[ok] / t[n]:.3f})" for name, ok, n in FIELDS if t[n]
            )
            print(
                f"judge {judged.stem[-1]}, {version} ({' '.join(sorted(topics[version]))}): {shown}"
            )


if __name__ == "__main__":
    main()
