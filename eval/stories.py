"""How ingest groups a corpus into stories: counts, largest groups, pairs to judge, cost.

Pure computation over a corpus JSONL (id, title, date, source, url, text), in date order as an
incremental ingest would see it: no embedding, no store. It prints how many stories the
articles form, the largest groups, the grouping cost per article, and writes a sample of
grouped pairs (one per story with copies, chosen with a fixed seed) for reading by hand.
Judging the pairs is left to a person; this module only lays them out.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rag import StoryIndex, story_signature


def group_corpus(corpus: Path) -> dict[str, Any]:
    """Stories of the corpus's articles, and what grouping cost per article."""
    rows = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    rows.sort(key=lambda r: (r.get("date") or "", r["id"]))
    index = StoryIndex()
    started = time.perf_counter()
    for r in rows:
        index.assign(r["id"], story_signature(r.get("text") or ""), r.get("date") or "")
    story = {r["id"]: index.story_of[r["id"]] for r in rows}
    seconds = time.perf_counter() - started
    sizes = Counter(story.values())
    return {
        "rows": {r["id"]: r for r in rows},
        "story": story,
        "sizes": sizes,
        "index": index,
        "ms_per_article": 1000 * seconds / max(1, len(rows)),
    }


def sample_pairs(grouped: dict[str, Any], n: int, seed: int = 15) -> list[tuple[str, str, float]]:
    """One pair per story with copies (its first article and the next), `n` of them."""
    members: dict[str, list[str]] = {}
    for doc, story in grouped["story"].items():
        members.setdefault(story, []).append(doc)
    sigs = grouped["index"].signatures
    pairs = [(m[0], m[1], sigs[m[0]].jaccard(sigs[m[1]])) for m in members.values() if len(m) > 1]
    random.Random(seed).shuffle(pairs)
    return sorted(pairs[:n], key=lambda p: p[2])


def report(corpus: Path, pairs: int = 30, top: int = 10) -> tuple[str, str]:
    """The figures (text) and the pairs to judge (Markdown)."""
    g = group_corpus(corpus)
    sizes: Counter = g["sizes"]
    rows = g["rows"]
    multi = {k: v for k, v in sizes.items() if v > 1}
    lines = [
        f"corpus: {corpus}",
        f"articles: {len(rows)}",
        f"stories: {len(sizes)}",
        f"stories with copies: {len(multi)} holding {sum(multi.values())} articles",
        f"grouping cost: {g['ms_per_article']:.2f} ms per article (signature + LSH look-up)",
        "largest stories:",
    ]
    for story, size in sizes.most_common(top):
        if size < 2:
            break
        r = rows[story]
        lines.append(
            f"  {size:3} × {story} {r.get('source')} {r.get('date')} "
            f"{(r.get('title') or '')[:70]!r}"
        )
    md = [
        "| # | est. Jaccard | A (id, outlet, date, title) | B (id, outlet, date, title) |",
        "|---|---|---|---|",
    ]
    for i, (a, b, sim) in enumerate(sample_pairs(g, pairs), start=1):
        ra, rb = rows[a], rows[b]
        md.append(
            f"| {i} | {sim:.2f} | {a} {ra.get('source')} {ra.get('date')} "
            f"“{(ra.get('title') or '')[:60]}” | {b} {rb.get('source')} {rb.get('date')} "
            f"“{(rb.get('title') or '')[:60]}” |"
        )
    return "\n".join(lines), "\n".join(md)
