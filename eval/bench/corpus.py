"""The bench's corpus: the seed articles replicated with shuffled sentences, as one feed.

The seeds are read from a folder given by the caller (default `./seeds`, the repository's),
never from beside the installed package, so the bench works from any install.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

DEFAULT_SEEDS = Path("seeds")


def seed_texts(seeds: Path = DEFAULT_SEEDS) -> list[str]:
    """The texts of the seed articles, or a clear error naming the folder."""
    files = sorted(p for p in seeds.iterdir() if p.is_file()) if seeds.is_dir() else []
    if not files:
        raise FileNotFoundError(
            f"{seeds.resolve()}: no seed articles there; run from the "
            "repository root or pass --seeds DIR"
        )
    return [p.read_text(encoding="utf-8") for p in files]


def make_corpus(folder: Path, articles: int, seed: int = 7, seeds: Path = DEFAULT_SEEDS) -> Path:
    """The seeds replicated with shuffled sentences, as one JSONL feed."""
    rng = random.Random(seed)
    texts = seed_texts(seeds)
    lines = []
    for i in range(articles):
        sentences = texts[i % len(texts)].replace("\n", " ").split(". ")
        rng.shuffle(sentences)
        lines.append(
            json.dumps(
                {
                    "id": f"bench-{i:05d}",
                    "title": f"Variant {i}",
                    "date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    "source": f"outlet{i % 7}",
                    "text": ". ".join(sentences),
                }
            )
        )
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
