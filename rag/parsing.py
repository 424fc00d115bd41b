"""Turn article files into llama-index `Document`s with title, date, source and url.

Reads .txt/.md, .html/.htm, .pdf and .json/.jsonl feeds; directories recurse (dot-files and
symlinked directories are not followed). Every problem with one file or record becomes a
`ParseProblem` naming the file (and line) so the caller can report it and carry on with the
rest. It does not chunk, embed or store anything.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

from llama_index.core import Document

from rag.dates import find_date_near_top, parse_date

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".json", ".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {".pdf"}
TITLE_MAX_CHARS = 140
# Metadata that only locates a chunk; kept out of what is embedded or shown to an LLM.
BOOKKEEPING_KEYS = ["doc_id", "date_int", "url", "path", "content_hash"]


@dataclass(frozen=True)
class ParseProblem:
    """One file or record that could not be read, said so a person can fix it."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)


class _Skip(Exception):
    """Raised inside a reader to reject the current file with a message."""


def read_paths(paths: list[Path]) -> ParseResult:
    """Read every supported file under `paths`; ids are relative to the path given."""
    result = ParseResult()
    seen: dict[str, str] = {}
    for root in paths:
        if not root.exists():
            result.problems.append(ParseProblem(str(root), "no such file or directory"))
            continue
        for file in _walk(root):
            base = root if root.is_dir() else root.parent
            rel = file.relative_to(base).as_posix()
            for item in _read_file(file, rel, root):
                if isinstance(item, ParseProblem):
                    result.problems.append(item)
                    continue
                first = seen.setdefault(item.doc_id, str(file))
                if first != str(file) or any(d.doc_id == item.doc_id for d in result.documents):
                    result.problems.append(
                        ParseProblem(str(file), f"duplicate article id {item.doc_id!r} "
                                     f"(first seen in {first}); this copy was skipped")
                    )
                    continue
                result.documents.append(item)
    return result


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel_parts):
            continue
        if path.is_file() and not any(p.is_symlink() for p in _parents_within(path, root)):
            yield path


def _parents_within(path: Path, root: Path) -> Iterator[Path]:
    current = path.parent
    while current != root and root in current.parents:
        yield current
        current = current.parent


def _read_file(file: Path, rel: str, root: Path) -> Iterator[Document | ParseProblem]:
    suffix = file.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise _Skip(
                f"unsupported file type {suffix or '(no extension)'!r}; "
                f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
            )
        if suffix in FEED_SUFFIXES:
            yield from _read_feed(file, root)
            return
        raw = file.read_bytes()
        if not raw.strip():
            raise _Skip("file is empty")
        if suffix == ".pdf":
            fields = _read_pdf(raw)
        else:
            if b"\x00" in raw[:8192]:
                raise _Skip("looks binary (contains NUL bytes), not a text article")
            text = _decode(raw)
            fields = _read_html(text) if suffix in HTML_SUFFIXES else _read_text(text)
        yield _make_document(doc_id=rel, path=str(file), **fields)
    except _Skip as why:
        yield ParseProblem(str(file), str(why))
    except OSError as err:
        yield ParseProblem(str(file), f"cannot be read ({err.strerror or err})")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _Skip(
            f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save it as UTF-8"
        ) from None


