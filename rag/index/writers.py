"""Several writers on one store: a file lock for commit windows, leases on pending records.

Every run that writes (`rag ingest`, a UI upload, `rag doctor --repair`, `rag delete`) starts
by removing the articles an interrupted run left `pending`; done blindly, that would also
remove the batch another live run is committing at that moment, silently losing it. Two
mechanisms tell an abandoned batch from a live one:

- **The write lock** (`<data_dir>/write.lock`, via `filelock`): a run holds it from marking a
  batch pending until marking it done, and while repairing, pruning or rebuilding BM25. For
  the embedded store every writer is on this machine and uses this data dir, so a run that
  holds the lock knows any pending record it sees belongs to a run that died.
- **Leases**, for a `chroma run` server, whose writers may sit on other machines where the
  lock is not shared: each pending record carries its run's `owner` id and a `lease_until`
  time (epoch seconds), written afresh for every batch. Repair removes a pending record only
  when its lease has expired or it is the repairing run's own. A lease must outlast one
  batch's commit (`RAG_WRITE_LEASE_SECONDS`, 120 by default); writers' clocks must agree to
  within a small part of it.
- **Claims**, so two runs never both decide to write one article id: a run decides, under
  the lock, which articles it will write and claims their ids (`<collection>__claims`, one
  record per id: owner, file, content hash, lease) before it embeds anything. A later run
  that reads the same id from another file sees the claim and refuses it, exactly as it would
  refuse it once stored, so two concurrent ingests end as one serial order of them would.
  A claim lives while its run does: on the embedded store that is the run's
  `RunMark`, a lock file held for the run's lifetime that the kernel releases when the
  process dies, so a run that is only slow never loses its claims; on a server, the lease,
  renewed by every commit.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Protocol

from rag.errors import StoreUnavailable
from rag.index.registry_records import ArticleClaim

LOCK_FILE = "write.lock"
RUNS_DIR = "runs"
LOCK_TIMEOUT_S = 600.0


def new_run_id() -> str:
    """A fresh id for one writing run (an ingest, an upload, a repair)."""
    return uuid.uuid4().hex[:16]


def lease_fields(run_id: str, lease_seconds: float) -> dict[str, Any]:
    """What a pending record carries so other runs know it is being written, and until when."""
    return {"owner": run_id, "lease_until": time.time() + lease_seconds}


class Leased(Protocol):
    """A record written under a run's lease: an `ArticleRecord` or a `ArticleClaim`."""

    @property
    def owner(self) -> str: ...

    @property
    def lease_until(self) -> float: ...


def abandoned(
    record: Leased,
    run_id: str | None,
    *,
    exclusive: bool,
    now: float | None = None,
    data_dir: Path | None = None,
) -> bool:
    """Whether a pending `record` was left by a run that is gone, so repair may remove it.

    A record of the caller's own run is always its to clear. A record whose run still holds
    its `RunMark` in `data_dir` is never abandoned, however long it has been pending: a run
    that is only slow keeps its work (it confirms its records at its end). Otherwise
    `exclusive` (the caller holds the write lock and every writer of this store takes it:
    the embedded store) means no other run is mid-commit; on a server the record is
    abandoned when its lease has expired; records written before leases existed carry none
    and count as expired.
    """
    owner = str(record.owner or "")
    if run_id is not None and owner == run_id:
        return True
    if data_dir is not None and owner and run_is_live(data_dir, owner):
        return False
    if exclusive:
        return True
    try:
        until = float(record.lease_until or 0.0)
    except (TypeError, ValueError):
        until = 0.0
    return until < (time.time() if now is None else now)


