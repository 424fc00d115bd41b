"""A full disk is recognised in whatever a library raised and said in one line (rag.errors)."""

from __future__ import annotations

import errno
from pathlib import Path

from rag.errors import DiskFull, StoreUnavailable, disk_full


def test_a_full_disk_is_named_with_the_path_the_system_gave() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device", "/data/bm25/x.npy")
        except OSError as inner:
            raise RuntimeError("persist failed") from inner
    except RuntimeError as err:
        full = disk_full(err, Path("/data"), "ingesting")
    assert isinstance(full, DiskFull) and isinstance(full, StoreUnavailable)
    assert str(full).startswith(
        "the disk is full (ENOSPC): could not write /data/bm25/x.npy "
        "while ingesting; nothing stored was lost."
    )
    assert "\n" not in str(full)


def test_sqlite_and_rust_wordings_count_and_other_errors_do_not() -> None:
    sqlite = RuntimeError("error returned from database: (code: 13) database or disk is full")
    assert "could not write /data/chroma" in str(disk_full(sqlite, Path("/data/chroma")))
    rust = RuntimeError("Failed to write: No space left on device (os error 28)")
    assert disk_full(rust, Path("/data")) is not None
    assert disk_full(KeyError("x"), Path("/data")) is None
