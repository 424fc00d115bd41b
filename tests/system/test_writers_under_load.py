"""Concurrent writers under CPU contention end exactly as a serial order of them would.

A busy loop on every core (the load an adversary found losses under) runs for the whole
module. Each scenario runs several seeded rounds of real `rag` subprocesses on one data dir:

- two ingests at the same moment of folders whose files share names but not text: the store
  must hold one folder entire (the serial result of one order), the winner must print its
  adds and the loser must refuse every shared id and exit 1, so printed counts are true;
- `rag ingest DIR --prune` beside `rag ingest DIR` that adds a file: the new article stays;
- one ingest committing chunk by chunk while fresh processes open the store, read it and run
  the repair every writer starts with: every article of the slow ingest is stored, and no
  repair removes anything (nobody died). Before the fix, a fresh process's first read could
  put a batch's `pending` mark back over its `done` one (Chroma's embedded engine replays its
  log on a process's first read), and the next repair deleted live work.

Loopback only, bounded; seeded texts.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from rag.doctor import diagnose
from rag.index.store import Store
from rag.settings import Settings
from tests.helpers import ROOT, seed_texts

pytestmark = pytest.mark.slow
ROUNDS = 3


@pytest.fixture(scope="module", autouse=True)
def busy_cores() -> Iterator[None]:
    """Every core kept busy by a spinning process while the scenarios run."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


def _articles(folder: Path, prefix: str, count: int, rng: random.Random, names: str = "a") -> None:
    """`count` articles `<names>000.txt`... of shuffled seed sentences (2-5 chunks each)."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = [
        s
        for text in seed_texts().values()
        for s in text.replace("\n", " ").split(". ")
        if len(s) > 40
    ]
    for i in range(count):
        body = ". ".join(rng.sample(sentences, rng.randint(6, 14)))
        (folder / f"{names}{i:03d}.txt").write_text(
            f"{prefix} report {i}\n\n{body}.\n", encoding="utf-8"
        )


def _rag(args: list[str], data: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", *args],
        cwd=ROOT,
        text=True,
        env={**os.environ, "RAG_DATA_DIR": str(data), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _added(output: str) -> int:
    found = re.search(r"(\d+) added", output)
    assert found, output
    return int(found.group(1))


def _stored_paths(data: Path) -> dict[str, str]:
    """Article id -> the file it was stored from."""
    return {
        doc: rec.path for doc, rec in Store.open(Settings(data_dir=data)).registry.records().items()
    }


def test_same_names_ingested_at_once_end_as_one_serial_order(tmp_path: Path) -> None:
    count = 8
    for round_no in range(ROUNDS):
        rng = random.Random(round_no)
        base = tmp_path / f"round{round_no}"
        one, two = base / "one", base / "two"
        _articles(one, "North", count, rng)
        _articles(two, "South", count, rng)
        data = base / "data"
        procs = {folder: _rag(["ingest", str(folder)], data) for folder in (one, two)}
        outputs = {folder: p.communicate(timeout=300) for folder, p in procs.items()}
        stored = _stored_paths(data)
        assert len(stored) == count, f"round {round_no}: {len(stored)} stored"
        winners = {Path(path).parent for path in stored.values()}
        assert len(winners) == 1, f"round {round_no}: a mix of both folders was stored"
        winner = winners.pop()
        loser = two if winner == one else one
        win_out, win_err = outputs[winner]
        lose_out, lose_err = outputs[loser]
        assert procs[winner].returncode == 0 and _added(win_out) == count, win_out + win_err
        assert procs[loser].returncode == 1 and _added(lose_out) == 0, lose_out + lose_err
        assert lose_err.count("not replaced") == count, lose_err
        assert diagnose(Store.open(Settings(data_dir=data))) == []


def test_prune_beside_an_ingest_keeps_the_new_article(tmp_path: Path) -> None:
    for round_no in range(ROUNDS):
        rng = random.Random(100 + round_no)
        base = tmp_path / f"round{round_no}"
        folder, data = base / "news", base / "data"
        _articles(folder, "North", 6, rng)
        first = _rag(["ingest", str(folder)], data)
        assert first.wait(300) == 0, first.communicate()
        (folder / "a000.txt").unlink()  # gone: prune must remove it
        pruner = _rag(["ingest", str(folder), "--prune"], data)
        time.sleep(rng.random() * 1.5)
        _articles(folder / "late", "Late", 2, rng, names="late")  # new, while prune runs
        adder = _rag(["ingest", str(folder)], data)
        prune_out, prune_err = pruner.communicate(timeout=300)
        add_out, add_err = adder.communicate(timeout=300)
        assert pruner.returncode == 0 and adder.returncode == 0, prune_err + add_err
        stored = _stored_paths(data)
        assert {"late/late000.txt", "late/late001.txt"} <= set(stored), (
            f"round {round_no}: prune removed a new article whose file exists: {prune_out}"
        )
        assert "a000.txt" not in stored and len(stored) == 7, sorted(stored)
        assert diagnose(Store.open(Settings(data_dir=data))) == []


REPAIRING_READER = """
from rag.index.store import Store
from rag.ingest.pipeline import repair
from rag.settings import Settings
store = Store.open(Settings())
store.registry.records()
print(len(repair(store)))
"""


def test_a_slow_writer_keeps_its_work_while_fresh_processes_read_and_repair(tmp_path: Path) -> None:
    count = 6
    for round_no in range(ROUNDS):
        rng = random.Random(200 + round_no)
        base = tmp_path / f"round{round_no}"
        folder, data = base / "slow", base / "data"
        _articles(folder, "Slow", count, rng)
        slow = _rag(["ingest", str(folder)], data, RAG_INGEST_BATCH_CHUNKS="1")
        readers: list[subprocess.Popen] = []
        while slow.poll() is None:
            time.sleep(0.3)
            if (data / "chroma" / "chroma.sqlite3").exists() and sum(
                r.poll() is None for r in readers
            ) < 4:
                readers.append(
                    subprocess.Popen(
                        [sys.executable, "-c", REPAIRING_READER],
                        cwd=ROOT,
                        text=True,
                        env={**os.environ, "RAG_DATA_DIR": str(data)},
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                    )
                )
        out, err = slow.communicate(timeout=300)
        results = [r.communicate(timeout=120) for r in readers]
        assert slow.returncode == 0 and _added(out) == count, out + err
        assert readers, "no reader ran while the slow ingest wrote"
        assert all(r.returncode == 0 for r in readers), [e for _, e in results]
        assert [o.strip() for o, _ in results if o.strip() != "0"] == [], (
            f"round {round_no}: a repair removed live work"
        )
        assert len(_stored_paths(data)) == count, f"round {round_no}: articles lost"
        assert diagnose(Store.open(Settings(data_dir=data))) == []
