"""Uploaded files: kept inside the data dir, within size and count limits, then ingested.

A file's name is reduced to its last path component and checked, so "../../etc/passwd",
absolute paths and dot-files can never write outside `<data_dir>/uploads`; links are not
followed. Each file gets one result line: added, updated, skipped or rejected with a reason.
"""

from __future__ import annotations

from typing import Any

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from rag import Assistant

_SAFE = re.compile(r"[^A-Za-z0-9._ -]")


@dataclass
class UploadResult:
    file: str
    result: str  # added | updated | skipped | rejected
    detail: str = ""


def safe_name(name: str) -> str | None:
    """The file name to store under, or None when nothing safe is left of it."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _SAFE.sub("_", base)
    if not base or base.startswith(".") or base in {".", ".."}:
        return None
    return base[:120]


def save_and_ingest(assistant: Assistant, files: list[tuple[str, Path]]) -> list[UploadResult]:
    """Copy (original name, temp path) pairs into the uploads dir and ingest them."""
    settings = assistant.settings
    folder = settings.uploads_dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    results: list[UploadResult] = []
    if len(files) > settings.ui_max_files:
        return [UploadResult(name, "rejected", f"too many files at once (limit "
                             f"{settings.ui_max_files})") for name, _ in files]
    saved: dict[str, str] = {}  # stored path -> original name
    for original, temp in files:
        name = safe_name(original)
        if name is None:
            results.append(UploadResult(original, "rejected", "file name not allowed"))
            continue
        size_mb = temp.stat().st_size / 1_048_576
        if size_mb > settings.ui_max_upload_mb:
            results.append(UploadResult(original, "rejected", f"{size_mb:.1f} MB is over the "
                                        f"{settings.ui_max_upload_mb:g} MB limit"))
            continue
        target = (folder / name).resolve()
        if target.parent != folder or target.is_symlink():
            results.append(UploadResult(original, "rejected", "file name not allowed"))
            continue
        shutil.copyfile(temp, target)
        saved[str(target)] = original
    if not saved:
        return results
    report = assistant.ingest([Path(p) for p in saved], progress=False, protect_others=True)
    problems: dict[str, list[str]] = {}
    for problem in report.problems:
        problems.setdefault(str(Path(problem.path).resolve()), []).append(
            f"line {problem.line}: {problem.message}" if problem.line else problem.message)
    warnings: dict[str, list[str]] = {}
    for warning in report.warnings:
        warnings.setdefault(str(Path(warning.path).resolve()), []).append(str(warning.message))
    for path, original in saved.items():
        doc_id = Path(path).name
        caveat = "; ".join(warnings.get(path, []))
        is_feed = Path(path).suffix.lower() in (".json", ".jsonl")
        if path in problems and not is_feed:
            Path(path).unlink(missing_ok=True)  # keep nothing that could not be read
            results.append(UploadResult(original, "rejected", "; ".join(problems[path])))
        elif doc_id in report.added:
            results.append(UploadResult(original, "added", caveat))
        elif doc_id in report.updated:
            results.append(UploadResult(original, "updated", caveat))
        elif doc_id in report.skipped:
            results.append(UploadResult(original, "skipped", "unchanged"))
        else:  # a feed file holds several records with ids of their own
            results.append(_feed_result(original, path, report, problems.get(path, [])))
    return results


def _feed_result(original: str, path: str, report: Any, refused: list[str]) -> UploadResult:
    """What happened to a feed's records: counted, with every refused one said."""
    mine = report.records_from.get(path, [])
    added = sum(doc in report.added for doc in mine)
    updated = sum(doc in report.updated for doc in mine)
    skipped = sum(doc in report.skipped for doc in mine)
    detail = f"{added} record(s) added, {updated} updated, {skipped} unchanged"
    if refused:
        detail += f"; {len(refused)} refused: " + "; ".join(refused)
    if not added and not updated:
        return UploadResult(original, "rejected" if refused else "skipped", detail)
    return UploadResult(original, "added" if added else "updated", detail)
