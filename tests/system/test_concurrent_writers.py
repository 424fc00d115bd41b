"""Concurrent writers must not destroy each other's work.

Each round starts two real `rag ingest` subprocesses on different folders of one data dir
and, while they run, uploads files one at a time through `ui.uploads.save_and_ingest`. Every
writing run begins with `repair()`, which used to delete whatever batch another run was
committing at that moment; a thread here calls that same `repair()` in a loop, as a stream of
writers starting up would, so the race is met every round rather than now and then. Small
batches (`RAG_INGEST_BATCH_CHUNKS=4`) make many commit windows. The store must then equal a
serial ingest of the same files: the same article ids, content hashes and chunk counts (in
the registry and in the chunk collection), and `rag doctor` must find it consistent; the
repair loop must never have removed anything, since nobody died. Seeded, loopback only,
bounded.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.doctor import diagnose
from rag.index.store import Store
from rag.ingest.pipeline import repair
from rag.settings import Settings
from tests.helpers import ROOT, run_rag, seed_texts
from ui.uploads import save_and_ingest

pytestmark = pytest.mark.slow

ROUNDS = 3
FILES_PER_FOLDER = 4
UPLOADS = 2


def _write_articles(folder: Path, prefix: str, count: int, rng: random.Random) -> list[Path]:
    """`count` small articles (two to five chunks each) made of shuffled seed sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = [
        s
        for text in seed_texts().values()
        for s in text.replace("\n", " ").split(". ")
        if len(s) > 40
    ]
    paths = []
    for i in range(count):
        body = ". ".join(rng.sample(sentences, rng.randint(8, 18)))
        path = folder / f"{prefix}_{i:03d}.txt"
        path.write_text(f"{prefix.upper()} report {i}\n\n{body}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def _state(settings: Settings) -> dict[str, tuple[str, int, int]]:
    """Article id -> (content hash, chunks the registry records, chunks actually stored)."""
    store = Store.open(settings)
    stored: dict[str, int] = {}
    for chunk in store.chunk_records():
        doc = chunk["metadata"]["doc_id"]
        stored[doc] = stored.get(doc, 0) + 1
    return {
        doc: (rec.content_hash, rec.chunks, stored.get(doc, 0))
        for doc, rec in store.registry.records().items()
    }


def _repair_loop(settings: Settings, stop: threading.Event, removed: list[str]) -> None:
    """What each writer does first, over and over until `stop`."""
    store = Store.open(settings)
    while not stop.is_set():
        removed += repair(store)
        time.sleep(0.02)


def test_two_ingests_and_uploads_at_once_equal_a_serial_ingest(tmp_path: Path) -> None:
    rng = random.Random(18)
    started = time.monotonic()
    for round_no in range(ROUNDS):
        base = tmp_path / f"round{round_no}"
        folder_a, folder_b = base / "a", base / "b"
        _write_articles(folder_a, f"a{round_no}", FILES_PER_FOLDER, rng)
        _write_articles(folder_b, f"b{round_no}", FILES_PER_FOLDER, rng)
        uploads = _write_articles(base / "incoming", f"up{round_no}", UPLOADS, rng)

        data = base / "data"
        settings = Settings(data_dir=data, ingest_batch_chunks=4)
        env = {**os.environ, "RAG_DATA_DIR": str(data), "RAG_INGEST_BATCH_CHUNKS": "4"}
        assistant = Assistant.from_settings(settings)
        assistant.embed_model  # warm, so uploads land while the subprocesses commit
        stop, removed = threading.Event(), []
        repairer = threading.Thread(target=_repair_loop, args=(settings, stop, removed))
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "rag.cli", "ingest", str(folder)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in (folder_a, folder_b)
        ]
        repairer.start()
        try:
            time.sleep(0.5 + rng.random())
            for path in uploads:  # one run per file
                results = save_and_ingest(assistant, [(path.name, path)])
                assert [r.result for r in results] == ["added"], results
                time.sleep(rng.random() * 0.5)
            outputs = [p.communicate(timeout=120) for p in procs]
        finally:
            stop.set()
            repairer.join(30)
            for p in procs:
                if p.poll() is None:
                    p.kill()
        for proc, (out, err) in zip(procs, outputs):
            assert proc.returncode == 0, err
            assert f"{FILES_PER_FOLDER} added" in out, out

        serial = Settings(data_dir=base / "serial", ingest_batch_chunks=4)
        serial_assistant = Assistant.from_settings(serial)
        serial_assistant.ingest([folder_a, folder_b], progress=False)
        save_and_ingest(serial_assistant, [(path.name, path) for path in uploads])

        concurrent_state, serial_state = _state(settings), _state(serial)
        assert len(serial_state) == 2 * FILES_PER_FOLDER + UPLOADS
        missing = sorted(set(serial_state) - set(concurrent_state))
        assert not missing, f"round {round_no}: articles lost: {missing}; repair removed {removed}"
        assert concurrent_state == serial_state, f"round {round_no}"
        assert all(
            hash_ and n == stored and n > 0 for hash_, n, stored in concurrent_state.values()
        )
        assert removed == [], f"round {round_no}: repair removed live work: {removed}"
        assert diagnose(Store.open(settings)) == [], f"round {round_no}"
    doctor = run_rag("doctor", env={"RAG_DATA_DIR": str(data)}, timeout=120)
    assert doctor.returncode == 0 and "is consistent" in doctor.stdout, doctor.stdout
    # about 25 s a round on two busy cores; the bound only catches a writer stuck on the lock
    assert time.monotonic() - started < 300
