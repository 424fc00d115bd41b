"""Several processes share one persisted BM25 index (`rag serve --workers N` on one data dir,
an ingest, `rag doctor --repair`): rebuilding it at the same time must neither fail nor leave
a broken index. Threads stand in for the processes: the lock is a `flock` on a file opened by
each caller, which serialises threads of one process just as it does processes."""

from __future__ import annotations

import threading

import pytest

from rag.index.bm25 import build_bm25, load_bm25
from rag.index.bm25_check import persisted_mismatch
from rag.index.store import Store
from rag.settings import Settings


@pytest.mark.usefixtures("seeded_data")
def test_concurrent_rebuilds_of_one_index_all_succeed_and_leave_it_whole(
    settings: Settings,
) -> None:
    store = Store.open(settings)
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def rebuild(times: int) -> None:
        start.wait()
        for _ in range(times):
            try:
                if build_bm25(store, 20) is None:
                    raise AssertionError("an empty index from a store with chunks")
                store.bump_generation()  # the next load must rebuild, as after an ingest
                if load_bm25(store, 20) is None:
                    raise AssertionError("no index loaded")
            except BaseException as err:  # noqa: BLE001 - handed to the test thread
                failures.append(err)

    threads = [threading.Thread(target=rebuild, args=(6,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    load_bm25(store, 20)
    assert persisted_mismatch(store) is None
    assert [
        p.name for p in settings.bm25_dir.parent.iterdir() if p.name.startswith(".bm25-")
    ] == []  # no half-built index left behind
