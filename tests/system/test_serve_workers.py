"""`rag serve --workers N`: two real worker processes on one real `chroma run`.

Both answer `/ask` (each response names its process in `X-Served-By`), an ingest by another
process while they serve is answered by both without a restart, a short load run with an
ingest beside it has no errors, N > 1 on embedded Chroma is refused with one line, and one
worker behind a login (the uvicorn path mounts the app itself) still guards every route.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from tests.helpers import run_rag
from tests.helpers.load import run as load_run
from tests.helpers.servers import ROOT, free_port, serving_on_chroma, stop

HOSTAGES = "How many hostages are held by Hamas in Gaza?"
FERRY = "How many passengers did the Quillhaven ferry carry in its first week?"
FERRY_ARTICLE = """Quillhaven ferry opens

Date: 2024-05-02

The new Quillhaven ferry carried 48,213 passengers in its first week, the harbour board said.
Officials in Quillhaven said the crossing to the island now takes eleven minutes.
"""


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, seeded_store_copy: Callable[[Path], Path]
) -> Iterator[tuple[str, str, Path]]:
    """(base URL of 2 workers, Chroma URL, a work folder), the seeds stored."""
    work = tmp_path_factory.mktemp("workers")
    seeded = seeded_store_copy(work / "seeded") / "chroma"
    with serving_on_chroma(work, seeded, workers=2) as (base, chroma_url):
        yield base, chroma_url, work


def ask_once(base: str, question: str) -> tuple[str, dict]:
    """One `/ask` on a new connection, as one request: (the worker's pid, the answer JSON)."""
    with httpx.Client(timeout=300) as client:
        response = client.post(
            f"{base}/gradio_api/run/ask", json={"data": [question, "", "", [], 6]}
        )
    response.raise_for_status()
    return response.headers["x-served-by"], response.json()["data"][0]


def answers_from_every_worker(
    base: str, question: str, workers: int = 2, within_s: float = 120
) -> dict[str, dict]:
    """Ask in parallel on new connections until each worker has answered (or `within_s` has
    passed: which worker accepts a connection is the kernel's choice, so this is a time bound,
    not a count); the last answer of each worker by its pid."""
    by_pid: dict[str, dict] = {}
    deadline = time.monotonic() + within_s
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(by_pid) < workers and time.monotonic() < deadline:
            for pid, answer in pool.map(lambda _: ask_once(base, question), range(4)):
                by_pid[pid] = answer
    return by_pid


def test_two_workers_both_answer(served: tuple[str, str, Path]) -> None:
    base, _, _ = served
    by_pid = answers_from_every_worker(base, HOSTAGES)
    assert len(by_pid) == 2, f"answers came from {sorted(by_pid)} only"
    for answer in by_pid.values():
        assert "133" in answer["answer"]
        assert answer["citations"][0]["doc"] == "001_86b8b23eb7a99f56.txt"
    healths = {httpx.get(f"{base}/health", timeout=30).json()["pid"] for _ in range(10)}
    assert healths <= {int(p) for p in by_pid}  # /health names the same processes


def test_an_ingest_while_serving_is_answered_by_every_worker(served: tuple[str, str, Path]) -> None:
    base, chroma_url, work = served
    before = answers_from_every_worker(base, FERRY)
    assert len(before) == 2
    assert all("48,213" not in a["answer"] for a in before.values())  # not stored yet
    folder = work / "new"
    folder.mkdir()
    (folder / "quillhaven_ferry.txt").write_text(FERRY_ARTICLE)
    added = run_rag(
        "ingest",
        str(folder),
        env={"RAG_CHROMA_URL": chroma_url, "RAG_DATA_DIR": str(work / "other-client")},
    )
    assert added.returncode == 0 and "1 added" in added.stdout, added.stderr
    after = answers_from_every_worker(base, FERRY)
    assert len(after) == 2, f"answers came from {sorted(after)} only"
    for answer in after.values():
        assert "48,213" in answer["answer"], answer["answer"]
        assert answer["citations"][0]["doc"] == "quillhaven_ferry.txt"
    # BM25 too is in step: every worker has read the generation the ingest left
    generations = {httpx.get(f"{base}/health", timeout=30).json()["generation"] for _ in range(6)}
    assert len(generations) == 1


def test_a_short_load_run_on_two_workers_has_no_errors(
    tmp_path: Path, seeded_store_copy: Callable[[Path], Path]
) -> None:
    seeded = seeded_store_copy(tmp_path / "seeded")
    report = load_run(
        seconds=20, clients=6, articles=40, workdir=tmp_path, workers=2, seeded=seeded
    )
    print("\n" + report.table())
    assert report.errors == 0, report.error_samples
    assert report.unexplained == []  # as before, as after, or citing the new articles
    assert report.ingest_overlap_s > 2 and report.requests >= 6
    # how the clients' connections spread over the workers is the kernel's choice; that both
    # answer is `test_two_workers_both_answer`'s to show
    assert sum(report.answers_per_worker.values()) == report.requests


def test_several_workers_on_embedded_chroma_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_rag("serve", "--workers", "2", env={"RAG_DATA_DIR": str(data)}, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --workers 2 needs a Chroma server")
    assert "embedded Chroma" in lines[0] and "single-process" in lines[0]
    assert "RAG_CHROMA_URL" in lines[0]
    assert not (data / "chroma").exists()  # refused before anything was opened
    one = run_rag(
        "serve",
        "--workers",
        "2",
        env={
            "RAG_DATA_DIR": str(data),
            "RAG_CHROMA_URL": "http://127.0.0.1:9",
            "RAG_UI_AUTH": "ann:secret",
        },
        timeout=60,
    )
    assert one.returncode == 2 and "RAG_UI_AUTH" in one.stderr and "login" in one.stderr
    assert len(one.stderr.strip().splitlines()) == 1


def test_one_worker_with_a_login_guards_every_route(tmp_path: Path) -> None:
    """The uvicorn path mounts the app itself; the login guard must still cover the API."""
    port = free_port()
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "data"), "RAG_UI_AUTH": "ann:correct-horse"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--workers", "1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.5)
        asked = httpx.post(
            f"{base}/gradio_api/run/ask", json={"data": [HOSTAGES, "", "", [], 6]}, timeout=60
        )
        assert asked.status_code == 401
        assert httpx.get(f"{base}/health", timeout=30).status_code == 401
        assert httpx.get(f"{base}/gradio_api/info", timeout=30).status_code == 401
    finally:
        stop(proc)


def test_every_worker_serves_the_api_too(served: tuple[str, str, Path]) -> None:
    """`/v1` and `/api` are mounted in each worker (no keys: loopback callers only)."""
    base, _, _ = served

    def ask(_: int) -> str:
        with httpx.Client(timeout=300) as client:  # a new connection each time
            reply = client.post(
                f"{base}/v1/chat/completions",
                json={"messages": [{"role": "user", "content": HOSTAGES}]},
            )
        assert (
            reply.status_code == 200 and "133" in reply.json()["choices"][0]["message"]["content"]
        )
        return reply.headers["x-served-by"]

    # asked several at once, a worker busy answering leaves the next connection to the other
    # (asked one after another, the worker the kernel wakes first may take them all)
    pids: set[str] = set()
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(4):
            pids.update(pool.map(ask, range(4)))
            if len(pids) == 2:
                break
    assert len(pids) == 2, f"the API was answered by {sorted(pids)} only"
