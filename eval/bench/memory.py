"""Peak memory of the running process, as every bench phase reports it.

A module of its own so each phase module can report it without importing another phase
module (`phases` dispatches to `engines`, never the other way).
"""

from __future__ import annotations

import resource


def peak_mb() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def children_peak_mb() -> float:
    """The largest peak resident memory of this process's ended children (ingest's bulk
    embedder runs in one: `rag.index.torch_bf16.Bf16InChild`), in MiB; 0 when none ended."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
