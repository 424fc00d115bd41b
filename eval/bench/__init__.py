"""`rag bench` (a developer tool, registered like `rag eval`): how fast ingest and answers are, as
ratios measured in one run.

Each phase runs in its own process so its peak memory is its own, and prints one JSON line:
- `embed`: the raw embedder on exactly our chunk texts (ONNX and torch), chunks/s, tokens/s,
  FLOP per chunk from the model's shape, achieved FLOP/s and share of the CPU's fp32 peak;
- `ingest`: our full ingest (chunk, embed, store, BM25) and a re-ingest of the unchanged corpus;
- `llamaindex`: llama-index's default `VectorStoreIndex.from_documents` into Chroma with the
  same (torch) embedder, and how many tokens its chunks lose to the 256-token window;
- `query`: hybrid retrieval p50/p95 on synthetic stores (random unit vectors, random words:
  timing only, said so in the output) at each scale;
- `ask`: extractive answers end to end, warm; `cold`: process start to first answer;
- `topic`: a followed topic's first briefing, a refresh with no news (no model work) and one
  after the second half of the corpus arrives (`eval.bench.topic_refresh`).
The seeds, replicated with shuffled sentences, are the corpus unless a JSONL file is given.
"""

from eval.bench.corpus import make_corpus
from eval.bench.runner import render_table, run_bench

__all__ = ["make_corpus", "run_bench", "render_table"]
