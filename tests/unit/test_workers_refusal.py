"""When `rag serve --workers N` must refuse, and that it says why in one line (ui.workers)."""

from __future__ import annotations

from pathlib import Path

from ui.workers import refusal

URL = "http://127.0.0.1:8000"


def test_several_workers_on_a_chroma_server_are_fine() -> None:
    assert refusal(2, URL, Path("/d"), login=False, share=False) is None
    assert refusal(1, None, Path("/d"), login=True, share=False) is None  # one process: all fine


def test_each_single_process_thing_is_named_in_one_line() -> None:
    cases = [
        (
            refusal(2, None, Path("/srv/rag"), login=False, share=False),
            ("embedded Chroma", "/srv/rag/chroma", "single-process", "RAG_CHROMA_URL"),
        ),
        (refusal(3, URL, Path("/d"), login=True, share=False), ("RAG_UI_AUTH", "login sessions")),
        (refusal(1, URL, Path("/d"), login=False, share=True), ("--share",)),
        (refusal(0, URL, Path("/d"), login=False, share=False), ("1 or more", "got 0")),
    ]
    for reason, words in cases:
        assert reason is not None and "\n" not in reason
        assert all(w in reason for w in words), reason
    assert len({reason for reason, _ in cases}) == len(cases)  # each case its own sentence
