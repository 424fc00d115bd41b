"""How close two stores' vectors of the same chunks are: int8 against fp32, say.

Two stores built from the same articles with different embedder precisions hold the same
chunk ids; this reads both collections and reports the cosine of each chunk's vector in one to
its vector in the other (mean, minimum, 1st percentile), and how many chunks both hold. What it
leaves out: retrieval figures (run `rag eval` on each store and `rag eval compare`).

    python -m eval.findings.vector_agreement DATA_DIR_A DATA_DIR_B COLLECTION
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

PAGE = 5000


def _vectors(data_dir: Path, collection: str) -> dict[str, Any]:
    import chromadb

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"))
    chunks = client.get_collection(collection, embedding_function=None)
    out: dict[str, Any] = {}
    for offset in range(0, chunks.count(), PAGE):
        got = chunks.get(include=["embeddings"], limit=PAGE, offset=offset)
        out.update(zip(got["ids"], got["embeddings"]))
    return out


def agreement(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """Cosines of the chunks both hold (vectors are unit length, as the embedder writes)."""
    shared = sorted(set(a) & set(b))
    x = np.array([a[i] for i in shared], dtype=np.float32)
    y = np.array([b[i] for i in shared], dtype=np.float32)
    cos = (x * y).sum(axis=1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    return {
        "chunks": len(shared),
        "only_a": len(a) - len(shared),
        "only_b": len(b) - len(shared),
        "mean": round(float(cos.mean()), 5),
        "p01": round(float(np.percentile(cos, 1)), 5),
        "min": round(float(cos.min()), 5),
    }


if __name__ == "__main__":
    first, second, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    print(agreement(_vectors(first, name), _vectors(second, name)))
