"""How close each judged line comes to a sentence of an article dated before its week.

For every candidate line of round 5 (`judged/lines.json`) it retrieves the 10 best passages
for the line among articles published before the line's week and measures the nearest of
their sentences: embedding cosine, and the overlap of their words (over the shorter and, as
syndicated copies are found, over the longer sentence). Written to
`novelty_probe.json` for `briefing-eval.md`'s round 5; nothing here is used by the product.

    RAG_DATA_DIR=STORE RAG_COLLECTION=NAME python eval/findings/briefings/round5/novelty_probe.py
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from pathlib import Path

from rag import Assistant, Filters, sentence_spans

HERE = Path(__file__).parent
_STOP = set(
    "a an and as at be by for from has have in is it its of on or said that the to was were "
    "with".split()
)


def terms(text: str) -> set[str]:
    """Lower-case words, the commonest left out."""
    return {w for w in re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower()) if w not in _STOP}


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


def main() -> None:
    rows = json.loads((HERE / "judged" / "lines.json").read_text())
    assistant = Assistant.from_settings()
    embed = assistant.embed_model
    found = []
    for row in rows:
        week_start = date.fromisoformat(row["until"]) - timedelta(days=6)
        hits = assistant.retrieve(row["text"], Filters(until=week_start - timedelta(days=1)), 10)
        texts = [h.node.get_content() for h in hits]
        older = [t[s:e] for t in texts for s, e in sentence_spans(t)]
        older = [s for s in older if len(s) > 20][:80]
        vector = embed.get_text_embedding(row["text"])
        vectors = embed.get_text_embedding_batch(older) if older else []
        words = terms(row["text"])

        def share(other: str, over_longer: bool) -> float:
            theirs = terms(other)
            size = max(len(words), len(theirs)) if over_longer else min(len(words), len(theirs))
            return len(words & theirs) / max(1, size)

        found.append(
            {
                "id": row["id"],
                "cos": round(max((cosine(vector, v) for v in vectors), default=0.0), 3),
                "ov": round(max((share(s, False) for s in older), default=0.0), 3),
                "twin": round(max((share(s, True) for s in older), default=0.0), 3),
            }
        )
    (HERE / "novelty_probe.json").write_text(json.dumps(found))
    print(f"{len(found)} lines measured")


if __name__ == "__main__":
    main()
