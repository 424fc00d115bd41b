"""Writer safety on the real embedded store: repair, doctor, answers during a commit window.

The concurrency itself (subprocesses racing) is in tests/system/test_concurrent_writers.py;
these pin down each rule with one deliberate store state.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from rag.assistant import Assistant
from rag.doctor import diagnose, repair
from rag.index.store import Store
from rag.index.writers import abandoned, lease_fields
from rag.ingest.pipeline import ingest
from rag.settings import Settings
from tests.helpers import SEEDS

DEIF = "002_0cdd084e739fcba0.txt"  # the seed that names the head of Hamas's terror army


def _seeded(settings: Settings, tmp_path: Path) -> Store:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    ingest([corpus], settings, progress=False)
    return Store.open(settings)


def test_lease_rules() -> None:
    live = {"status": "pending", **lease_fields("run-a", 60)}
    assert not abandoned(live, "run-b", exclusive=False)
    assert abandoned(live, "run-a", exclusive=False)  # a run may clear its own leftovers
    assert abandoned(live, "run-b", exclusive=True)  # the lock excludes every live writer
    assert abandoned(live, None, exclusive=False, now=live["lease_until"] + 1)
    assert abandoned({"status": "pending"}, "run-b", exclusive=False)  # no lease: old record


def test_doctor_finds_an_article_done_with_no_chunks(settings: Settings, tmp_path: Path
                                                     ) -> None:
    store = _seeded(settings, tmp_path)
    record = store.article_records([DEIF])[DEIF]
    store.delete_chunks([DEIF])
    found = diagnose(store)
    assert f"{DEIF}: 0 chunks stored, the registry says {record['chunks']}" in found
    store.put_articles({DEIF: {**record, "chunks": 0}})  # what the lost race left behind
    assert f"{DEIF}: registered as stored with no chunks, so no question can find it" \
        in diagnose(store)
    actions = repair(store)
    assert f"removed {DEIF} (chunks incomplete); re-ingest its file" in actions
    assert diagnose(store) == [] and DEIF not in store.article_records()
    again = ingest([tmp_path / "seeds"], settings, progress=False)
    assert again.added == [DEIF] and diagnose(store) == []


def test_answers_never_cite_an_article_that_is_not_done(settings: Settings, tmp_path: Path
                                                       ) -> None:
    store = _seeded(settings, tmp_path)
    assistant = Assistant.from_settings(settings)
    question = "Who is the head of Hamas's terror army?"
    before = assistant.retrieve(question)
    assert DEIF in {n.node.metadata["doc_id"] for n in before}
    # a kill -9 inside the commit window: chunks written, the record still pending
    record = store.article_records([DEIF])[DEIF]
    store.put_articles({DEIF: {**record, "status": "pending"}})
    assert DEIF not in assistant.library()
    passages = assistant.retrieve(question)
    assert passages and DEIF not in {n.node.metadata["doc_id"] for n in passages}
    answer = assistant.ask(question)
    assert DEIF not in {c.doc for c in answer.citations}
    assert DEIF not in {p.doc for p in answer.passages}


def test_repair_waits_for_a_commit_in_progress_and_keeps_it(settings: Settings,
                                                           tmp_path: Path) -> None:
    """A second run's repair starts while the first holds the write lock mid-commit."""
    store = _seeded(settings, tmp_path)
    record = store.article_records([DEIF])[DEIF]
    other = Store.open(settings)
    entered, release = threading.Event(), threading.Event()

    def committing() -> None:
        with store.writing():
            store.put_articles({DEIF: {**record, **lease_fields("run-a", 60),
                                       "status": "pending"}})
            entered.set()
            release.wait(10)
            store.put_articles({DEIF: record})

    writer = threading.Thread(target=committing)
    writer.start()
    assert entered.wait(10)
    repaired: list[list[str]] = []
    repairer = threading.Thread(target=lambda: repaired.append(ingest(
        [tmp_path / "seeds"], settings, store=other, progress=False).repaired))
    repairer.start()
    time.sleep(1.0)
    assert not repaired  # blocked on the lock, not deleting the batch
    release.set()
    writer.join(10)
    repairer.join(60)
    assert repaired == [[]]
    assert DEIF in store.article_records() and diagnose(store) == []
