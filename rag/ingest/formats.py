"""One article file (or feed) → llama-index `Document`s with title, date, source and url.

Reads .txt/.md (title = first line, a date line or front matter), .html/.htm (trafilatura:
main text and meta tags), .pdf and .json/.jsonl feeds (one record a line). A file that cannot
be read raises `Skip` with the reason; a kept article with a caveat yields a `ParseWarning`
(what pypdf logs about a damaged PDF is one of those, never its own log line). A feed record
comes as a `FeedRecord`, its line with it. Each family is read in its own module
(`text_files`, `html_pages`, `pdf_files`, `json_records`), and all build their `Document`s
with `rag.ingest.documents`. It neither walks folders (`rag.ingest.readers`) nor chunks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from llama_index.core import Document

from rag.ingest.documents import decode_utf8, make_document
from rag.ingest.html_pages import read_html
from rag.ingest.json_records import FeedRecord, read_records
from rag.ingest.pdf_files import read_pdf
from rag.ingest.problems import Limits, ParseProblem, ParseWarning, Skip
from rag.ingest.text_files import read_text

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
            yield from read_records(file, limits)
            return
        raw = file.read_bytes()
        if not raw.strip():
            raise Skip("file is empty")
        if kind == "pdf":
            fields = read_pdf(raw)
        else:
            if b"\x00" in raw[:8192]:
                raise Skip("looks binary (contains NUL bytes), not a text article")
            text = decode_utf8(raw)
            fields = read_html(text) if kind == "html" else read_text(text)
        issues = [fields.pop("read_issue", ""), fields.pop("date_issue", "")]
        yield make_document(doc_id=rel, path=str(file), limits=limits, **fields)
        yield from (ParseWarning(str(file), issue) for issue in issues if issue)
    except Skip as why:
        yield ParseProblem(str(file), str(why))
    except OSError as err:
        yield ParseProblem(str(file), f"cannot be read ({err.strerror or err})")
