"""A plain text or Markdown article: front matter, a title line, a date line or an early date.

Front matter (`---` ... `---`) may give title, date, published_at, source and url; otherwise
the title is the first line and the date a `Date:` line or one stated near the top. Only the
fields are read here; `rag.ingest.documents` builds the `Document`.
"""

from __future__ import annotations

import re
from typing import Any

from rag.ingest.documents import (
    DATE_MARKER_RE,
    checked_date,
    not_future,
    title_from_lines,
)
from rag.ingest.problems import Skip
from rag.text.dates import find_date_near_top

_HEADER_RE = re.compile(r"^\s*(title|date|published_at|source|url)\s*:\s*(.+?)\s*$", re.I)


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
    title = meta.get("title") or title_from_lines(body)
    stated = meta.get("date") or meta.get("published_at") or ""
    published, issue = checked_date(stated, "front matter 'date'")
    if not stated:
        for line in body.splitlines()[:5]:
            if m := DATE_MARKER_RE.match(line):
                stated = m.group(1)
                published, issue = checked_date(stated, "the 'Date:' line")
                break
    if not stated:
        published = not_future(find_date_near_top(body))
    return {
        "text": body,
        "title": title,
        "date": published,
        "date_issue": issue,
        "source": meta.get("source", ""),
        "url": meta.get("url", ""),
    }
