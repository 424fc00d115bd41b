"""Deciding what becomes of each article read, under the write lock: skipped (unchanged),
refused (its id is another file's), left to a live run writing the same text, or claimed
by this run to write (`rag.index.writers`: claims make concurrent ingests end as one serial
order of them would). It writes no chunk; `rag.ingest.commit` does.
"""

from __future__ import annotations

from pathlib import Path

from llama_index.core import Document

from rag.index.registry_records import ArticleClaim, ArticleRecord
from rag.index.store import Store
from rag.index.writers import claim_is_live, lease_fields, this_host
from rag.ingest.formats import is_feed_file
from rag.ingest.readers import ParseProblem
from rag.ingest.report import IngestReport


def _conflict(
    doc: Document, old: ArticleRecord | None, claim: ArticleClaim | None, feeds_too: bool
) -> str | None:
    """Why `doc` may not be written (None: it may): its id is stored, or being stored by a
    live run, from another file that still exists. Replacing would silently lose that one."""
    if old and _from_another_file(old, doc, feeds_too=feeds_too):
        return (
            f"id {doc.doc_id!r} is already stored from {old.path}, which still "
            "exists; not replaced (ingest the folders' parent so their ids differ, or "
            "`rag delete` the stored one first)"
        )
    if claim and _from_another_file(claim, doc, feeds_too=feeds_too):
        return (
            f"id {doc.doc_id!r} is being stored from {claim.path} by another ingest "
            "running now; not replaced (ingest the folders' parent so their ids differ)"
        )
    return None


def plan(
    docs: list[Document],
    store: Store,
    current_recipe: str,
    run_id: str,
    report: IngestReport,
    protect_others: bool,
) -> tuple[dict[str, ArticleRecord], list[Document]]:
    """Decide, under the write lock, what becomes of each article read, and claim the ids
    this run will write (`rag.index.writers`). Deciding and claiming in one lock window is
    what makes two concurrent ingests end as one serial order of them: whichever plans
    second sees the first's claims as if its articles were already stored. Returns the
    stored records of these ids and the articles to write."""
    todo: list[Document] = []
    with store.writing():
        ids = [d.doc_id for d in docs]
        stored = store.registry.records(ids)
        claims = {
            d: c
            for d, c in store.claims.records(ids).items()
            if c.owner != run_id
            and claim_is_live(c, store.settings.data_dir, exclusive=store.lock_is_exclusive)
        }
        mine: dict[str, ArticleClaim] = {}
        lease = lease_fields(run_id, store.settings.write_lease_seconds)
        here = this_host(store.settings.data_dir)
        for doc in docs:
            old, claim = stored.get(doc.doc_id), claims.get(doc.doc_id)
            if conflict := _conflict(doc, old, claim, protect_others):
                report.problems.append(ParseProblem(doc.metadata["path"], conflict))
                continue
            if (
                old
                and old.content_hash == doc.metadata["content_hash"]
                and old.recipe == current_recipe
            ):
                report.skipped.append(doc.doc_id)
                continue
            if claim and claim.content_hash == doc.metadata["content_hash"]:
                report.deferred.append(doc.doc_id)  # the same text, already on its way in
                continue
            (report.updated if old else report.added).append(doc.doc_id)
            todo.append(doc)
            mine[doc.doc_id] = ArticleClaim(
                **lease,
                host=here,
                path=doc.metadata["path"],
                content_hash=doc.metadata["content_hash"],
            )
        store.claims.put(mine)  # a newer text of a file another run is writing takes it over
    return stored, todo


def _from_another_file(
    old: ArticleRecord | ArticleClaim, doc: Document, feeds_too: bool = False
) -> bool:
    """Whether a stored article of this id came from another file that is still there.

    Ids are relative to the folder given, so `a/index.html` and `b/index.html` ingested
    separately share one; replacing would silently lose an article. A moved folder (the old
    file gone) or a feed re-issuing its records is an ordinary update, unless `feeds_too`.
    """
    old_path = Path(old.path)
    return (
        bool(old.path)
        and old_path.resolve() != Path(doc.metadata["path"]).resolve()
        and old_path.exists()
        and (feeds_too or not is_feed_file(old_path))
    )
