"""A .json or .jsonl file of article records: one `Document` a record, with where it stands.

A .jsonl file holds one record a line; a .json file a record, a list of them, or
{"articles": [...]}. Each record needs article text ("text" or "body") and an id (or a url to
make one from); a record that cannot be read is a problem on its line, and the rest are
still read. RSS, Atom and JSON Feed documents from the web are `rag.ingest.feeds`' job.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from llama_index.core import Document

from rag.ingest.documents import checked_date, decode_utf8, make_document, title_from_lines
from rag.ingest.problems import Limits, ParseProblem, ParseWarning, Skip


def read_records(file: Path, limits: Limits) -> Iterator[FeedRecord | ParseProblem]:
    """A .jsonl file holds one record a line; a .json file a record, a list, or {"articles": []}."""
    raw = file.read_bytes()
    if not raw.strip():
        raise Skip("file is empty")
    text = decode_utf8(raw)
    if file.suffix.lower() == ".jsonl":
        numbered: list[tuple[int | None, Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError as err:
                yield ParseProblem(str(file), f"malformed JSON ({err.msg}); line skipped", number)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise Skip(f"malformed JSON at line {err.lineno} ({err.msg})") from None
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        numbered = [(None, rec) for rec in (data if isinstance(data, list) else [data])]
    for position, (line_no, record) in enumerate(numbered, start=1):
        try:
            document, date_issue = _record_document(record, file, limits)
        except Skip as why:
            yield ParseProblem(str(file), str(why), line_no)
            continue
        yield FeedRecord(document, line_no, position)
        if date_issue:
            yield ParseWarning(str(file), f"record {document.doc_id!r}: {date_issue}", line_no)


@dataclass(frozen=True)
class FeedRecord:
    """A feed record's article and where it stands in its file, so that what is said about
    it later (a duplicate id) can point at it."""

    document: Document
    line: int | None  # its line in a .jsonl file (None in a .json file)
    position: int  # 1 for the file's first record

    def where(self, file: str) -> str:
        """`file:line`, or `file (record N)` where lines are not known."""
        return f"{file}:{self.line}" if self.line else f"{file} (record {self.position})"


def _json_kind(value: Any) -> str:
    """What a JSON value is, in the words of JSON ("a number", "an object", ...)."""
    if isinstance(value, bool):
        return "true/false"
    kinds = {
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }
    return kinds.get(type(value), type(value).__name__)


def _record_text(record: dict[str, Any]) -> str:
    """The record's article text, from "text" or else "body"; a field holding another kind
    of value is named with its kind rather than called missing."""
    for key in ("text", "body"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value not in (None, "") and not isinstance(value, str):
            raise Skip(
                f'"{key}" is {_json_kind(value)}, not a string; give the article '
                "text as a JSON string"
            )
    raise Skip("record has no 'text' (or 'body') field with article text")


def _record_id(record: dict[str, Any], url: str) -> str:
    """The record's "id" (a string or number), else one made from its url. An object or
    list would be stored under its Python repr, an id nobody could type back."""
    doc_id = record.get("id")
    if doc_id in (None, ""):
        if not url:
            raise Skip("record has neither an 'id' nor a 'url' to identify it")
        return "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int, float)):
        raise Skip(f'"id" is {_json_kind(doc_id)}; an id must be a string or a number')
    return str(doc_id)


def _record_document(record: Any, file: Path, limits: Limits) -> tuple[Document, str]:
    if not isinstance(record, dict):
        raise Skip(f"record is a JSON {type(record).__name__}, expected an object")
    text = _record_text(record)
    url = str(record.get("url") or "")
    doc_id = _record_id(record, url)
    name = "date" if record.get("date") else "published_at"
    published, issue = checked_date(str(record.get(name) or ""), f"field {name!r}")
    return make_document(
        doc_id=str(doc_id),
        path=str(file),
        text=text,
        title=str(record.get("title") or "") or title_from_lines(text),
        date=published,
        source=str(record.get("source") or ""),
        url=url,
        limits=limits,
    ), issue
