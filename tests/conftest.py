"""Shared fixtures: every test gets its own data dir and a clean `RAG_*` environment.

The embedding model is real (bundled all-MiniLM-L6-v2) and loads once per test process; the
seeded store is built once per session and only read by the tests that share it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag.settings import Settings
from tests.helpers import SEEDS

# servers, browsers, subprocess crashes, load: `pytest -m "not slow"` skips them
SLOW_FOLDERS = ("system",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/system/ is `slow`; unit and integration tests are the fast tier."""
    for item in items:
        if Path(str(item.fspath)).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


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
