"""Turn files and folders of articles into llama-index `Document`s (formats: `formats`).

Reads .txt/.md, .html/.htm, .pdf and .json/.jsonl feeds; directories recurse without
following symlinked folders (so link loops cannot trap it) and skip dot-files. Every problem
with one file or record becomes a `ParseProblem` naming the file (and line) so the caller can
report it and carry on with the rest; a `ParseWarning` is an article that was kept with a
caveat (a date in the future or unreadable is dropped, the article stored undated). Files over
`max_file_mb` are refused before they are read. It does not chunk, embed or store anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from llama_index.core import Document

from rag.ingest.formats import read_file
from rag.ingest.json_records import FeedRecord
from rag.ingest.problems import Limits, ParseProblem, ParseWarning

__all__ = ["read_paths", "ParseResult", "ParseProblem", "ParseWarning", "Limits"]


@dataclass
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def read_paths(paths: list[Path], limits: Limits = Limits()) -> ParseResult:
    """Read every supported file under `paths`; ids are relative to the path given."""
    result = ParseResult()
    seen: dict[str, str] = {}  # article id -> where it was first read (file, or file:line)
    for root in paths:
        if not root.exists():
            result.problems.append(ParseProblem(str(root), "no such file or directory"))
            continue
        for file in _walk(root, result.warnings):
            base = root if root.is_dir() else root.parent
            rel = file.relative_to(base).as_posix()
            for item in read_file(file, rel, limits):
                if isinstance(item, ParseWarning):
                    result.warnings.append(item)
                elif isinstance(item, ParseProblem):
                    result.problems.append(item)
                else:
                    _keep_once(item, str(file), seen, result)
    return result


def _keep_once(
    item: Document | FeedRecord, file: str, seen: dict[str, str], result: ParseResult
) -> None:
    """Keep the article unless its id was read before; a copy is refused, naming the line
    (or record) of both, so the feed can be fixed without searching it."""
    record, document = (item, item.document) if isinstance(item, FeedRecord) else (None, item)
    where = record.where(file) if record else file
    first = seen.get(document.doc_id)
    if first is not None:
        label = f"record {record.position}: " if record and not record.line else ""
        result.problems.append(
            ParseProblem(
                file,
                f"{label}duplicate article id {document.doc_id!r} (first seen in {first}); "
                "this copy was skipped",
                record.line if record else None,
            )
        )
        return
    seen[document.doc_id] = where
    result.documents.append(document)


def _walk(root: Path, warnings: list[ParseWarning]) -> Iterator[Path]:
    """Files under `root` in name order, iteratively (any depth), never through a link loop."""
    if not root.is_dir():
        yield root
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            warnings.append(
                ParseWarning(str(folder), f"folder cannot be read ({err.strerror or err}); skipped")
            )
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and entry.is_dir():
                warnings.append(
                    ParseWarning(
                        str(path),
                        "link to a folder, not followed (pass the folder itself to ingest it)",
                    )
                )
            elif entry.is_symlink() and not path.exists():
                warnings.append(ParseWarning(str(path), "broken link, skipped"))
            elif entry.is_dir():
                subfolders.append(path)
            elif entry.is_file():
                yield path
        stack.extend(reversed(subfolders))
