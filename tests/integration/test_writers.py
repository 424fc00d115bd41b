"""Writer safety on the real embedded store: repair, doctor, answers during a commit window.

The concurrency itself (subprocesses racing) is in tests/system/test_concurrent_writers.py;
these pin down each rule with one deliberate store state.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

from rag.assistant import Assistant
from rag.doctor import diagnose, repair
from rag.index.registry_records import ArticleClaim, ArticleRecord
from rag.index.store import Store
from rag.index.writers import RunMark, abandoned, lease_fields
from rag.ingest.pipeline import ingest
from rag.settings import Settings
from tests.helpers import SEEDS

DEIF = "002_0cdd084e739fcba0.txt"  # the seed that names the head of Hamas's terror army


@pytest.fixture
def store(settings: Settings, seeded_data: Path) -> Store:
    """The seeds' store (this test's copy, free to change)."""
    return Store.open(settings)


def test_lease_rules() -> None:
    live = ArticleRecord(status="pending", **lease_fields("run-a", 60))
    assert not abandoned(live, "run-b", exclusive=False)
    assert abandoned(live, "run-a", exclusive=False)  # a run may clear its own leftovers
    assert abandoned(live, "run-b", exclusive=True)  # the lock excludes every live writer
    assert abandoned(live, None, exclusive=False, now=live.lease_until + 1)
    old = ArticleRecord.from_metadata({"status": "pending"})  # no lease: an old record
    assert abandoned(old, "run-b", exclusive=False)


def test_doctor_finds_an_article_done_with_no_chunks(settings: Settings, store: Store) -> None:
    record = store.registry.records([DEIF])[DEIF]
    store.delete_chunks([DEIF])
    found = diagnose(store)
    assert f"{DEIF}: 0 chunks stored, the registry says {record.chunks}" in found
    store.registry.put({DEIF: replace(record, chunks=0)})  # what the lost race left behind
    assert f"{DEIF}: registered as stored with no chunks, so no question can find it" in diagnose(
        store
    )
    actions = repair(store)
    assert f"removed {DEIF} (chunks incomplete); re-ingest its file" in actions
    assert diagnose(store) == [] and DEIF not in store.registry.records()
    again = ingest([SEEDS], settings, progress=False)
    assert again.added == [DEIF] and diagnose(store) == []


def test_answers_never_cite_an_article_that_is_not_done(settings: Settings, store: Store) -> None:
    assistant = Assistant.from_settings(settings)
    question = "Who is the head of Hamas's terror army?"
    before = assistant.retrieve(question)
    assert DEIF in {n.node.metadata["doc_id"] for n in before}
    # a kill -9 inside the commit window: chunks written, the record still pending
    record = store.registry.records([DEIF])[DEIF]
    store.registry.put({DEIF: replace(record, status="pending")})
    assert DEIF not in assistant.library()
    passages = assistant.retrieve(question)
    assert passages and DEIF not in {n.node.metadata["doc_id"] for n in passages}
    answer = assistant.ask(question)
    assert DEIF not in {c.doc for c in answer.citations}
    assert DEIF not in {p.doc for p in answer.passages}


def _commit_deif_under_way(store: Store, until: Callable[[], object]) -> threading.Thread:
    """A run's commit of DEIF, in a thread, under way when this returns: the write lock held
    and DEIF's record `pending` (leased to run "run-a") until `until()` returns, then `done`
    as before. What a second writer or a reader meets in the middle of a commit."""
    record = store.registry.records([DEIF])[DEIF]
    entered = threading.Event()

    def committing() -> None:
        with store.writing():
            store.registry.put(
                {DEIF: replace(record, **lease_fields("run-a", 60), status="pending")}
            )
            entered.set()
            until()
            store.registry.put({DEIF: record})

    thread = threading.Thread(target=committing)
    thread.start()
    assert entered.wait(10)
    return thread


def test_repair_waits_for_a_commit_in_progress_and_keeps_it(
    settings: Settings, store: Store
) -> None:
    """A second run's repair starts while the first holds the write lock mid-commit."""
    other = Store.open(settings)
    release = threading.Event()
    writer = _commit_deif_under_way(store, until=lambda: release.wait(10))
    repaired: list[list[str]] = []
    repairer = threading.Thread(
        target=lambda: repaired.append(
            ingest([SEEDS], settings, store=other, progress=False).repaired
        )
    )
    repairer.start()
    time.sleep(1.0)
    assert not repaired  # blocked on the lock, not deleting the batch
    release.set()
    writer.join(10)
    repairer.join(60)
    assert repaired == [[]]
    assert DEIF in store.registry.records() and diagnose(store) == []


