"""An uploaded feed cannot replace an article stored from another feed file that is still on
disk, and says what happened to each of its records."""

from __future__ import annotations

import json
from pathlib import Path

from rag import Assistant, Settings
from ui.uploads import save_and_ingest


def _feed(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_an_uploaded_feed_does_not_replace_another_feeds_article(tmp_path: Path) -> None:
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    library = tmp_path / "library"
    library.mkdir()
    original = {
        "id": "wire-1",
        "title": "Ferry resumes",
        "date": "2024-05-01",
        "text": "The island ferry service resumed on Monday after a storm.",
    }
    _feed(library / "wire.jsonl", [original])
    assert assistant.ingest([library], progress=False).added == ["wire-1"]

    upload = _feed(
        tmp_path / "upload.jsonl",
        [
            {**original, "text": "Forged: the ferry was sold for $90 million."},
            {
                "id": "new-1",
                "title": "Bridge opens",
                "date": "2024-05-02",
                "text": "The new bridge to the island opened on Tuesday to cheering crowds.",
            },
        ],
    )
    [result] = save_and_ingest(assistant, [("upload.jsonl", upload)])
    assert result.result == "added"
    assert result.detail.startswith("1 record(s) added, 0 updated, 0 unchanged; 1 refused: ")
    assert "id 'wire-1' is already stored from" in result.detail
    stored = assistant.store.registry.records(["wire-1", "new-1"])
    assert stored["wire-1"].path == str(library / "wire.jsonl")
    assert set(stored) == {"wire-1", "new-1"}
    answer = assistant.ask("What happened to the island ferry service?")
    assert "resumed on Monday" in answer.answer and "$90 million" not in answer.answer
