"""The same code talks to a real `chroma run` server when RAG_CHROMA_URL is set."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.helpers import SEEDS, run_rag
from tests.helpers.servers import ChromaServer, free_port


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = ChromaServer(tmp_path / "server-data").start()
    yield server.url
    server.stop()


@pytest.fixture
def seeded_chroma_server(
    tmp_path: Path, seeded_store_copy: Callable[[Path], Path]
) -> Iterator[str]:
    """A `chroma run` serving a copy of the seeds' store (the same on-disk format)."""
    server = ChromaServer(seeded_store_copy(tmp_path / "server-data") / "chroma").start()
    yield server.url
    server.stop()


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
    answer = json.loads(
        run_rag("ask", "How many hostages are held by Hamas in Gaza?", "--json", env=env_b).stdout
    )
    assert "133 hostages" in answer["answer"]
    assert answer["citations"][0]["doc"] == "001_86b8b23eb7a99f56.txt"


def test_unreachable_server_gives_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run_rag("ask", "anything", env={"RAG_CHROMA_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: Cannot reach the Chroma server at {url}")
    assert "Traceback" not in result.stderr


def test_server_lost_mid_session_is_one_clear_message_and_recovers(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.index.store import StoreUnavailable
    from rag.settings import Settings

    server = ChromaServer(tmp_path / "server-data").start()
    try:
        settings = Settings(data_dir=tmp_path / "client", chroma_url=server.url)
        assistant = Assistant.from_settings(settings)
        assistant.ingest([SEEDS], progress=False)
        question = "How many hostages are held by Hamas in Gaza?"
        before = assistant.ask(question)
        server.stop()
        with pytest.raises(StoreUnavailable) as lost:
            assistant.ask(question)
        message = str(lost.value)
        assert message.startswith(f"Lost the Chroma server at {server.url} while answering")
        assert "Check that `chroma run` is still running" in message
        down = run_rag(
            "docs", env={"RAG_CHROMA_URL": server.url, "RAG_DATA_DIR": str(tmp_path / "cli")}
        )
        assert down.returncode == 2 and "Cannot reach the Chroma server" in down.stderr
        assert "Traceback" not in down.stderr
        server.start()  # same data, same port: the same session carries on
        after = assistant.ask(question)
        assert (after.answer, after.citations) == (before.answer, before.citations)
        assert len(assistant.store.registry.records()) == 5
    finally:
        server.stop()


def test_server_lost_mid_ingest_is_finished_by_the_next_run(tmp_path: Path) -> None:
    import threading

    from eval.bench import make_corpus
    from rag.assistant import Assistant
    from rag.doctor import diagnose
    from rag.index.store import Store, StoreUnavailable
    from rag.settings import Settings

    corpus = make_corpus(tmp_path, 40)
    server = ChromaServer(tmp_path / "server-data").start()
    try:
        settings = Settings(
            data_dir=tmp_path / "client", chroma_url=server.url, ingest_batch_chunks=8
        )
        assistant = Assistant.from_settings(settings)
        outcome: list[BaseException | None] = []

        def run() -> None:
            try:
                assistant.ingest([corpus], progress=False)
                outcome.append(None)
            except BaseException as err:  # noqa: BLE001 - handed to the test thread
                outcome.append(err)

        worker = threading.Thread(target=run)
        worker.start()
        watcher = Store.open(settings)
        deadline = time.monotonic() + 120
        while len(watcher.registry.records()) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.stop()
        worker.join(timeout=120)
        assert outcome and isinstance(outcome[0], StoreUnavailable), outcome
        assert "while ingesting" in str(outcome[0])
        assert "finished by the next `rag ingest`" in str(outcome[0])
        server.start()
        partial = len(Store.open(settings).registry.records())
        assert 8 <= partial < 40
        report = Assistant.from_settings(settings).ingest([corpus], progress=False)
        assert len(report.skipped) == partial and len(report.added) == 40 - partial
        store = Store.open(settings)
        assert diagnose(store) == [] and len(store.registry.records()) == 40
    finally:
        server.stop()


def test_repair_on_a_server_leaves_another_runs_live_lease_alone(
    seeded_chroma_server: str, tmp_path: Path
) -> None:
    """Writers on other machines share no file lock: their pending batches carry leases."""
    from rag.doctor import diagnose
    from rag.doctor import repair as doctor_repair
    from rag.index.store import Store
    from rag.index.writers import lease_fields
    from rag.ingest.pipeline import ingest, repair
    from rag.settings import Settings

    writer = Settings(data_dir=tmp_path / "machine-a", chroma_url=seeded_chroma_server)
    other = Settings(data_dir=tmp_path / "machine-b", chroma_url=seeded_chroma_server)
    doc = "002_0cdd084e739fcba0.txt"
    store_a, store_b = Store.open(writer), Store.open(other)
    record = store_a.registry.records([doc])[doc]
    # machine A is committing a new version of `doc`: pending, leased for a minute
    store_a.registry.put({doc: replace(record, **lease_fields("run-a", 60), status="pending")})
    assert repair(store_b, "run-b") == []
    assert not [p for p in diagnose(store_b) if doc in p]
    assert not [a for a in doctor_repair(store_b) if doc in a]
    assert store_b.registry.records([doc], status=None)[doc].status == "pending"
    assert repair(store_a, "run-a") == [doc]  # its own leftovers a run may clear
    # a run that died: its lease runs out, and then anyone repairs it
    store_a.registry.put(
        {doc: replace(record, owner="run-dead", lease_until=time.time() - 1, status="pending")}
    )
    assert f"{doc}: left pending by an interrupted ingest" in diagnose(store_b)
    assert repair(store_b, "run-b") == [doc]
    assert ingest([SEEDS], other, progress=False).added == [doc]
    assert [p for p in diagnose(store_b) if not p.startswith("BM25")] == []