def _articles(folder: Path, prefix: str, count: int) -> list[Path]:
    """`count` distinct small articles named `a000.txt`... (the same names in every folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"a{i:03d}.txt"
        path.write_text(
            f"{prefix} report {i}\n\nThe {prefix} council met on day {i} and "
            f"agreed a budget of {i + 3} million for the {prefix} harbour.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_an_id_another_live_run_is_writing_from_another_file_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    """Decided under the lock against other runs' claims, as against stored records: two
    folders with the same file names end as one serial order of their ingests would."""
    first = _articles(tmp_path / "one", "North", 3)
    _articles(tmp_path / "two", "South", 3)
    store = Store.open(settings)
    with RunMark(settings.data_dir, "run-one"):  # a live run that has planned folder one
        store.claims.put(
            {
                p.name: ArticleClaim(**lease_fields("run-one", 60), path=str(p), content_hash="x")
                for p in first
            }
        )
        second = ingest([tmp_path / "two"], settings, progress=False)
        assert second.added == [] and len(second.problems) == 3
        assert all(
            "being stored from" in p.message and "by another ingest running now" in p.message
            for p in second.problems
        ), second.problems
        assert store.registry.records() == {}
    # the run died without writing: its claims lapse with it, and nothing blocks the ids
    again = ingest([tmp_path / "two"], settings, progress=False)
    assert sorted(again.added) == ["a000.txt", "a001.txt", "a002.txt"] and not again.problems
    assert store.claims.records() == {}  # the dead run's claims were cleared by repair


def test_a_claim_of_the_same_text_is_left_to_its_run_and_said_so(
    settings: Settings, tmp_path: Path
) -> None:
    paths = _articles(tmp_path / "one", "North", 2)
    store = Store.open(settings)
    from rag.ingest.readers import Limits, read_paths

    hashes = {
        d.doc_id: d.metadata["content_hash"]
        for d in read_paths([tmp_path / "one"], Limits(100, 1_000_000)).documents
    }
    with RunMark(settings.data_dir, "run-one"):
        store.claims.put(
            {
                p.name: ArticleClaim(
                    **lease_fields("run-one", 60),
                    path=str(p),
                    content_hash=hashes[p.name],
                )
                for p in paths
            }
        )
        report = ingest([tmp_path / "one"], settings, progress=False)
    assert report.added == [] and sorted(report.deferred) == ["a000.txt", "a001.txt"]
    assert "2 left to another ingest writing them now" in report.summary()


def test_prune_keeps_a_file_another_run_added_after_it_listed_the_folder(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    _articles(folder, "North", 2)
    ingest([folder], settings, progress=False)
    store = Store.open(settings)
    runs = settings.data_dir / "runs"
    pruned: list[list[str]] = []
    with store.writing():  # the pruning run lists the folder, then waits for the lock
        pruner = threading.Thread(
            target=lambda: pruned.append(
                ingest([folder], settings, prune=True, progress=False).removed
            )
        )
        pruner.start()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not (runs.exists() and any(runs.iterdir())):
            time.sleep(0.02)
        time.sleep(0.3)
        late = folder / "late.txt"
        late.write_text(
            "South report\n\nThe South council met late and agreed a budget of "
            "nine million for the South harbour.\n",
            encoding="utf-8",
        )
        assert ingest([folder], settings, store=store, progress=False).added == ["late.txt"]
    pruner.join(60)
    assert pruned == [[]], "prune removed an article whose file exists"
    assert "late.txt" in store.registry.records() and diagnose(store) == []
    late.unlink()
    assert ingest([folder], settings, prune=True, progress=False).removed == ["late.txt"]


@pytest.mark.slow
def test_several_processes_creating_one_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Creating the store is safe to race: no process is told a healthy store is damaged."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    code = (
        "from rag.index.store import Store; from rag.settings import Settings; "
        "s = Store.open(Settings()); print(s.chunks.count())"
    )
    for round_no in range(3):
        env = {
            "RAG_DATA_DIR": str(tmp_path / f"store{round_no}"),
            "PATH": "/usr/bin:/bin",
            "HF_HUB_OFFLINE": "1",
        }
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(6)
        ]
        results = [(p.wait(120), *p.communicate()) for p in procs]
        assert all(rc == 0 and out.strip() == "0" for rc, out, _ in results), results


def test_a_live_runs_pending_record_survives_repair_and_its_run_puts_it_right(
    settings: Settings, store: Store
) -> None:
    """A record of a run that is alive is never repaired away, however it came to read
    `pending` (a batch's `pending` mark came back over its `done` one
    while its run was only slow, and the next run's repair deleted it)."""
    from rag.ingest.repair import confirm_written
    from rag.ingest.repair import repair as repair_pending

    record = store.registry.records([DEIF])[DEIF]
    with RunMark(settings.data_dir, "run-slow"):
        store.registry.put({DEIF: replace(record, owner="run-slow", status="pending")})
        assert repair_pending(store, "run-other") == []
        assert diagnose(store) == []  # not reported as interrupted either
        confirm_written(store, {DEIF: record.content_hash}, "run-slow")
        assert DEIF in store.registry.records()  # done again, chunks untouched
    assert not [p for p in diagnose(store) if DEIF in p]
    store.registry.put({DEIF: replace(record, owner="run-slow", status="pending")})
    assert repair_pending(store, "run-other") == [DEIF]  # its run is gone: repaired


def test_an_answer_reads_the_store_before_or_after_a_commit_never_during(
    settings: Settings, store: Store
) -> None:
    """Retrieval holds the store's lock shared across its reads, so a commit in progress
    (here: an article marked pending, its chunks rewritten) is waited for, not read half-way
    (under load 2 of 2,162 answers matched neither the before nor the after state)."""
    assistant = Assistant.from_settings(settings)
    question = "Who is the head of Hamas's terror army?"
    assert DEIF in {n.node.metadata["doc_id"] for n in assistant.retrieve(question)}
    thread = _commit_deif_under_way(Store.open(settings), until=lambda: time.sleep(1.5))
    started = time.monotonic()
    passages = assistant.retrieve(question)
    waited = time.monotonic() - started
    thread.join(10)
    assert DEIF in {n.node.metadata["doc_id"] for n in passages}, "read mid-commit"
    assert waited > 0.5
