"""A PDF article: its text with pypdf, its title and a date it can be trusted with.

The date is the one the text states, else the file's creation date unless that is only the
day it was exported. What pypdf logs about a damaged file becomes one caveat about that file,
never its own log line. Only the fields are read here; `rag.ingest.documents` builds the
`Document`. Scanned pages (no text layer) are refused, not read with OCR.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any, Iterator

from rag.ingest.documents import checked_date, date_in_text, title_from_lines
from rag.ingest.problems import Skip


def read_pdf(raw: bytes) -> dict[str, Any]:
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
    published, issue = date_in_text(text), ""
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
        "title": str(info.get("/Title") or "") or title_from_lines(text),
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
