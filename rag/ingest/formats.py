"""One article file (or feed) → llama-index `Document`s with title, date, source and url.

Reads .txt/.md (title = first line, a date line or front matter), .html/.htm (trafilatura:
main text and meta tags), .pdf and .json/.jsonl feeds (one record a line). A file that cannot
be read raises `Skip` with the reason; a kept article with a caveat yields a `ParseWarning`
(what pypdf logs about a damaged PDF is one of those, never its own log line). A feed record
comes as a `FeedRecord`, its line with it. It neither walks folders (`rag.ingest.readers`)
nor chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

from llama_index.core import Document

from rag.ingest.problems import Limits, ParseProblem, ParseWarning, Skip
from rag.text.dates import find_date_near_top, find_stated_date, parse_date

# What can be ingested, by file suffix: the one table the readers, uploads and the UI's file
# picker read. A "feed" file holds many articles (one per record) and may be issued again.
FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".json": "feed",
    ".jsonl": "feed",
}
SUPPORTED_SUFFIXES = sorted(FORMATS)
TITLE_MAX_CHARS = 140
# Metadata that only locates a chunk; kept out of what is embedded or shown to an LLM.
BOOKKEEPING_KEYS = ["doc_id", "date_int", "url", "path", "content_hash"]


def format_of(path: str | Path) -> str | None:
    """ "text", "html", "pdf" or "feed" for a file we can read (by its suffix), else None."""
    return FORMATS.get(Path(path).suffix.lower())


def is_feed_file(path: str | Path) -> bool:
    """Whether the file holds a feed of records (.json, .jsonl) rather than one article."""
    return format_of(path) == "feed"


def read_file(
    file: Path, rel: str, limits: Limits
) -> Iterator[Document | FeedRecord | ParseProblem]:
    """The file's article (or, for a feed, each record's), and each problem or caveat."""
    suffix = file.suffix.lower()
    kind = format_of(file)
    try:
        if kind is None:
            raise Skip(
                f"unsupported file type {suffix or '(no extension)'!r}; "
                f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
            )
        size_mb = file.stat().st_size / 1_048_576
        if size_mb > limits.max_file_mb:
            raise Skip(
                f"is {size_mb:,.0f} MB, over the {limits.max_file_mb:g} MB limit for "
                "one file; split it, or raise RAG_MAX_FILE_MB"
            )
        if kind == "feed":
            yield from _read_feed(file, limits)
            return
        raw = file.read_bytes()
        if not raw.strip():
            raise Skip("file is empty")
        if kind == "pdf":
            fields = _read_pdf(raw)
        else:
            if b"\x00" in raw[:8192]:
                raise Skip("looks binary (contains NUL bytes), not a text article")
            text = _decode(raw)
            fields = read_html(text) if kind == "html" else read_text(text)
        issues = [fields.pop("read_issue", ""), fields.pop("date_issue", "")]
        yield make_document(doc_id=rel, path=str(file), limits=limits, **fields)
        yield from (ParseWarning(str(file), issue) for issue in issues if issue)
    except Skip as why:
        yield ParseProblem(str(file), str(why))
    except OSError as err:
        yield ParseProblem(str(file), f"cannot be read ({err.strerror or err})")


def checked_date(raw: str, field_name: str) -> tuple[date | None, str]:
    """A stated date, or None and why it was dropped (unreadable, or in the future)."""
    if not raw.strip():
        return None, ""
    parsed = parse_date(raw)
    if parsed is None:
        return None, (
            f"{field_name} has an unreadable date {raw!r}; stored undated (use YYYY-MM-DD)"
        )
    if _in_future(parsed):
        return None, (
            f"{field_name} {parsed.isoformat()} is in the future; stored undated "
            "(fix the date and ingest again)"
        )
    return parsed, ""


def _in_future(day: date) -> bool:
    """Later than tomorrow (a day of slack for time zones)."""
    return day > date.today() + timedelta(days=1)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Skip(
            f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save it as UTF-8"
        ) from None


_HEADER_RE = re.compile(r"^\s*(title|date|published_at|source|url)\s*:\s*(.+?)\s*$", re.I)
_DATE_MARKER_RE = re.compile(r"^\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_CREDIT_RE = re.compile(r"^(photo|image|picture)( credit)?\s*[:(]|^credit\s*:", re.I)


def read_text(text: str) -> dict[str, Any]:
    """Plain text or Markdown: optional front matter, title line, date marker or early date."""
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            for line in text[4:end].splitlines():
                if m := _HEADER_RE.match(line):
                    meta[m.group(1).lower()] = m.group(2).strip("\"'")
            body = text[end + 4 :].lstrip("\n")
    if not body.strip():
        raise Skip("has no text")
    title = meta.get("title") or _title_from_lines(body)
    stated = meta.get("date") or meta.get("published_at") or ""
    published, issue = checked_date(stated, "front matter 'date'")
    if not stated:
        for line in body.splitlines()[:5]:
            if m := _DATE_MARKER_RE.match(line):
                stated = m.group(1)
                published, issue = checked_date(stated, "the 'Date:' line")
                break
    if not stated:
        published = _not_future(find_date_near_top(body))
    return {
        "text": body,
        "title": title,
        "date": published,
        "date_issue": issue,
        "source": meta.get("source", ""),
        "url": meta.get("url", ""),
    }


def _date_in_text(text: str) -> date | None:
    """The date the text states ("Published 2024-08-14"), else the first one near the top
    (a byline's or dateline's), never one in the future; None when it gives none. A PDF's
    or page's own file dates say when the file was made, so they only come after this."""
    return _not_future(find_stated_date(text)) or _not_future(find_date_near_top(text))


