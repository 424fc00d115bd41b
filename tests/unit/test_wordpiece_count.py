"""The fast word-piece count is the tokenizer's own count, so chunks come out as before."""

from __future__ import annotations

from dataclasses import replace

import pytest
from llama_index.core.ingestion import run_transformations

from rag.index.embedder import _wordpiece_tokenizer, get_embedder_spec
from rag.index.wordpiece_count import WordPieceCounter
from rag.ingest import chunking
from rag.ingest.chunking import build_transformations
from rag.ingest.readers import read_paths
from rag.settings import Settings
from tests.helpers import SEEDS

AWKWARD = [
    "Café owners in Zürich said “no” — twice.",
    "a\x1cb and a\x1fb",  # separators BERT drops rather than splits at (Python's split() would)
    "zero\u200bwidth and non\u00a0breaking and thin\u2009space",
    "東京で会議 held in Tōkyō",
    "tabs\tand\nnew\r\nlines\x0band\x0cfeeds\x85next",
    "emoji 🙂 and symbols $4.5bn, 63,500 (approx.) ~10% <b>bold</b>",
    "x" * 150 + " a word longer than WordPiece reads whole",
    "",
    "   ",
]


def _exact(text: str) -> int:
    return len(_wordpiece_tokenizer().encode(text, add_special_tokens=False).ids)


def test_counts_equal_the_tokenizers_on_awkward_and_real_text() -> None:
    counter = WordPieceCounter(_wordpiece_tokenizer())
    texts = AWKWARD + [d.text for d in read_paths([SEEDS]).documents]
    texts += [line for t in texts for line in t.split("\n")]
    for text in texts * 2:  # the second pass reads remembered runs
        assert counter.count(text) == _exact(text), repr(text[:80])


def test_chunks_are_those_the_full_encode_made(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = read_paths([SEEDS]).documents
    fast = run_transformations(docs, build_transformations(settings))
    # the same chunker counting with a full encode of every text, as it did before
    slow_spec = replace(get_embedder_spec(settings), count_tokens=_exact)
    monkeypatch.setattr(chunking, "get_embedder_spec", lambda _: slow_spec)
    slow = run_transformations(docs, build_transformations(settings))
    assert [(n.id_, n.text) for n in fast] == [(n.id_, n.text) for n in slow]
    assert len(fast) > 10
