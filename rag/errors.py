"""The errors a caller of `rag` may want to catch, each written for the person who sees it.

`StoreUnavailable`: the Chroma store (embedded or a `chroma run` server) cannot be reached,
or cannot be written (`DiskFull`: the disk ran out of space; `disk_full()` recognises that
in whatever a library raised: an `OSError` ENOSPC, SQLite's "database or disk is full", a
Rust "No space left on device").
`LLMConfigError`: the LLM endpoint refused the request as configured (bad key, unknown
model); retrying will not help. `LLMUnavailable`: the endpoint kept failing through every
retry; answers fall back to the extractive answerer. Modules raise these; the CLI and the UI
print their message as one line.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import Any, Mapping

__all__ = [
    "StoreUnavailable",
    "DiskFull",
    "disk_full",
    "LLMError",
    "LLMConfigError",
    "LLMUnavailable",
]
_FULL_TEXTS = ("database or disk is full", "no space left on device", "os error 28")
LOW_SPACE = 1_048_576  # bytes: below this, a failed write of the store is taken for a full disk


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be reached; the message says where and what to do."""


class EngineUnavailable(RuntimeError):
    """The ingest engine asked for cannot run here (Ray not installed, cluster unreachable)."""


class DiskFull(StoreUnavailable):
    """A write failed because the disk is full; nothing stored was lost."""


def space_left(path: Path) -> int | None:
    """Bytes free for this user on the disk holding `path` (None: cannot tell)."""
    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free
            except OSError:
                return None
    return None


def disk_full(
    err: BaseException, where: Path, doing: str = "writing", check_space: bool = False
) -> DiskFull | None:
    """A `DiskFull` saying so in one line if `err` (or what caused it) is a full disk, naming
    the file the system named or else `where`; None for any other error.

    `check_space`: also when the disk holding `where` has under `LOW_SPACE` left, for
    libraries that hide the cause (Chroma reports a full disk mid-write as "Error in
    compaction: Failed to apply logs to the metadata segment").
    """
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            path = seen.filename or where
            break
        if any(text in str(seen).lower() for text in _FULL_TEXTS):
            path = where
            break
        seen = seen.__cause__ or seen.__context__
    else:
        free = space_left(where) if check_space else None
        if free is None or free >= LOW_SPACE:
            return None
        path = where
    return DiskFull(
        f"the disk is full (ENOSPC): could not write {path} while {doing}; "
        "nothing stored was lost. Free some space, then run the command again (an "
        "interrupted ingest is finished by the next `rag ingest`)."
    )


class LLMError(RuntimeError):
    """The LLM could not produce an answer."""


class LLMConfigError(LLMError):
    """The endpoint refused the request as configured; retrying will not help."""


class LLMUnavailable(LLMError):
    """The endpoint kept failing (timeouts, 429, 5xx, cut streams) through every retry."""


def problem_message(problem: Mapping[str, Any]) -> str:
    """One pydantic error's message as its validator wrote it: pydantic prefixes a
    `ValueError` raised in a validator with "Value error, ", which people need not read."""
    return str(problem.get("msg", "")).removeprefix("Value error, ")
