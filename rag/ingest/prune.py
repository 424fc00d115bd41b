"""Pruning: removing stored articles whose source under the paths given is gone.

`rag ingest --prune` removes an article stored from a folder or file given when its file no
longer exists, or, for a feed file that still exists, when the feed no longer holds its
record. What it leaves out: web articles (never pruned by a file ingest) and articles whose
file could not be read this time (a problem is not a removal).
"""

from __future__ import annotations

from pathlib import Path

from rag.index.store import Store
from rag.ingest.formats import is_feed_file
from rag.ingest.problems import ParseProblem


def prune(
    store: Store,
    roots: dict[str, Path],
    present: set[str],
    problems: list[ParseProblem],
    run_started: str,
) -> list[str]:
    """Remove the articles stored from these paths whose source is gone; returns their ids.

    Called with the write lock held, so what it judges cannot change until it has removed
    it: a file is gone only if it is missing now, not merely missing when this run listed
    the folder (another run may have added it since); a record missing from a feed file that
    still exists is gone only if it was stored before this run read that file."""
    troubled = {str(Path(p.path).resolve()) for p in problems}
    gone = []
    for doc_id, rec in store.registry.records().items():
        path = Path(rec.path)
        if rec.root not in roots or doc_id in present or str(path.resolve()) in troubled:
            continue
        if path.exists() and (not is_feed_file(path) or rec.ingested_at >= run_started):
            continue  # stored by another run after this one read the folder
        gone.append(doc_id)
    return store.remove_articles(gone)
