"""An HTML article page: its main text and meta tags, read with trafilatura.

The page's own published date is checked like any stated date; without one, the date the
text states. Only the fields are read here; `rag.ingest.documents` builds the `Document`.
"""

from __future__ import annotations

from typing import Any

from rag.ingest.documents import checked_date, date_in_text, title_from_lines
from rag.ingest.problems import Skip


def read_html(html: str) -> dict[str, Any]:
    """Text, title, date (and why a stated one was dropped), outlet and url of a page."""
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
        "title": title or title_from_lines(text),
        "date": published or date_in_text(text),
        "date_issue": issue,
        "source": (getattr(doc, "sitename", None) or "") if doc is not None else "",
        "url": (getattr(doc, "url", None) or "") if doc is not None else "",
    }
