"""The data dir's lock: a reader may be the first to touch a data dir (an answer worker on a
`chroma run` server whose data dir holds nothing else yet)."""

from __future__ import annotations

from pathlib import Path

from rag.index.writers import WriteLock


def test_the_first_shared_hold_makes_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "made" / "yet"
    lock = WriteLock(data_dir, timeout=1)
    with lock.reading():
        assert lock.path.exists()
    with lock:  # and an exclusive hold afterwards is not blocked by the shared one
        assert lock.held_here()
    assert not lock.held_here()
