"""Shared fixtures: every test gets its own data dir and a clean `RAG_*` environment.

The embedding model is real (bundled all-MiniLM-L6-v2) and loads once per test process; the
seeded store is built once per session and only read by the tests that share it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for key in list(os.environ):
        if key.startswith(("RAG_", "OPENAI_")):
            monkeypatch.delenv(key)
    data = tmp_path / "data"
    monkeypatch.setenv("RAG_DATA_DIR", str(data))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return data


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    return Settings(data_dir=isolated_env)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An assistant over the five seed articles (read-only for the tests that use it)."""
    from rag.assistant import Assistant

    settings = Settings(data_dir=tmp_path_factory.mktemp("seeded"))
    assistant = Assistant.from_settings(settings)
    report = assistant.ingest([SEEDS], progress=False)
    assert len(report.added) == 5 and not report.problems
    return assistant


def run_rag(*args: str, env: dict[str, str] | None = None, timeout: float = 300
            ) -> subprocess.CompletedProcess:
    """Run the real `rag` command in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout, cwd=ROOT)
