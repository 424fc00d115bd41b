"""Real servers the tests start on 127.0.0.1: `rag serve` and `chroma run`; and the base of
the tests' own small HTTP servers (`QuietHandler`).

Shared by the UI, security, Chroma-server and load tests; each picks a free port, waits until
the port answers, and leaves stopping to the caller. Nothing here asserts anything.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]


class QuietHandler(BaseHTTPRequestHandler):
    """The request handler the tests' stand-in servers build on (a scripted LLM endpoint, a
    news site): HTTP/1.1 with kept-alive connections, as the real services speak it, and no
    line per request in the test output."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(
    data: Path, args: list[str], extra_env: dict[str, str] | None, code: Path = ROOT
) -> subprocess.Popen:
    """`rag serve ARGS` on `data`, its output appended to `data/serve.log`; `code`: the
    checkout whose `rag` and `ui` serve (this one unless another is named)."""
    env = {**os.environ, "RAG_DATA_DIR": str(data), **(extra_env or {})}
    if code != ROOT:
        env["PYTHONPATH"] = str(code)
    data.mkdir(parents=True, exist_ok=True)
    with (data / "serve.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve", *args],
            env=env,
            cwd=code,
            stdout=log,
            stderr=log,
        )


def start_ui(
    data: Path, extra_env: dict[str, str] | None = None, code: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """`rag serve` on `data`, once it listens (`code`: as `_serve`). Its output goes to
    `data/serve.log`, whose end a failing browser test shows (tests/system/conftest.py): a
    handler that raised is otherwise seen only as a page that never changes."""
    port = free_port()
    proc = _serve(data, ["--port", str(port)], extra_env, code)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("rag serve exited before it listened")
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("rag serve did not listen within 120 s")


def start_workers(
    data: Path, workers: int, extra_env: dict[str, str] | None = None, wait_s: float = 300
) -> tuple[subprocess.Popen, str]:
    """`rag serve --workers N`, ready once `/health` has been answered by N different
    processes. The parent binds the port before its workers have imported anything, and each
    worker opens its own assistant, so one worker answering says nothing of the others: on a
    busy machine the first can serve alone for a while, and a test asking "did both answer?"
    would see one. Its output goes to `data/serve.log`, whose end any failure here shows."""
    port = free_port()
    proc = _serve(data, ["--workers", str(workers), "--port", str(port)], extra_env)
    log_path = data / "serve.log"
    url = f"http://127.0.0.1:{port}/"
    seen: set[int] = set()
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"rag serve --workers {workers} exited with {proc.returncode}: "
                f"{log_path.read_text()[-2000:]}"
            )
        seen |= health_pids(url, tries=2 * workers)
        if len(seen) >= workers:
            return proc, url
        time.sleep(0.5)
    stop(proc)
    raise RuntimeError(
        f"rag serve --workers {workers}: /health answered from {len(seen)} process(es) in "
        f"{wait_s:.0f} s; the log ends: {log_path.read_text()[-2000:]}"
    )


def health_pids(url: str, tries: int) -> set[int]:
    """The worker pids that answered `tries` parallel `/health` calls, each on its own
    connection (so the kernel may hand each to any worker that is accepting)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def one(_: int) -> int | None:
        try:
            with httpx.Client(timeout=5) as client:
                response = client.get(f"{url}health")
            return int(response.json()["pid"]) if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError, KeyError):
            return None

    with ThreadPoolExecutor(max_workers=tries) as pool:
        return {pid for pid in pool.map(one, range(tries)) if pid is not None}


def stop(proc: subprocess.Popen) -> None:
    """Stop a server this process started (and, for uvicorn's workers, its children)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 that a test can stop and start again (same data)."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ChromaServer":
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [
                chroma,
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not start within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@contextmanager
def serving_on_chroma(
    work: Path, chroma_folder: Path, env: dict[str, str] | None = None, workers: int | None = None
) -> Iterator[tuple[str, str]]:
    """`rag serve` (with `workers`: `--workers N`) on a `chroma run` of `chroma_folder`, both
    stopped on leaving: (the UI's base URL without the last slash, the Chroma URL)."""
    chroma = ChromaServer(chroma_folder).start()
    proc = None
    try:
        served = {"RAG_CHROMA_URL": chroma.url, **(env or {})}
        if workers is None:
            proc, url = start_ui(work / "ui", served)
        else:
            proc, url = start_workers(work / "ui", workers, served)
        yield url.rstrip("/"), chroma.url
    finally:
        if proc is not None:
            stop(proc)
        chroma.stop()
