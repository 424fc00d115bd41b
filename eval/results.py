"""A run's `results.jsonl`, written a question at a time so that a crash loses nothing.

Each row is appended and flushed as soon as its question is answered; running the same
command again with the same `--out` reuses the rows whose `resume_key` still matches. The key
covers what can change a row: the gold item (question, answers, evidence, date), the answer
mode, the settings that shape an answer, and the corpus fingerprint (which article versions
the store held). Settings that only say where the store is or how fast, how patiently or with
which secret the work is done do not count, so changing them still resumes. Code changes are
not detected: `--fresh` starts over. At the end the file is rewritten in gold order, so a
resumed run's folder reads exactly like an uninterrupted run's.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any

from eval.gold import Evidence, GoldItem
from rag import Settings

RESULTS = "results.jsonl"
# Settings that never change an answer: where things live, pacing, retries, secrets, the UI.
NOT_ANSWER_SETTINGS = frozenset(
    {
        "data_dir",
        "chroma_url",
        "openai_api_key",
        "answer_mode",
        "embed_batch_size",
        "answer_vector_cache",
        "ingest_batch_chunks",
        "ingest_nice",
        "ingest_engine",
        "ray_num_cpus",
        "ray_object_store_mb",
        "ray_batch_articles",
        "write_lease_seconds",
        "max_file_mb",
        "fetch_timeout",
        "fetch_max_mb",
        "fetch_retries",
        "fetch_backoff",
        "fetch_max_wait",
        "llm_timeout",
        "llm_retries",
        "llm_backoff",
        "llm_max_wait",
        "llm_threads",
        "llm_concurrency",
        "ui_host",
        "ui_port",
        "ui_auth",
        "ui_max_upload_mb",
        "ui_max_files",
    }
)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_key(settings: Settings, mode: str, corpus_sha256: str) -> str:
    """What every answer of this run depends on besides its own question.

    `answer_mode` is left out because `mode` is the mode actually used (resolved from it)."""
    shaping = {
        k: v
        for k, v in json.loads(settings.model_dump_json()).items()
        if k not in NOT_ANSWER_SETTINGS
    }
    return _digest({"settings": shaping, "mode": mode, "corpus": corpus_sha256})


def question_key(run: str, item: GoldItem) -> str:
    """The key of one question's row: the run's key and the whole gold item, since the
    scores depend on the gold answers and evidence as much as the answer does."""
    gold = {
        "question": item.question,
        "answers": list(item.answers),
        "evidence": [[e.doc, e.quote] for e in item.evidence],
        "answerable": item.answerable,
        "tags": list(item.tags),
        "as_of": item.as_of.isoformat() if item.as_of else None,
        **({"after": list(item.after)} if item.after else {}),
    }
    return _digest({"run": run, "id": item.id, "gold": gold})


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows a previous run left, skipping a line torn by a crash mid-write."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            rows.append(row)
    return rows


def gold_item(row: dict[str, Any]) -> GoldItem:
    """The gold item a row was scored against, rebuilt from what `eval.run` stores in it
    (`gold`: answers, answerable, evidence; the question, id and tags beside), so a row can
    be scored again without the gold file."""
    gold = row.get("gold")
    if not isinstance(gold, dict):
        raise ValueError(f"row {row.get('id')!r} holds no 'gold' to score against")
    return GoldItem(
        id=row["id"],
        question=row.get("question", ""),
        answers=tuple(gold.get("answers", [])),
        evidence=tuple(Evidence(e["doc"], e["quote"]) for e in gold.get("evidence", [])),
        answerable=bool(gold["answerable"]),
        tags=tuple(row.get("tags", [])),
    )


def reusable(rows: list[dict[str, Any]], keys: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Rows still valid for this run by question id: those whose key is the one this run
    would give them. Rows for other settings, gold or corpus are dropped as stale."""
    return {r["id"]: r for r in rows if keys.get(r["id"]) == r.get("resume_key")}


def _write_atomically(path: Path, rows: list[dict[str, Any]]) -> None:
    """Replace `path` with `rows` in one step, so a crash leaves the old or the new file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    os.replace(tmp, path)


class ResultsFile:
    """`results.jsonl` open for appending, starting from the rows kept from before."""

    def __init__(self, path: Path, kept: list[dict[str, Any]]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, kept)  # drops stale rows and any torn last line
        self.path = path
        self._file: IO[str] = path.open("a", encoding="utf-8")

    def append(self, row: dict[str, Any]) -> None:
        """Write one answered question now: the next crash cannot take it back."""
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._file.flush()

    def finish(self, rows: list[dict[str, Any]]) -> None:
        """Close, and rewrite the file as `rows` (gold order), as a fresh run writes it."""
        self.close()
        _write_atomically(self.path, rows)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
