"""How the store writes its names is counted with the BM25 index, saved beside it, and read
back with it; an index saved without them (an earlier version's) is rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.index.bm25 import NAMES_FILE, load_bm25
from rag.index.store import Store
from rag.settings import Settings


@pytest.fixture
def store(settings: Settings, seeded_data: Path) -> Store:
    """The seeds' store (this test's copy)."""
    return Store.open(settings)


def test_the_stores_names_are_kept_with_its_bm25_index(store: Store) -> None:
    retriever = load_bm25(store, 20)
    assert retriever is not None
    names = retriever.written_names
    # the seeds write these capitalised mid-sentence, nearly always
    assert names["hezbollah"] == "Hezbollah" and names["idf"] == "IDF"
    assert names["hochstein"] == "Hochstein"
    # and these in lower case
    assert "pier" not in names and "cost" not in names
    saved = json.loads((store.settings.bm25_dir / NAMES_FILE).read_text(encoding="utf-8"))
    assert saved == names


def test_an_index_saved_without_the_names_is_rebuilt_with_them(store: Store) -> None:
    first = load_bm25(store, 20)
    assert first is not None
    (store.settings.bm25_dir / NAMES_FILE).unlink()
    again = load_bm25(store, 20)
    assert again is not None and again.written_names == first.written_names
    assert (store.settings.bm25_dir / NAMES_FILE).exists()
