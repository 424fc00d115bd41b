"""`rag doctor`: is the store consistent, and can it be made so?

Checks that every stored article has its chunks present exactly once (a `done` record with
no chunks, or with a count that does not match the chunks stored, is an article no question
can find correctly), that no chunk belongs to an article the registry does not know, that no
article is left half-written by an interrupted ingest, and that the persisted BM25 index
reflects the store as it is. `repair` fixes what it finds: interrupted articles and orphan
chunks are removed (the next ingest adds them back from their files) and BM25 is rebuilt. It
never touches a consistent article, nor a batch another live run is committing: it holds the
store's write lock, and on a `chroma run` server it leaves pending records under a live lease
alone and acts only on damage seen in two surveys in a row (see `rag.index.writers`).

It also finds files in `<data_dir>/uploads` that no stored article comes from: uploads the
web UI saved but never ingested because `rag serve` was stopped in between. `repair` (and
`rag serve` when it starts, `add_unlisted_uploads`) ingests them as an upload would; a file
from which nothing can be stored is then removed, saying why, so it is not reported again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rag.index.bm25 import build_bm25
from rag.index.bm25_check import persisted_chunk_count, persisted_mismatch
from rag.index.chroma_client import rebuild_advice
from rag.index.registry_records import ArticleRecord
from rag.index.store import Store
from rag.index.writers import abandoned, new_run_id
from rag.ingest.pipeline import ingest
from rag.ingest.repair import repair as repair_pending


@dataclass
class Survey:
    """One read of the registry and the chunks, and what does not add up."""

    records: dict[str, ArticleRecord]
    per_doc: Counter[str]
    chunk_ids: set[str]
    chunkless: list[str]  # done, but the registry records no chunks at all
    miscounted: list[str]  # done, but the chunks stored are not the ones recorded
    orphans: list[str]  # chunks of an article the registry does not know

    def damaged(self) -> set[str]:
        return set(self.chunkless) | set(self.miscounted) | set(self.orphans)


def _survey(store: Store) -> Survey:
    records = store.registry.records(status=None)
    chunks = list(store.chunk_records())
    per_doc = Counter(r["metadata"].get("doc_id", "") for r in chunks)
    done = {d: rec for d, rec in records.items() if rec.done}
    chunkless = sorted(d for d, rec in done.items() if not rec.chunks)
    miscounted = sorted(
        d for d, rec in done.items() if rec.chunks and per_doc.get(d, 0) != rec.chunks
    )
    orphans = sorted(d for d in per_doc if d not in records)
    return Survey(records, per_doc, {r["id"] for r in chunks}, chunkless, miscounted, orphans)


def diagnose(store: Store) -> list[str]:
    """What is wrong with the store, one sentence each (empty: consistent).

    A batch another run is committing right now is not a problem: on the embedded store the
    write lock waits for it; on a server its pending records are skipped while their lease
    lives.
    """
    with store.steady():
        survey = _survey(store)
        exclusive = store.lock_is_exclusive
        problems = [
            f"{doc}: left {rec.status} by an interrupted ingest"
            for doc, rec in survey.records.items()
            if not rec.done
            and abandoned(rec, None, exclusive=exclusive, data_dir=store.settings.data_dir)
        ]
        problems += [
            f"{doc}: registered as stored with no chunks, so no question can find it"
            for doc in survey.chunkless
        ]
        problems += [
            f"{doc}: {survey.per_doc.get(doc, 0)} chunks stored, the registry says "
            f"{survey.records[doc].chunks}"
            for doc in survey.miscounted
        ]
        problems += [
            f"{doc}: {survey.per_doc[doc]} orphan chunk(s) of an article the registry does not know"
            for doc in survey.orphans
        ]
        if survey.chunk_ids and (bm25_problem := persisted_mismatch(store)):
            problems.append(bm25_problem)
        if emptied := _emptied(store, survey):
            problems.append(emptied)
        problems += [
            f"{path}: uploaded but never added to the library (the server stopped "
            "first?); `rag doctor --repair` adds it"
            for path in unlisted_uploads(store)
        ]
    return problems


def _emptied(store: Store, survey: Survey) -> str | None:
    """A database that lost every article while the index built from it remembers them (a
    truncated or replaced chroma.sqlite3 that Chroma quietly re-created empty)."""
    if survey.records or survey.chunk_ids or not (saved := persisted_chunk_count(store)):
        return None
    where = store.location
    return (
        f"{where} holds no articles, but the BM25 index beside it holds {saved} chunks: the "
        "database was emptied or replaced. "
        + (
            rebuild_advice(store.settings)
            if not store.settings.chroma_url
            else "Re-ingest your article folders with `rag ingest`."
        )
    )


def repair(store: Store) -> list[str]:
    """Fix what `diagnose` finds; returns what was done. An emptied database is left for
    the user to rebuild from the article files (the evidence that it was emptied stays)."""
    if _emptied(store, _survey(store)):
        return []
    with store.writing():
        done = [f"removed interrupted article {d}" for d in repair_pending(store, new_run_id())]
        survey = _survey(store)
        broken = survey.damaged()
        if broken and not store.lock_is_exclusive:  # a writer elsewhere may be mid-commit
            again = _survey(store)
            broken = {
                d for d in broken & again.damaged() if survey.records.get(d) == again.records.get(d)
            }
        if broken:
            store.remove_articles(sorted(broken))
            done += [f"removed orphan chunks of {d}" for d in survey.orphans if d in broken]
            done += [
                f"removed {d} (chunks incomplete); re-ingest its file"
                for d in (*survey.chunkless, *survey.miscounted)
                if d in broken
            ]
        build_bm25(store, store.settings.candidates_k)
        done.append("rebuilt the BM25 index")
        done += add_unlisted_uploads(store)
    return done


def unlisted_uploads(store: Store) -> list[Path]:
    """Files in the uploads folder that no stored article was read from."""
    folder = store.settings.uploads_dir
    if not folder.is_dir():
        return []
    listed = {
        str(Path(rec.path).resolve()) for rec in store.registry.records().values() if rec.path
    }
    return sorted(
        p
        for p in folder.resolve().iterdir()
        if p.is_file() and not p.name.startswith(".") and str(p) not in listed
    )


def add_unlisted_uploads(store: Store) -> list[str]:
    """Ingest the uploads that were saved but never added, as the upload would have (an
    upload may not replace an article from another file); say what became of each. A file
    from which nothing is stored afterwards is removed, with the reason, like a refused
    upload."""
    files = unlisted_uploads(store)
    if not files:
        return []
    report = ingest(files, store.settings, store=store, progress=False, protect_others=True)
    problems: dict[str, list[str]] = {}
    for problem in report.problems:
        problems.setdefault(str(Path(problem.path).resolve()), []).append(problem.message)
    left = set(unlisted_uploads(store))
    lines = []
    for path in files:
        if path not in left:
            lines.append(f"added upload {path.name} to the library")
            continue
        why = (
            "; ".join(problems.get(str(path), []))
            or "its articles are already stored from another file"
        )
        path.unlink(missing_ok=True)
        lines.append(f"removed upload {path.name}: nothing in it could be stored ({why})")
    return lines
