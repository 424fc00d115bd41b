"""Undoing a delete: a deleted article comes back from the trash as it was, vectors and all,
and answers as before; what cannot be restored says why and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag import Assistant, Settings

DEIF_DOC = "002_0cdd084e739fcba0.txt"
DEIF = "What did Gallant call Mohammed Deif?"


def _chunks(assistant: Assistant, doc: str) -> dict[str, tuple[str, list[float]]]:
    got = assistant.store.chunks.get(where={"doc_id": doc}, include=["documents", "embeddings"])
    return {
        i: (t, [round(float(x), 6) for x in v])
        for i, t, v in zip(got["ids"], got["documents"], got["embeddings"])
    }


def test_a_deleted_article_is_restored_whole_and_answers_again(seeded_data: Path) -> None:
    assistant = Assistant.from_settings(Settings())
    before = assistant.ask(DEIF)
    assert before.citations[0].doc == DEIF_DOC
    record, chunks = assistant.library()[DEIF_DOC], _chunks(assistant, DEIF_DOC)
    assert assistant.delete(DEIF_DOC)
    assert DEIF_DOC not in assistant.library() and _chunks(assistant, DEIF_DOC) == {}
    assert DEIF_DOC not in {c.doc for c in assistant.ask(DEIF).citations}
    assert assistant.deleted_on(DEIF_DOC) is not None
    assert assistant.restore(DEIF_DOC)
    assert assistant.library()[DEIF_DOC] == record  # the record as it was
    assert _chunks(assistant, DEIF_DOC) == chunks  # same ids, texts and vectors
    after = assistant.ask(DEIF)
    assert after.answer == before.answer and after.citations == before.citations
    assert assistant.deleted_on(DEIF_DOC) is None and not assistant.restore(DEIF_DOC)
    report = assistant.ingest([Path("seeds")], progress=False)  # nothing to redo
    assert report.added == [] and report.updated == []


def test_restore_refuses_to_replace_an_article_stored_again_since(
    seeded_data: Path, tmp_path: Path
) -> None:
    assistant = Assistant.from_settings(Settings())
    article = tmp_path / "harbour.txt"
    article.write_text("Harbour reopens. The harbour reopened on Friday.\n", encoding="utf-8")
    assistant.ingest([article], progress=False)
    assert assistant.delete("harbour.txt")
    assistant.ingest([article], progress=False)  # stored again
    with pytest.raises(ValueError, match="stored again since it was deleted"):
        assistant.restore("harbour.txt")
    assert "harbour.txt" in assistant.library()


def test_nothing_to_restore_is_false_and_a_damaged_trash_file_is_not_read(
    seeded_data: Path,
) -> None:
    assistant = Assistant.from_settings(Settings())
    assert not assistant.restore("never-stored.txt")
    assert assistant.delete(DEIF_DOC)
    [kept] = list((seeded_data / "trash").glob("*.json"))
    assert json.loads(kept.read_text(encoding="utf-8"))["doc_id"] == DEIF_DOC
    kept.write_text("{not json", encoding="utf-8")
    assert not assistant.restore(DEIF_DOC) and assistant.deleted_on(DEIF_DOC) is None
    assert DEIF_DOC not in assistant.library()


def test_a_copy_kept_without_vectors_is_embedded_again_as_ingest_embedded_it(
    seeded_data: Path,
) -> None:
    """A process whose Chroma index lacks chunks another process added cannot read their
    vectors; the trash keeps the rest, and the restore embeds the chunks as ingest did."""
    assistant = Assistant.from_settings(Settings())
    before, chunks = assistant.ask(DEIF), _chunks(assistant, DEIF_DOC)
    assert assistant.delete(DEIF_DOC)
    [kept] = list((seeded_data / "trash").glob("*.json"))
    copy = json.loads(kept.read_text(encoding="utf-8"))
    copy["chunks"]["embeddings"] = None
    kept.write_text(json.dumps(copy), encoding="utf-8")
    assert assistant.restore(DEIF_DOC)
    again = _chunks(assistant, DEIF_DOC)
    assert again.keys() == chunks.keys()
    for cid, (text, vector) in chunks.items():
        assert again[cid][0] == text
        cosine = sum(a * b for a, b in zip(vector, again[cid][1]))
        assert cosine > 0.999, cid  # unit vectors: the same embedding text, re-embedded
    assert assistant.ask(DEIF).citations == before.citations
