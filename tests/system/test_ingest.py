"""Incremental ingest: skip unchanged, replace changed, prune, survive bad files and kill -9."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from eval.bench import make_corpus
from rag.index.store import Store
from rag.ingest.pipeline import ingest
from rag.settings import Settings
from tests.helpers import ROOT, SEEDS


def _copy_seeds(dest: Path) -> Path:
    shutil.copytree(SEEDS, dest)
    return dest


def consistency_problems(store: Store) -> list[str]:
    """What `rag doctor` reports, less the BM25 check (in-process ingests rebuild it)."""
    from rag.doctor import diagnose

    return [p for p in diagnose(store) if not p.startswith("BM25")]


def test_reingest_skips_unchanged_without_embedding(settings: Settings, tmp_path: Path) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    first = ingest([corpus], settings, progress=False)
    assert len(first.added) == 5 and first.chunks > 20
    store = Store.open(settings)
    before = store.chunks.count()
    generation = store.generation()
    second = ingest([corpus], settings, progress=False)
    assert len(second.skipped) == 5 and not (second.added or second.updated)
    assert second.chunks == 0  # nothing chunked or embedded
    assert store.chunks.count() == before
    assert store.generation() == generation  # nothing written


def test_changed_article_replaces_its_chunks(settings: Settings, tmp_path: Path) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    ingest([corpus], settings, progress=False)
    target = corpus / "004_7dc90b1bd24fe7e6.txt"
    target.write_text("Pier update\n\nThe floating pier was dismantled on a Wednesday.\n")
    report = ingest([corpus], settings, progress=False)
    assert report.updated == ["004_7dc90b1bd24fe7e6.txt"] and len(report.skipped) == 4
    store = Store.open(settings)
    texts = [r["text"] for r in store.chunk_records({"doc_id": "004_7dc90b1bd24fe7e6.txt"})]
    assert texts == ["Pier update\n\nThe floating pier was dismantled on a Wednesday."]
    assert not consistency_problems(store)
    ids = [r["id"] for r in store.chunk_records()]
    assert len(ids) == len(set(ids))


def test_prune_removes_deleted_articles_only(settings: Settings, tmp_path: Path) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    ingest([corpus], settings, progress=False)
    (corpus / "001_86b8b23eb7a99f56.txt").unlink()
    kept = ingest([corpus], settings, progress=False)  # without --prune nothing is removed
    assert kept.removed == [] and len(Store.open(settings).registry.records()) == 5
    # a file that is present but now unreadable is not pruned: its stored copy survives
    (corpus / "002_0cdd084e739fcba0.txt").write_bytes(b"\xff\xfe broken")
    pruned = ingest([corpus], settings, prune=True, progress=False)
    assert pruned.removed == ["001_86b8b23eb7a99f56.txt"]
    assert pruned.failed
    records = Store.open(settings).registry.records()
    assert "002_0cdd084e739fcba0.txt" in records and len(records) == 4
    assert not consistency_problems(Store.open(settings))


def test_bad_files_are_reported_and_nothing_stored_is_lost(tmp_path: Path) -> None:
    from tests.helpers import run_rag

    corpus = _copy_seeds(tmp_path / "seeds")
    assert run_rag("ingest", str(corpus)).returncode == 0
    (corpus / "bad.bin.txt").write_bytes(os.urandom(64) + b"\x00")
    (corpus / "feed.jsonl").write_text('{"id": "n1", "text": "New article text."}\nnot json\n')
    (corpus / "003_450532c52fe375e5.txt").write_bytes(b"")  # emptied: keep the stored copy
    result = run_rag("ingest", str(corpus))
    assert result.returncode == 1
    assert f"skipped {corpus / 'bad.bin.txt'}: looks binary" in result.stderr
    assert f"skipped {corpus / 'feed.jsonl'}:2: malformed JSON" in result.stderr
    assert f"skipped {corpus / '003_450532c52fe375e5.txt'}: file is empty" in result.stderr
    assert "1 added, 0 updated, 4 skipped" in result.stdout
    docs = json.loads(run_rag("docs", "--json").stdout)
    assert {d["doc"] for d in docs} == {p.name for p in SEEDS.iterdir()} | {"n1"}


def test_kill_9_mid_ingest_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, 40)
    data = tmp_path / "crash-data"
    env = {**os.environ, "RAG_DATA_DIR": str(data), "RAG_INGEST_BATCH_CHUNKS": "8"}
    settings = Settings(data_dir=data)
    rng = random.Random(1)
    for attempt in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "ingest", str(corpus)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        wanted = 2 + attempt * 10 + rng.randint(0, 5)
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                done = len(Store.open(settings).registry.records())
            except Exception:
                done = 0
            if done >= wanted:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be killed"
        time.sleep(rng.random() * 0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        store = Store.open(settings)
        done_now = store.registry.records()
        assert 0 < len(done_now) < 40
        # whatever the kill left half-written, answers only read articles `rag docs` lists
        from rag.assistant import Assistant

        reader = Assistant.from_settings(settings)
        passages = reader.retrieve(
            "How many hostages are held by Hamas in Gaza?", top_k=20, per_article=20
        )
        assert {n.node.metadata["doc_id"] for n in passages} <= set(reader.library())
    rerun = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ingest", str(corpus)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    store = Store.open(settings)
    assert consistency_problems(store) == []
    assert len(store.registry.records()) == 40
    ids = [r["id"] for r in store.chunk_records()]
    assert len(ids) == len(set(ids))
    again = ingest([corpus], settings, progress=False)
    assert len(again.skipped) == 40
    doctor = subprocess.run(
        [sys.executable, "-m", "rag.cli", "doctor"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert doctor.returncode == 0 and "is consistent" in doctor.stdout


def test_doctor_finds_and_repairs_damage(settings: Settings, tmp_path: Path) -> None:
    from rag.doctor import diagnose, repair

    corpus = _copy_seeds(tmp_path / "seeds")
    ingest([corpus], settings, progress=False)
    store = Store.open(settings)
    assert diagnose(store) == []
    # damage: one chunk of 002 lost, an orphan chunk, a half-written article
    store.chunks.delete(ids=["002_0cdd084e739fcba0.txt#1"])
    orphan = store.chunks.get(
        ids=["001_86b8b23eb7a99f56.txt#0"], include=["embeddings", "documents", "metadatas"]
    )
    store.chunks.add(
        ids=["ghost#0"],
        embeddings=orphan["embeddings"],
        documents=orphan["documents"],
        metadatas=[{**orphan["metadatas"][0], "doc_id": "ghost"}],
    )
    store.registry.put(
        {
            "003_450532c52fe375e5.txt": replace(
                store.registry.records(["003_450532c52fe375e5.txt"])["003_450532c52fe375e5.txt"],
                status="pending",
            )
        }
    )
    found = diagnose(store)
    assert "002_0cdd084e739fcba0.txt: 5 chunks stored, the registry says 6" in found
    assert "ghost: 1 orphan chunk(s) of an article the registry does not know" in found
    assert "003_450532c52fe375e5.txt: left pending by an interrupted ingest" in found
    assert "BM25 index is out of step with the store" in found
    actions = repair(store)
    assert "removed orphan chunks of ghost" in actions
    assert diagnose(store) == []
    again = ingest([corpus], settings, progress=False)  # the files bring them back
    assert sorted(again.added) == ["002_0cdd084e739fcba0.txt", "003_450532c52fe375e5.txt"]
    assert diagnose(store) == [] and len(store.registry.records()) == 5


def test_bm25_follows_incremental_ingest(settings: Settings, tmp_path: Path) -> None:
    from llama_index.core.schema import QueryBundle

    from rag.assistant import Assistant

    corpus = _copy_seeds(tmp_path / "seeds")
    assistant = Assistant.from_settings(settings)
    assistant.ingest([corpus], progress=False)
    assert assistant.retriever.bm25() is not None
    (corpus / "001_86b8b23eb7a99f56.txt").write_text(
        "Zanzibar ferry\n\nThe zanzibar ferry sailed at dawn.\n"
    )
    assistant.ingest([corpus], progress=False)
    hits = assistant.retriever.bm25().retrieve(QueryBundle("zanzibar ferry"))
    assert [h.node.metadata["doc_id"] for h in hits] == ["001_86b8b23eb7a99f56.txt"]
    old_words = assistant.retriever.bm25().retrieve(
        QueryBundle("Blinken Rafah Netanyahu ceasefire")
    )
    assert "001_86b8b23eb7a99f56.txt" not in {h.node.metadata["doc_id"] for h in old_words}
    # the index on disk is reused by a new process-level reader at the same generation
    marker = settings.bm25_dir / "generation.txt"
    assert marker.read_text() == assistant.store.generation()
