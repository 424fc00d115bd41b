"""The same code talks to a real `chroma run` server when RAG_CHROMA_URL is set."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_rag


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server-data"),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_and_ask_through_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    env = {"RAG_CHROMA_URL": chroma_server, "RAG_DATA_DIR": str(tmp_path / "client-a")}
    first = run_rag("ingest", str(SEEDS), env=env)
    assert first.returncode == 0, first.stderr
    assert "5 added" in first.stdout and chroma_server in first.stdout
    assert not (tmp_path / "client-a" / "chroma").exists()  # nothing stored locally
    # a second client with its own local cache sees the same store and skips everything
    env_b = {**env, "RAG_DATA_DIR": str(tmp_path / "client-b")}
    again = run_rag("ingest", str(SEEDS), env=env_b)
    assert "0 added, 0 updated, 5 skipped" in again.stdout
    answer = json.loads(run_rag("ask", "How many hostages are held by Hamas in Gaza?", "--json",
                                env=env_b).stdout)
    assert "133 hostages" in answer["answer"]
    assert answer["citations"][0]["doc"] == "001_86b8b23eb7a99f56.txt"


def test_unreachable_server_gives_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    result = run_rag("ask", "anything", env={"RAG_CHROMA_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: Cannot reach the Chroma server at {url}")
    assert "Traceback" not in result.stderr
