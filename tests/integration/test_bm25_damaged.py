"""A persisted BM25 index that parses but is damaged: an emptied or
cut-short corpus.jsonl made `rag ask` die with an IndexError on the first hit. It is derived
state, so it is rebuilt from the store; when it cannot be, one line says what to do."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from rag.errors import StoreUnavailable
from rag.index import bm25
from rag.index.bm25 import load_bm25
from rag.index.bm25_check import persisted_mismatch
from rag.index.store import Store
from rag.settings import Settings


@pytest.fixture
def store(settings: Settings, seeded_data: Path) -> Store:
    """The seeds' store (this test's copy), its persisted BM25 index whole and in step."""
    opened = Store.open(settings)
    assert load_bm25(opened, 20) is not None and persisted_mismatch(opened) is None
    return opened


@pytest.mark.parametrize("keep_lines", [0, 1])
def test_emptied_or_cut_corpus_is_rebuilt_from_the_store(store: Store, keep_lines: int) -> None:
    corpus = store.settings.bm25_dir / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.write_text("".join(lines[:keep_lines]), encoding="utf-8")
    retriever = load_bm25(store, 20)
    assert retriever is not None
    assert retriever.retrieve("Mohammed Deif Khan Younis")  # searched, not an IndexError
    assert persisted_mismatch(store) is None  # the rebuilt index was saved


def test_a_damaged_index_that_cannot_be_rebuilt_says_run_doctor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (store.settings.bm25_dir / "corpus.jsonl").write_text("", encoding="utf-8")

    def refused(**_: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(bm25.tempfile, "mkdtemp", refused)
    with pytest.raises(StoreUnavailable) as caught:
        load_bm25(store, 20)
    message = str(caught.value)
    assert message.startswith(
        f"The BM25 index at {store.settings.bm25_dir} is damaged "
        "(corpus.jsonl holds no chunks) and could not be rebuilt"
    )
    assert message.endswith("run `rag doctor --repair`.")
    assert "\n" not in message
