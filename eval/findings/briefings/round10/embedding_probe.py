"""Round 10's probe: does MiniLM's cosine to the nearest older sentence tell news from retold
background, where round 9's word overlap did not?

Round 8's reported lines with their verdicts (`../round9/novelty_probes.judged_lines`) are
embedded with the store's own embedder, beside the 50 older sentences (of articles dated
before the line's week) that share the most of its rare words; a line's score is its highest
cosine to them. AUC: the chance that a true line scores lower (further from anything older)
than a false one. Measured, not built: 0.63 held out, 0.51 on the six stories.

    python eval/findings/briefings/round10/embedding_probe.py CORPUS.jsonl
"""

from __future__ import annotations

import collections
import json
import math
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent.parent / "round9"))
import novelty_probes as probes  # noqa: E402

from rag import Settings, get_embed_model  # noqa: E402


def main() -> None:
    corpus = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    sentences = []  # (date, words, text) of every sentence of the corpus
    for article in corpus:
        for s in re.split(r'(?<=[.!?"”])\s+|\n+', article["text"]):
            ws = set(probes.words(s))
            if len(ws) >= 4:
                sentences.append((article["date"], ws, s))
    df = collections.Counter(w for _, ws, _ in sentences for w in ws)
    postings = collections.defaultdict(list)
    for i, (_, ws, _) in enumerate(sentences):
        for w in ws:
            if df[w] < 3000:
                postings[w].append(i)
    reported = [r for r in probes.judged_lines() if r["after"]]
    for r in reported:
        start = (date.fromisoformat(r["until"]) - timedelta(6)).isoformat()
        shared: collections.Counter = collections.Counter()
        for w in set(probes.words(r["text"])):
            for i in postings.get(w, ()):
                if sentences[i][0] < start:
                    shared[i] += math.log(len(sentences) / df[w])
        r["older"] = [i for i, _ in shared.most_common(50)]
    model = get_embed_model(Settings())
    needed = sorted({i for r in reported for i in r["older"]})
    at = {i: k for k, i in enumerate(needed)}
    older = np.array(model.get_text_embedding_batch([sentences[i][2] for i in needed]))
    lines = np.array(model.get_text_embedding_batch([r["text"] for r in reported]))
    for r, vector in zip(reported, lines):
        r["cosine"] = max((float(older[at[i]] @ vector) for i in r["older"]), default=0.0)
    for name in ("round8", "seen"):
        rows = [r for r in reported if r["set"] == name]
        score = probes.auc([(-r["cosine"], r["new"]) for r in rows])
        print(f"{name}: {len(rows)} lines, nearest-older cosine AUC {score:.3f}")


if __name__ == "__main__":
    main()
