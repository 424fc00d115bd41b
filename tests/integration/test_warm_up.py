"""Threads that share an assistant find everything loaded: `warm_up` imports and loads the
lazily imported parts (two threads importing `llama_index.vector_stores.chroma` for the first
time deadlocked Python's import locks in `rag eval` with two workers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts a fresh interpreter

SCRIPT = """
import sys
from rag import Assistant, Settings

lazy = ("llama_index.vector_stores.chroma", "onnxruntime")
assistant = Assistant.from_settings(Settings(data_dir=sys.argv[1]))
print(sorted(m for m in lazy if m in sys.modules))
assistant.warm_up()
print(sorted(m for m in lazy if m in sys.modules))
"""


def test_warm_up_loads_what_answering_imports_lazily(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "store")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.strip().splitlines()[-2:]
    assert "llama_index.vector_stores.chroma" not in before
    assert after == "['llama_index.vector_stores.chroma', 'onnxruntime']"
