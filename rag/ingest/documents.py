"""What every article reader shares: the checks of a title and a date, and the `Document`.

A stated date is kept only when it reads and is not in the future; a date guessed from the
text is dropped when it lies ahead; a title falls back to the first line that is not a
photo credit. `make_document` refuses an over-long article and gives the `Document` its
metadata and content hash. Reading any one format is its reader's job (`rag.ingest.formats`
lists them).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from urllib.parse import urlparse

from llama_index.core import Document

from rag.ingest.problems import Limits, Skip
from rag.text.dates import find_date_near_top, find_stated_date, parse_date

TITLE_MAX_CHARS = 140
# Metadata that only locates a chunk; kept out of what is embedded or shown to an LLM.
BOOKKEEPING_KEYS = ["doc_id", "date_int", "url", "path", "content_hash"]

DATE_MARKER_RE = re.compile(r"^\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_CREDIT_RE = re.compile(r"^(photo|image|picture)( credit)?\s*[:(]|^credit\s*:", re.I)


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


def decode_utf8(raw: bytes) -> str:
    """A file's text (a leading byte-order mark dropped); other bytes than UTF-8 are refused,
    saying which and where."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Skip(
            f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save it as UTF-8"
        ) from None


def date_in_text(text: str) -> date | None:
    """The date the text states ("Published 2024-08-14"), else the first one near the top
    (a byline's or dateline's), never one in the future; None when it gives none. A PDF's
    or page's own file dates say when the file was made, so they only come after this."""
    return not_future(find_stated_date(text)) or not_future(find_date_near_top(text))


def not_future(found: date | None) -> date | None:
    """A date guessed from the text is dropped when it lies ahead (a plan, not a dateline)."""
    return found if found and not _in_future(found) else None


def title_from_lines(text: str) -> str:
    """The first line that is not a date marker or a photo credit, cut at a word boundary
    near TITLE_MAX_CHARS; "" for a text without one."""
    for line in text.splitlines():
        line = DATE_MARKER_RE.sub("", line).strip().lstrip("#").strip()
        if line and not _CREDIT_RE.match(line):
            if len(line) > TITLE_MAX_CHARS:
                line = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
            return line
    return ""


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
    """The article as a `Document`: its metadata, a hash of what it says (its path aside),
    and which keys stay out of embeddings and prompts. Over RAG_MAX_ARTICLE_CHARS: refused."""
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
