"""`rag ingest --engine ray` against a real local Ray (2 CPUs) and a real `chroma run`.

One Ray and one Chroma server serve the whole module (Ray takes tens of seconds to start on
this machine). Ray is started in this test process, so its workers are this process's
descendants: the fault tests find and kill exactly those, never anyone else's. Each test
ingests into its own collection of the shared server; the reference is the local engine's
store of the same corpus.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.helpers import ROOT, SEEDS, run_rag
from tests.helpers.servers import ChromaServer

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'rag-news[ray]'")

WORKER_TITLE = "MapWorker"  # Ray names an actor pool worker's process after the actor class


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus 40 generated articles (a feed): enough batches to interrupt."""
    from eval.bench import make_corpus

    folder = tmp_path_factory.mktemp("corpus")
    (folder / "seeds").mkdir()
    for seed in SEEDS.iterdir():
        (folder / "seeds" / seed.name).write_bytes(seed.read_bytes())
    make_corpus(folder, 40, seeds=SEEDS)
    return folder


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "data").start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A local Ray with 2 CPUs, started here and stopped at the end of the module."""
    ray.init(
        num_cpus=2,
        object_store_memory=300 * 1024 * 1024,
        include_dashboard=False,
        logging_level="ERROR",
        log_to_driver=False,
    )
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def reference(
    chroma: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The local engine's store of the corpus: chunk id -> (text, vector)."""
    env = _env(chroma, "local", tmp_path_factory.mktemp("local"))
    done = run_rag("ingest", str(corpus), "--engine", "local", env=env)
    assert done.returncode == 0, done.stderr
    chunks = _chunks(chroma, "local")
    assert len(chunks) > 60  # 45 articles, several chunks each
    return chunks


def _env(chroma: str, collection: str, data: Path, **extra: str) -> dict[str, str]:
    return {
        "RAG_CHROMA_URL": chroma,
        "RAG_COLLECTION": collection,
        "RAG_DATA_DIR": str(data),
        **extra,
    }


def _collection(chroma: str, name: str) -> Any:
    from urllib.parse import urlparse

    import chromadb

    url = urlparse(chroma)
    return chromadb.HttpClient(host=url.hostname, port=url.port).get_collection(name)


def _chunks(chroma: str, collection: str) -> dict[str, tuple[str, list[float]]]:
    got = _collection(chroma, collection).get(include=["documents", "embeddings"])
    return {i: (t, list(v)) for i, t, v in zip(got["ids"], got["documents"], got["embeddings"])}


def _done(chroma: str, collection: str) -> int:
    try:
        got = _collection(chroma, collection + "__articles").get(where={"status": "done"})
    except Exception:  # noqa: BLE001 - not created yet
        return 0
    return len(got["ids"])


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def _assert_same_store(chroma: str, collection: str, reference: dict[str, Any]) -> None:
    got = _chunks(chroma, collection)
    assert sorted(got) == sorted(reference)  # same chunk ids: nothing missing or duplicated
    for chunk_id, (text, vector) in reference.items():
        assert got[chunk_id][0] == text, chunk_id
        assert _cosine(got[chunk_id][1], vector) >= 0.9999, chunk_id


def _doctor_clean(env: dict[str, str]) -> None:
    doctor = run_rag("doctor", env=env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "is consistent" in doctor.stdout


def _descendants(pid: int) -> list[int]:
    """Processes started (directly or not) by `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent:
                found.append(child)
                frontier.append(child)
    return found


def _ray_workers() -> list[int]:
    """Our Ray's embedding workers (this test process's descendants only)."""
    pids = []
    for pid in _descendants(os.getpid()):
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if WORKER_TITLE in title:
            pids.append(pid)
    return pids


def _start_ingest(corpus: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest", str(corpus), "--engine", "ray"],
        env={**os.environ, **env},
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_progress(
    chroma: str, collection: str, proc: subprocess.Popen, timeout: float = 400
) -> int:
    """Until the run has committed something (and is still running); the articles done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = _done(chroma, collection)
        if done:
            return done
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    raise AssertionError("the Ray ingest committed nothing in time")


