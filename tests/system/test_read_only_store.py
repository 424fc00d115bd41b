"""A read-only store: asking, listing and checking work; writing says so in one line; nothing
on disk changes.

Read-only is made real, not simulated: as an ordinary user the data dir is `chmod -R a-w`; as
root (who writes through any permission bits) each command runs in a private mount namespace
where the data dir is bind-mounted read-only (`unshare --mount`, needs CAP_SYS_ADMIN). The
test is skipped, saying why, only when neither is possible.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS

DEIF_QUESTION = "Who is the head of Hamas's terror army?"
_READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"'


def _snapshot(data: Path) -> dict[str, str]:
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file()
    }


def _with_data_read_only(
    data: Path, command: list[str], script: str = _READ_ONLY_MOUNT
) -> list[str]:
    """`command` run in a mount namespace of its own in which `data` is bind-mounted
    read-only: root ignores permission bits, so for root only a read-only mount stops a
    write."""
    unshare = ["unshare", "--mount", "--propagation", "private"]
    return [*unshare, "sh", "-c", script, "sh", str(data), *command]


class ReadOnly:
    """Runs `rag` against a data dir this process cannot write."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.root = os.geteuid() == 0
        if self.root:
            probe = subprocess.run(
                _with_data_read_only(
                    data, ["touch", str(data / "probe")], script=_READ_ONLY_MOUNT + " ; exit 0"
                ),
                capture_output=True,
                text=True,
            )
            if probe.returncode == 0 or "Read-only file system" not in probe.stderr:
                pytest.skip(
                    "running as root and a read-only bind mount is not possible here "
                    f"(unshare: {probe.stderr.strip()[:120]})"
                )
        else:
            for path in [data, *data.rglob("*")]:
                path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "RAG_DATA_DIR": str(self.data)}
        command = [sys.executable, "-m", "rag.cli", *args]
        if self.root:
            command = _with_data_read_only(self.data, command)
        return subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
        )

    def restore(self) -> None:
        if not self.root:
            for path in [self.data, *self.data.rglob("*")]:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_read_commands_work_and_writes_say_read_only_in_one_line(seeded_data: Path) -> None:
    data = seeded_data
    (data / "bm25" / "articles" / "generation.txt").write_text("stale")  # must rebuild
    before = _snapshot(data)
    store = ReadOnly(data)
    try:
        docs = store.run("docs")
        stats = store.run("stats")
        ask = store.run("ask", DEIF_QUESTION, "--json")
        doctor = store.run("doctor")
        ingest = store.run("ingest", str(SEEDS))
        delete = store.run("delete", "002_0cdd084e739fcba0.txt")
    finally:
        store.restore()
    assert docs.returncode == 0 and docs.stdout.count(".txt") == 5, docs.stderr
    assert stats.returncode == 0 and "date_range" in stats.stdout, stats.stderr
    assert ask.returncode == 0, ask.stderr
    assert '"doc": "002_0cdd084e739fcba0.txt"' in ask.stdout and "Mohammed Deif" in ask.stdout
    assert "Traceback" not in ask.stderr
    assert ask.stderr.count("built it in memory for this run") == 1  # said once
    assert doctor.returncode == 1 and "BM25 index is out of step" in doctor.stdout
    for write in (ingest, delete):
        lines = [ln for ln in write.stderr.splitlines() if ln.strip()]
        assert write.returncode == 2 and len(lines) == 1, write.stderr
        assert lines[0].startswith(f"error: The store at {data.resolve()} is read-only (")
        assert "nothing was changed" in lines[0]
    assert _snapshot(data) == before  # nothing written, nothing lost
