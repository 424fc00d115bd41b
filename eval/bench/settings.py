"""The settings every bench phase opens its store with: a fresh data folder, collection "bench".

A module of its own so each phase module can build them without importing another phase
module (`phases` dispatches to `query_scale` and `engines`, never the other way).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def bench_settings(data: Path, **extra: Any):  # type: ignore[no-untyped-def]
    """Settings over `data`, the bench's collection, and any setting a phase overrides."""
    from rag import Settings

    return Settings(data_dir=data, collection="bench", **extra)
