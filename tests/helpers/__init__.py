"""What several test modules share: paths, the real `rag` command, the seed articles' texts.

Test modules import from here (and from `tests.helpers.servers`, `.scripted_llm`, `.load`,
`.browser`), never from each other.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run_rag(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300, input: str | None = None
) -> subprocess.CompletedProcess:
    """Run the real `rag` command in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
        input=input,
    )


@lru_cache(maxsize=1)
def seed_texts() -> dict[str, str]:
    """The seed articles' texts by article id, as `rag ingest seeds` reads them."""
    from rag.ingest.readers import read_paths

    return {d.doc_id: d.text for d in read_paths([SEEDS]).documents}
