"""`rag ingest` yields the CPU to a server answering on the same cores: it lowers its own
nice value (`RAG_INGEST_NICE`) before the embedder starts, and never raises one it was given."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS

pytestmark = [
    pytest.mark.slow,  # starts `rag ingest` in a subprocess
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]


def _nice_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def _ingest_nice_values(
    tmp_path: Path, env: dict[str, str], started_at: int = 0
) -> tuple[set[int], dict[int, int]]:
    """The nice values seen on the ingest's process while it ran, and each of its threads'
    last seen nice value."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest", str(SEEDS)],
        cwd=ROOT,
        env={**os.environ, "RAG_DATA_DIR": str(tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.nice(started_at),
    )  # as `nice -n` would
    main: set[int] = set()
    threads: dict[int, int] = {}
    while proc.poll() is None:
        try:
            main.add(_nice_of(proc.pid))
            for task in Path(f"/proc/{proc.pid}/task").iterdir():
                threads[int(task.name)] = _nice_of(int(task.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "5 added" in out
    return main, threads


def test_an_ingest_lowers_its_priority_before_the_embedder_starts_its_threads(
    tmp_path: Path,
) -> None:
    lower = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 7)  # this runner may be niced
    main, threads = _ingest_nice_values(tmp_path, {"RAG_INGEST_NICE": str(lower)})
    assert lower in main
    assert len(threads) > 1  # the embedder's thread pool …
    assert set(threads.values()) == {lower}, threads  # … started after, so it yields too


def test_zero_leaves_the_priority_alone_and_a_lower_priority_is_never_raised(
    tmp_path: Path,
) -> None:
    main, _ = _ingest_nice_values(tmp_path / "a", {"RAG_INGEST_NICE": "0"})
    assert main == {os.getpriority(os.PRIO_PROCESS, 0)}
    given = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 15)
    main, _ = _ingest_nice_values(
        tmp_path / "b", {"RAG_INGEST_NICE": str(given - 10)}, started_at=15
    )
    assert main == {given}