def test_ray_engine_stores_what_the_local_engine_stores(
    chroma: str, corpus: Path, ray_address: str, reference: dict[str, Any], tmp_path: Path
) -> None:
    env = _env(chroma, "ray", tmp_path, RAY_ADDRESS=ray_address)
    first = run_rag("ingest", str(corpus), "--engine", "ray", env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("45 added, 0 updated, 0 skipped")
    assert "Traceback" not in first.stderr and "WARNING" not in first.stderr, first.stderr
    _assert_same_store(chroma, "ray", reference)
    # the registry is the local engine's: incremental by content hash, then clean
    again = run_rag("ingest", str(corpus), "--engine", "ray", env=env, timeout=600)
    assert again.stdout.startswith("0 added, 0 updated, 45 skipped"), again.stdout
    _doctor_clean(env)


def test_a_worker_killed_mid_run_is_retried_and_nothing_is_duplicated(
    chroma: str, corpus: Path, ray_address: str, reference: dict[str, Any], tmp_path: Path
) -> None:
    env = _env(
        chroma,
        "ray_killed_worker",
        tmp_path,
        RAY_ADDRESS=ray_address,
        RAG_RAY_BATCH_ARTICLES="2",
        RAG_INGEST_BATCH_CHUNKS="8",
    )
    proc = _start_ingest(corpus, env)
    done_at_kill = _wait_for_progress(chroma, "ray_killed_worker", proc)
    workers = _ray_workers()
    assert workers, "no Ray embedding worker found among this test's processes"
    for pid in workers:  # every in-flight batch is lost
        os.kill(pid, signal.SIGKILL)
    assert done_at_kill < 45  # work was left when the workers died
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert out.startswith("45 added, 0 updated, 0 skipped"), out  # the CLI's stdout is its own
    assert "died" in err and "Ray runs the batch again" in err, err  # Ray saw the death
    _assert_same_store(chroma, "ray_killed_worker", reference)
    _doctor_clean(env)


def test_a_killed_ray_run_is_repaired_by_the_next(
    chroma: str, corpus: Path, ray_address: str, reference: dict[str, Any], tmp_path: Path
) -> None:
    env = _env(
        chroma,
        "ray_killed_driver",
        tmp_path,
        RAY_ADDRESS=ray_address,
        RAG_RAY_BATCH_ARTICLES="2",
        RAG_INGEST_BATCH_CHUNKS="8",
        RAG_WRITE_LEASE_SECONDS="3",
    )
    proc = _start_ingest(corpus, env)
    done_at_kill = _wait_for_progress(chroma, "ray_killed_driver", proc)
    proc.kill()  # the whole `rag ingest` (the Ray driver), mid-run
    proc.communicate()
    assert done_at_kill < 45
    time.sleep(3.5)  # the killed run's lease on its last batch runs out
    broken = run_rag("doctor", env=env)
    stored = _done(chroma, "ray_killed_driver")
    assert stored < 45 and broken.returncode in (0, 1)
    again = run_rag("ingest", str(corpus), "--engine", "ray", env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{45 - stored} added, 0 updated, {stored} skipped" in again.stdout, again.stdout
    _assert_same_store(chroma, "ray_killed_driver", reference)
    _doctor_clean(env)


def test_ray_engine_without_ray_is_one_clear_line(tmp_path: Path) -> None:
    """A `ray` that cannot be imported stands for Ray not installed."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "ray.py").write_text("raise ImportError('No module named ray')\n")
    env = {
        "RAG_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(shadow)]),
    }
    result = run_rag("ingest", str(SEEDS), "--engine", "ray", env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: Ray is not installed: pip install 'rag-news[ray]'"
    local = run_rag("ingest", str(SEEDS), env=env)  # the default engine needs no Ray
    assert local.returncode == 0 and local.stdout.startswith("5 added"), local.stderr


def test_unreachable_ray_address_is_one_clear_line(tmp_path: Path) -> None:
    from tests.helpers.servers import free_port

    address = f"127.0.0.1:{free_port()}"
    result = run_rag(
        "ingest",
        str(SEEDS),
        "--engine",
        "ray",
        timeout=120,
        env={"RAG_DATA_DIR": str(tmp_path), "RAY_ADDRESS": address},
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        f"error: Cannot reach the Ray cluster at RAY_ADDRESS={address} ("
    ), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
