"""One table of supported formats: ingest reads it, uploads and the UI's file picker offer it."""

from __future__ import annotations

from pathlib import Path

from rag import SUPPORTED_SUFFIXES, is_feed_file
from rag.ingest.formats import format_of, read_file
from rag.ingest.problems import Limits


def test_the_picker_offers_every_format_ingest_reads() -> None:
    from ui.layout import ACCEPTED

    assert list(ACCEPTED) == SUPPORTED_SUFFIXES
    assert {".markdown", ".htm", ".jsonl", ".pdf"} <= set(ACCEPTED)


def test_a_file_is_read_by_the_kind_its_suffix_names(tmp_path: Path) -> None:
    note = tmp_path / "pier.MARKDOWN"
    note.write_text("Pier closes\n\nThe $230 million pier will close soon.\n")
    [doc] = list(read_file(note, "pier.MARKDOWN", Limits(100, 1_000_000)))
    assert doc.metadata["title"] == "Pier closes"  # type: ignore[union-attr]
    assert format_of("a.Json") == "feed" and is_feed_file(Path("x/b.jsonl"))
    assert not is_feed_file("story.html") and format_of("notes.docx") is None