_HEADER_RE = re.compile(r"^\s*(title|date|published_at|source|url)\s*:\s*(.+?)\s*$", re.I)
_DATE_MARKER_RE = re.compile(r"^\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_CREDIT_RE = re.compile(r"^(photo|image|picture)( credit)?\s*[:(]|^credit\s*:", re.I)


def _read_text(text: str) -> dict[str, Any]:
    """Plain text or Markdown: optional front matter, title line, date marker or early date."""
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            for line in text[4:end].splitlines():
                if m := _HEADER_RE.match(line):
                    meta[m.group(1).lower()] = m.group(2).strip("\"'")
            body = text[end + 4:].lstrip("\n")
    if not body.strip():
        raise _Skip("has no text")
    title = meta.get("title") or _title_from_lines(body)
    published = parse_date(meta.get("date") or meta.get("published_at") or "")
    if published is None:
        for line in body.splitlines()[:5]:
            if m := _DATE_MARKER_RE.match(line):
                published = parse_date(m.group(1))
                break
    if published is None:
        published = find_date_near_top(body)
    return {"text": body, "title": title, "date": published,
            "source": meta.get("source", ""), "url": meta.get("url", "")}


def _title_from_lines(text: str) -> str:
    for line in text.splitlines():
        line = _DATE_MARKER_RE.sub("", line).strip().lstrip("#").strip()
        if line and not _CREDIT_RE.match(line):
            if len(line) > TITLE_MAX_CHARS:
                line = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
            return line
    return ""


def _read_html(html: str) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True,
                                      include_comments=False)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        text = (trafilatura.html2txt(html) or "").strip()
    if not text:
        raise _Skip("HTML page has no readable text")
    title = (getattr(doc, "title", None) or "") if doc is not None else ""
    return {
        "text": text,
        "title": title or _title_from_lines(text),
        "date": parse_date(getattr(doc, "date", None) or "") if doc is not None else None,
        "source": (getattr(doc, "sitename", None) or "") if doc is not None else "",
        "url": (getattr(doc, "url", None) or "") if doc is not None else "",
    }


def _read_pdf(raw: bytes) -> dict[str, Any]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise _Skip("PDF is encrypted; decrypt it first")
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError) as err:
        raise _Skip(f"not a readable PDF ({err})") from None
    if not text:
        raise _Skip("PDF has no extractable text (scanned images need OCR first)")
    pdf_date = str(info.get("/CreationDate") or "")
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", pdf_date)
    published = parse_date("-".join(m.groups())) if m else None
    return {"text": text, "title": str(info.get("/Title") or "") or _title_from_lines(text),
            "date": published or find_date_near_top(text), "source": "", "url": ""}


def _read_feed(file: Path, root: Path) -> Iterator[Document | ParseProblem]:
    """A .jsonl file holds one record a line; a .json file a record, a list, or {"articles": []}."""
    raw = file.read_bytes()
    if not raw.strip():
        raise _Skip("file is empty")
    text = _decode(raw)
    if file.suffix.lower() == ".jsonl":
        numbered = []
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
            raise _Skip(f"malformed JSON at line {err.lineno} ({err.msg})") from None
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        numbered = [(None, rec) for rec in (data if isinstance(data, list) else [data])]
    for number, record in numbered:
        try:
            yield _record_document(record, file)
        except _Skip as why:
            yield ParseProblem(str(file), str(why), number)


def _record_document(record: Any, file: Path) -> Document:
    if not isinstance(record, dict):
        raise _Skip(f"record is a JSON {type(record).__name__}, expected an object")
    text = record.get("text") or record.get("body")
    if not isinstance(text, str) or not text.strip():
        raise _Skip("record has no 'text' (or 'body') field with article text")
    url = str(record.get("url") or "")
    doc_id = record.get("id")
    if doc_id in (None, ""):
        if not url:
            raise _Skip("record has neither an 'id' nor a 'url' to identify it")
        doc_id = "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]
    raw_date = str(record.get("date") or record.get("published_at") or "")
    published = parse_date(raw_date)
    if raw_date and published is None:
        raise _Skip(f"field 'date' has an unreadable date {raw_date!r}; use YYYY-MM-DD")
    return _make_document(
        doc_id=str(doc_id), path=str(file), text=text, title=str(record.get("title") or "")
        or _title_from_lines(text), date=published, source=str(record.get("source") or ""),
        url=url,
    )


def _make_document(*, doc_id: str, path: str, text: str, title: str, date: date | None,
                   source: str, url: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    source = source or _domain(url)
    metadata = {
        "doc_id": doc_id,
        "title": title.strip(),
        "date": date.isoformat() if date else "",
        "date_int": int(date.strftime("%Y%m%d")) if date else 0,
        "source": source,
        "url": url,
        "path": path,
    }
    metadata["content_hash"] = hashlib.sha256(
        json.dumps([text, {k: v for k, v in metadata.items() if k != "path"}],
                   sort_keys=True).encode()
    ).hexdigest()
    return Document(
        id_=doc_id,
        text=text,
        metadata=metadata,
        excluded_embed_metadata_keys=BOOKKEEPING_KEYS + ["date", "source"],
        excluded_llm_metadata_keys=list(BOOKKEEPING_KEYS),
    )


def _domain(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")
