"""Background work yields the CPU to answering.

An ingest or a feed watcher started from the command line lowers its own scheduling
priority (the Unix nice value, `RAG_INGEST_NICE`, default 10) before it loads the embedder,
so a `rag serve` answering on the same cores keeps its speed while articles are added: a
reader waits on an answer, nobody waits on a batch. Nice only matters when the cores are
contended; an ingest on an idle machine runs at full speed.

Left out: uploads in the UI (they run inside the serving process, whose threads the
embedder's thread pool does not tell apart) and Windows (no nice). On Linux a nice value
belongs to a thread and is inherited by the threads it starts, which is why this runs first,
before any thread pool exists; threads already running (the CLI's stderr filter) are lowered
one by one.
"""

from __future__ import annotations

import os
import threading

__all__ = ["yield_cpu"]


def yield_cpu(nice: int) -> int:
    """Lower this process's priority to at least `nice` (never raise it); the value now."""
    if nice <= 0 or not hasattr(os, "getpriority"):
        return 0
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if current < nice:
        try:
            for thread in _threads():
                try:
                    if os.getpriority(os.PRIO_PROCESS, thread) < nice:
                        os.setpriority(os.PRIO_PROCESS, thread, nice)
                except ProcessLookupError:  # that thread has ended meanwhile
                    continue
        except OSError:  # a sandbox may forbid it; the ingest runs as it is
            return current
    return max(current, nice)


def _threads() -> list[int]:
    """This process's threads on Linux (their ids), else just the calling thread (0)."""
    try:
        return [
            0,
            *(
                int(t.name)
                for t in os.scandir("/proc/self/task")
                if int(t.name) != threading.get_native_id()
            ),
        ]
    except OSError:
        return [0]
