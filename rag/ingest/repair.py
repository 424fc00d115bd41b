"""Putting the registry right after an interrupted run: half-written articles removed, and a
run's own records found back at `pending` marked `done` again.

A run killed inside a commit window leaves `pending` records (and perhaps some of their
chunks); `repair` removes them, with their chunks, before a run writes, and the articles are
added again from their files. Only abandoned records go (`rag.index.writers.abandoned`):
never those of a run that is still alive. What it leaves out: chunks with no record and
records whose chunks do not add up (`rag.doctor`).
"""

from __future__ import annotations

import logging

from rag.index.store import Store
from rag.index.writers import abandoned, claim_is_live

log = logging.getLogger(__name__)


def repair(store: Store, run_id: str | None = None) -> list[str]:
    """Remove articles a killed run left half-written; they are re-added from their files.

    Any status other than `done` counts as pending (a record with a status this version does
    not know was not finished by it either). Only abandoned pending records go
    (`rag.index.writers.abandoned`): never those of a run that is still alive; with the write
    lock held on the embedded store, all others; on a server, those whose lease expired or
    that are `run_id`'s own, re-checked just before removal so a run that has just taken an
    article over keeps it.
    """
    with store.writing():
        exclusive = store.lock_is_exclusive
        pending = {d: rec for d, rec in store.registry.records(status=None).items() if not rec.done}
        dead = [
            d
            for d, rec in pending.items()
            if abandoned(rec, run_id, exclusive=exclusive, data_dir=store.settings.data_dir)
        ]
        if dead and not exclusive:
            again = store.registry.records(dead, status=None)
            dead = [d for d in dead if d in again and again[d] == pending[d]]
        if dead:
            log.warning(
                "Repairing %d article(s) left half-written by an interrupted ingest", len(dead)
            )
        store.claims.drop(
            [
                d
                for d, claim in store.claims.records().items()  # of dead runs
                if not claim_is_live(claim, store.settings.data_dir, exclusive=exclusive)
            ]
        )
        return store.remove_articles(dead)


def confirm_written(store: Store, written: dict[str, str], run_id: str) -> None:
    """Check, under the write lock, that every article this run committed is still recorded
    `done`, and mark `done` again any of its own records found back at `pending` with all
    their chunks in place. Chroma's embedded engine can put back a record's older value when
    another process's first read replays the write log during a commit; this run's
    `RunMark` kept repairs from removing such records meanwhile, and this puts them right."""
    if not written:
        return
    records = store.registry.records(list(written), status=None)
    stale = {
        d: rec
        for d, rec in records.items()
        if not rec.done and rec.owner == run_id and rec.content_hash == written[d]
    }
    counts: dict[str, int] = {}
    for start in range(0, len(ids := sorted(stale)), 500):
        for chunk in store.chunk_records({"doc_id": {"$in": ids[start : start + 500]}}):
            doc = chunk["metadata"]["doc_id"]
            counts[doc] = counts.get(doc, 0) + 1
    fixed = [
        d
        for d, rec in stale.items()
        if "chunks" not in rec.absent and counts.get(d, 0) == rec.chunks  # recorded and all in
    ]
    if fixed:
        log.warning(
            "%d article(s) this run stored were found marked pending again; marked "
            "done (their chunks are all in place)",
            len(fixed),
        )
        store.registry.mark_done(fixed)
        store.bump_generation()
