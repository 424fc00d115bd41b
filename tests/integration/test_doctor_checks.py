"""What `rag doctor` must not call consistent: a scrambled BM25 file, an emptied database, a
registry status this version does not know; and what `--repair` does about each."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rag.doctor import diagnose, repair
from rag.errors import StoreUnavailable
from rag.index.store import Store
from rag.ingest.pipeline import ingest
from rag.settings import Settings
from tests.helpers import SEEDS

DEIF = "002_0cdd084e739fcba0.txt"


@pytest.fixture
def store(settings: Settings, seeded_data: Path) -> Store:
    """The seeds' store (this test's copy), which the doctor finds consistent before the test
    damages it."""
    store = Store.open(settings)
    assert diagnose(store) == []
    return store


def test_a_shuffled_but_well_formed_bm25_file_is_found_and_rebuilt(
    settings: Settings, store: Store
) -> None:
    corpus = settings.bm25_dir / "corpus.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(18).shuffle(lines)  # every line intact, each now beside another's scores
    corpus.write_text("".join(lines), encoding="utf-8")
    assert diagnose(store) == ["BM25 index scores do not match the stored chunks (scrambled)"]
    assert "rebuilt the BM25 index" in repair(store)
    assert diagnose(store) == []


def test_a_bm25_file_holding_another_text_is_found(settings: Settings, store: Store) -> None:
    corpus = settings.bm25_dir / "corpus.jsonl"
    text = corpus.read_text(encoding="utf-8")
    corpus.write_text(text.replace("Gallant", "Galant"), encoding="utf-8")
    assert diagnose(store) == ["BM25 index is out of step with the store"]


@pytest.mark.usefixtures("store")
def test_a_zero_byte_database_is_refused_with_how_to_rebuild(settings: Settings) -> None:
    database = settings.data_dir / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"")
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(settings)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        f"{database.resolve()} is empty (0 bytes): the database was truncated"
    )
    assert message.endswith("then `rag ingest` your article folders again.")
    assert database.stat().st_size == 0  # nothing was written into it


@pytest.mark.usefixtures("store")
def test_a_database_recreated_empty_is_not_called_consistent(
    settings: Settings, tmp_path: Path
) -> None:
    # what a truncated chroma.sqlite3 left once Chroma had quietly re-created it: an empty
    # database beside the index that was built from the articles it held
    emptied = Settings(data_dir=tmp_path / "emptied")
    shutil.copytree(settings.bm25_dir, emptied.bm25_dir)
    store = Store.open(emptied)
    found = diagnose(store)
    assert len(found) == 1 and found[0].startswith(
        f"{store.location} holds no articles, but the BM25 index beside it holds "
    )
    assert "the database was emptied or replaced. Rebuild the store" in found[0]
    assert repair(store) == [] and diagnose(store) == found  # the evidence is kept


def test_an_unknown_registry_status_is_repaired_like_pending(
    settings: Settings, store: Store
) -> None:
    record = store.registry.records([DEIF])[DEIF]
    store.registry.put({DEIF: replace(record, status="half-done")})
    assert f"{DEIF}: left half-done by an interrupted ingest" in diagnose(store)
    repair(store)
    assert diagnose(store) == []
    assert DEIF not in store.registry.records(status=None)
    assert not list(store.chunk_records({"doc_id": DEIF}))
    again = ingest([SEEDS], settings, progress=False)
    assert again.added == [DEIF] and diagnose(store) == []


def test_uploads_never_added_are_reported_and_added_by_repair(
    settings: Settings, store: Store
) -> None:
    uploads = settings.uploads_dir
    uploads.mkdir(parents=True)
    # what a server stopped between saving the uploads and ingesting them leaves behind
    (uploads / "harbour.txt").write_text(
        "Harbour ferry resumes\n\ndate 2024-03-14\n\nThe "
        "harbour ferry resumed service on 12 March 2024 "
        "after storms, the port authority said.\n"
    )
    (uploads / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256))
    found = diagnose(store)
    assert found == [
        f"{(uploads / name).resolve()}: uploaded but never added to the library (the server "
        "stopped first?); `rag doctor --repair` adds it"
        for name in ("harbour.txt", "photo.txt")
    ]
    actions = repair(store)
    assert "added upload harbour.txt to the library" in actions
    (removed,) = [a for a in actions if a.startswith("removed upload photo.txt")]
    assert "nothing in it could be stored (" in removed and "binary" in removed
    assert diagnose(store) == []
    assert "harbour.txt" in store.registry.records()
    assert not (uploads / "photo.txt").exists()