class WriteLock:
    """The data dir's lock: held exclusively by writers (reentrant per thread) and shared by
    readers (`reading`), by processes on this machine.

    Readers need it too because Chroma's embedded engine is not safe for several processes:
    the first read of a collection in a process (and reads that find the log ahead of the
    process's indexes) re-applies the write log from a watermark read outside any
    transaction, so a read racing another process's commit can put back a record's older
    value: a batch's `pending` mark over its `done` one, after which any repair removed a
    live run's work. Holding the lock shared for every Chroma call
    keeps each read away from commits, and commits away from reads."""

    def __init__(self, data_dir: Path, timeout: float = LOCK_TIMEOUT_S) -> None:
        from filelock import FileLock

        self.path = data_dir / LOCK_FILE
        self.timeout = timeout
        # one instance per file in this process, so two Store objects on one data dir nest
        # instead of blocking each other; threads still exclude one another
        self._lock = FileLock(str(self.path.resolve()), is_singleton=True)
        self._depth = _held_depths.setdefault(str(self.path.resolve()), threading.local())

    def held_here(self) -> bool:
        """Whether this thread holds the lock exclusively (so it may read and write)."""
        return getattr(self._depth, "n", 0) > 0

    def __enter__(self) -> "WriteLock":
        from filelock import Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=self.timeout)
        except Timeout as err:
            raise self._held_too_long() from err
        self._depth.n = getattr(self._depth, "n", 0) + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth.n -= 1
        self._lock.release()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock shared: no writer's commit is under way until this ends. Nothing
        to take when this thread already holds it exclusively."""
        if self.held_here() or getattr(self._depth, "shared", 0) > 0:
            yield  # held already, by this thread: one hold is enough
            return
        # a store on a `chroma run` server keeps only this lock file in the data dir, which a
        # fresh client may not have made yet: its first read creates it, as a write does
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise self._held_too_long() from None
                    time.sleep(0.005)
            self._depth.shared = 1
            try:
                yield
            finally:
                self._depth.shared = 0
        finally:
            os.close(fd)  # closing the descriptor drops its lock

    def _held_too_long(self) -> StoreUnavailable:
        return StoreUnavailable(
            f"{self.path}: another writer has held this lock for over {self.timeout:.0f} s; "
            "wait for the other `rag ingest` to finish, or stop it and run `rag doctor "
            "--repair`"
        )


_held_depths: dict[str, threading.local] = {}  # per lock file: this thread's exclusive depth


class GuardedCollection:
    """A Chroma collection whose every call holds the store's `WriteLock`: reads shared,
    writes exclusive (see `WriteLock` for why reads need it on the embedded store)."""

    _READS = frozenset({"get", "query", "count", "peek"})
    _WRITES = frozenset({"add", "upsert", "update", "delete", "modify"})

    def __init__(self, collection: Any, lock: WriteLock) -> None:
        self._collection = collection
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._collection, name)
        if name not in self._READS | self._WRITES:
            return attr
        guard = self._lock.reading if name in self._READS else lambda: self._lock

        def guarded(*args: Any, **kwargs: Any) -> Any:
            with guard():
                return attr(*args, **kwargs)

        return guarded


class RunMark:
    """Held for one writing run's lifetime: `<data_dir>/runs/<run_id>.lock`, locked with
    `flock`. The kernel drops the lock when the process ends however it ends, so another run
    can tell a live run (however slow) from a dead one without clocks (`run_is_live`)."""

    def __init__(self, data_dir: Path, run_id: str) -> None:
        folder = data_dir / RUNS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{run_id}.lock"
        self._fd: int | None = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a fresh id: never contended

    def close(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "RunMark":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_is_live(data_dir: Path, run_id: str) -> bool:
    """Whether the run `run_id` on this machine still holds its `RunMark`."""
    path = data_dir / RUNS_DIR / f"{run_id}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:  # nobody holds it: its run died without removing it
        path.unlink(missing_ok=True)
        return False
    finally:
        os.close(fd)


def this_host(data_dir: Path) -> str:
    """Where a run's `RunMark` can be seen: this machine and this data dir."""
    return f"{socket.gethostname()}:{data_dir.resolve()}"


def claim_is_live(
    claim: ArticleClaim, data_dir: Path, *, exclusive: bool, now: float | None = None
) -> bool:
    """Whether the run that claimed an article id may still write it: whether it holds its
    `RunMark`, when it ran here (the embedded store, or a server claim made from this
    machine and data dir); for a claim from elsewhere, whether its lease lasts."""
    if exclusive or claim.host == this_host(data_dir):
        return run_is_live(data_dir, str(claim.owner or ""))
    return not abandoned(claim, None, exclusive=False, now=now)