def _not_future(found: date | None) -> date | None:
    """A date guessed from the text is dropped when it lies ahead (a plan, not a dateline)."""
    return found if found and not _in_future(found) else None


def _title_from_lines(text: str) -> str:
    for line in text.splitlines():
        line = _DATE_MARKER_RE.sub("", line).strip().lstrip("#").strip()
        if line and not _CREDIT_RE.match(line):
            if len(line) > TITLE_MAX_CHARS:
                line = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
            return line
    return ""


def read_html(html: str) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, favor_recall=True, include_comments=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        text = (trafilatura.html2txt(html) or "").strip()
    if not text:
        raise Skip("HTML page has no readable text")
    title = (getattr(doc, "title", None) or "") if doc is not None else ""
    published, issue = checked_date(
        (getattr(doc, "date", None) or "") if doc is not None else "", "the page's published date"
    )
    return {
        "text": text,
        "title": title or _title_from_lines(text),
        "date": published or _date_in_text(text),
        "date_issue": issue,
        "source": (getattr(doc, "sitename", None) or "") if doc is not None else "",
        "url": (getattr(doc, "url", None) or "") if doc is not None else "",
    }


def _read_pdf(raw: bytes) -> dict[str, Any]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with _pypdf_said() as said:
        try:
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                raise Skip("PDF is encrypted; decrypt it first")
            text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
            info: dict[Any, Any] = reader.metadata or {}
        except (PdfReadError, ValueError, KeyError) as err:
            raise Skip(f"not a readable PDF ({err})") from None
    if not text:
        raise Skip("PDF has no extractable text (scanned images need OCR first)")
    published, issue = _date_in_text(text), ""
    if published is None:  # the file's creation date, unless it is just the day of export
        m = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(info.get("/CreationDate") or ""))
        created, issue = checked_date("-".join(m.groups()) if m else "", "the PDF creation date")
        if created and created < date.today() - timedelta(days=1):
            published = created
        elif created:
            issue = (
                f"the text states no date and the PDF's creation date ({created}) is "
                "when the file was made; stored undated"
            )
    return {
        "text": text,
        "title": str(info.get("/Title") or "") or _title_from_lines(text),
        "date": published,
        "date_issue": issue,
        "source": "",
        "url": "",
        "read_issue": _damage_note(said),
    }


@contextmanager
def _pypdf_said() -> Iterator[list[str]]:
    """What pypdf logs while reading one file, kept off the screen (its bare `WARNING:
    incorrect startxref pointer(3)` lines named no file) and handed back to be said once,
    as a warning about that file."""
    said: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    keep, propagate = Keep(logging.WARNING), logger.propagate
    logger.addHandler(keep)
    logger.propagate = False
    try:
        yield said
    finally:
        logger.removeHandler(keep)
        logger.propagate = propagate


def _damage_note(said: list[str]) -> str:
    """One caveat for what pypdf had to repair, or "" when it said nothing."""
    if not said:
        return ""
    distinct = list(dict.fromkeys(line.strip() for line in said))
    more = f" and {len(distinct) - 1} more" if len(distinct) > 1 else ""
    return (
        f"PDF is damaged in places (pypdf: {distinct[0][:120]}{more}); it was read as far "
        "as possible, so its text may be incomplete"
    )


def _read_feed(file: Path, limits: Limits) -> Iterator[FeedRecord | ParseProblem]:
    """A .jsonl file holds one record a line; a .json file a record, a list, or {"articles": []}."""
    raw = file.read_bytes()
    if not raw.strip():
        raise Skip("file is empty")
    text = _decode(raw)
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
        title=str(record.get("title") or "") or _title_from_lines(text),
        date=published,
        source=str(record.get("source") or ""),
        url=url,
        limits=limits,
    ), issue


def make_document(
    *,
    doc_id: str,
    path: str,
    text: str,
    title: str,
    date: date | None,
    source: str,
    url: str,
    limits: Limits,
) -> Document:
    if len(text) > limits.max_article_chars:
        raise Skip(
            f"article text is {len(text):,} characters, over the "
            f"{limits.max_article_chars:,} limit (RAG_MAX_ARTICLE_CHARS); split it "
            "into articles, or raise the limit"
        )
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
        json.dumps(
            [text, {k: v for k, v in metadata.items() if k != "path"}], sort_keys=True
        ).encode()
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
