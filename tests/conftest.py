"""Shared fixtures: every test gets its own data dir and a clean `RAG_*` environment.

The embedding model is real (bundled all-MiniLM-L6-v2) and loads once per test process; the
five seed articles are ingested once per session, and each test that needs them stored gets
a copy of that store (`seeded_data`, `seeded_store_copy`; `seeded` is one shared read-only
assistant over a copy).
`slow` says what a test does: it starts a subprocess or a server (a scripted LLM, a news
site, the UI, a browser). `pytest -m "not slow"`, the fast tier, runs the rest; a test not
marked slow that starts either fails and says so, so the tier stays what it claims to be.
Everything under tests/system/ starts one, so that folder is marked as a whole.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pytest

from rag.settings import Settings
from tests.helpers import ROOT, SEEDS

if TYPE_CHECKING:
    from rag.assistant import Assistant

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


def _clean_environment(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """No `RAG_*`/`OPENAI_*` setting from the shell reaches a test (or the seeded store),
    the store is `data`, and the bundled embedding model is never looked up online."""
    for key in list(os.environ):
        if key.startswith(("RAG_", "OPENAI_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("RAG_DATA_DIR", str(data))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    _clean_environment(monkeypatch, data)
    return data


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    return Settings(data_dir=isolated_env)


@pytest.fixture(scope="session")
def seeded_store_copy(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Copies of one store over the five seed articles: `copy(folder)` makes `folder` a data
    dir holding them and returns it.

    Embedding the seeds takes seconds of CPU; copying the store they make takes
    milliseconds. So they are ingested once per session, into a store no test is given, and
    every test (or module) that needs them gets its own copy to read, write or damage without
    disturbing any other. The store is what `rag ingest seeds` makes with no `RAG_*`
    settings: Chroma on disk, the BM25 index and the registry, each article's path in
    `seeds/`. A copy works wherever it is put (the project copies stores itself, to read one
    it may not write)."""
    from rag.assistant import Assistant

    template = tmp_path_factory.mktemp("seeded-template") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clean_environment(monkeypatch, template)
        report = Assistant.from_settings(Settings()).ingest([SEEDS], progress=False)
    assert len(report.added) == 5 and not report.problems

    def copy(folder: Path) -> Path:
        shutil.copytree(template, folder, dirs_exist_ok=True)
        return folder

    return copy


@pytest.fixture
def seeded_data(isolated_env: Path, seeded_store_copy: Callable[[Path], Path]) -> Path:
    """This test's data dir (`RAG_DATA_DIR`, `settings.data_dir`), holding the five seed
    articles as `rag ingest seeds` stores them; the test's own copy, free to change."""
    return seeded_store_copy(isolated_env)


@pytest.fixture(scope="session")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, seeded_store_copy: Callable[[Path], Path]
) -> Assistant:
    """An assistant over the five seed articles (read-only for the tests that use it)."""
    from rag.assistant import Assistant

    data = seeded_store_copy(tmp_path_factory.mktemp("seeded") / "data")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clean_environment(monkeypatch, data)
        return Assistant.from_settings(Settings())
