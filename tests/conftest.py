"""Shared fixtures: every test gets its own data dir and a clean `RAG_*` environment.

The embedding model is real (bundled all-MiniLM-L6-v2) and loads once per test process; the
seeded store is built once per session and only read by the tests that share it.
`slow` says what a test does: it starts a subprocess or a server (a scripted LLM, a news
site, the UI, a browser). `pytest -m "not slow"`, the fast tier, runs the rest; a test not
marked slow that starts either fails and says so, so the tier stays what it claims to be.
Everything under tests/system/ starts one, so that folder is marked as a whole.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag.settings import Settings
from tests.helpers import ROOT, SEEDS

SLOW_FOLDERS = ("system",)  # servers, browsers, subprocess crashes, load


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


def _ours(frame: Any) -> bool:
    """Whether the code that asked for a subprocess is this project's (a library may run one
    of its own, such as `ldconfig` to find a shared library; that is not the test's doing)."""
    while frame is not None and frame.f_code.co_filename == subprocess.__file__:
        frame = frame.f_back
    if frame is None:
        return False
    path = Path(frame.f_code.co_filename)
    return path.is_relative_to(ROOT) and ".venv" not in path.parts


@pytest.fixture(autouse=True)
def fast_tests_start_nothing(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail a test outside the slow tier that starts a subprocess or a server."""
    if request.node.get_closest_marker("slow"):
        return
    popen = subprocess.Popen.__init__
    nodeid = request.node.nodeid

    def refused(what: str) -> RuntimeError:
        return RuntimeError(
            f"{nodeid} starts {what}: mark it @pytest.mark.slow (see tests/conftest.py)"
        )

    def guarded_popen(self: subprocess.Popen, *args: Any, **kwargs: Any) -> None:
        if _ours(sys._getframe(1)):
            raise refused("a subprocess")
        popen(self, *args, **kwargs)

    def guarded_listen(self: socket.socket, *args: Any) -> None:
        raise refused(f"a server on {self.getsockname()}")

    monkeypatch.setattr(subprocess.Popen, "__init__", guarded_popen)
    monkeypatch.setattr(socket.socket, "listen", guarded_listen)  # any server listens


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
