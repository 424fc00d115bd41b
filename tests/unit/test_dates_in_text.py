"""An article's date comes from what its text says before any file date, and never today's.

A PDF exported today carries today's /CreationDate; an article inside it that says
"Published 2024-08-14" is from 2024, and one that says nothing is undated, not today's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rag.ingest.formats import read_file
from rag.ingest.problems import Limits, ParseWarning
from rag.text.dates import find_stated_date
from tests.helpers.pdf import minimal_pdf

TODAY = "D:" + date.today().strftime("%Y%m%d") + "080000Z"


def read(path: Path) -> tuple[str, list[str]]:
    items = list(read_file(path, path.name, Limits()))
    [document] = [i for i in items if not isinstance(i, ParseWarning)]
    return document.metadata["date"], [i.message for i in items if isinstance(i, ParseWarning)]


def test_a_pdf_exported_today_is_dated_by_the_published_line_in_its_text(tmp_path: Path) -> None:
    pdf = tmp_path / "harbour.pdf"
    pdf.write_bytes(
        minimal_pdf(
            [
                "Harbour reopens after dredging",
                "The city council met on 2 March 2024 about it.",
                "Published 2024-08-14",
                "The harbour reopened on Tuesday, the city said.",
            ],
            TODAY,
        )
    )
    assert read(pdf)[0] == "2024-08-14"  # the stated date, not the earlier one, not today


def test_a_pdf_with_a_byline_date_only_uses_it(tmp_path: Path) -> None:
    pdf = tmp_path / "byline.pdf"
    pdf.write_bytes(
        minimal_pdf(
            ["Harbour reopens", "By Jane Doe, August 14, 2024", "The harbour reopened on Tuesday."],
            TODAY,
        )
    )
    assert read(pdf)[0] == "2024-08-14"


def test_a_pdf_whose_text_gives_no_date_is_undated_not_today(tmp_path: Path) -> None:
    pdf = tmp_path / "undated.pdf"
    pdf.write_bytes(minimal_pdf(["Harbour reopens", "The harbour reopened on Tuesday."], TODAY))
    day, warnings = read(pdf)
    assert day == "" and any("creation date" in w and "stored undated" in w for w in warnings)
    old = tmp_path / "old.pdf"
    old.write_bytes(minimal_pdf(["Harbour reopens", "The harbour reopened."], "D:20190301120000Z"))
    assert read(old)[0] == "2019-03-01"  # an old creation date is the best there is


def test_html_dates_from_meta_time_tags_and_text(tmp_path: Path) -> None:
    body = (
        "<p>The ferry resumed service after storms, the port authority said on "
        "Wednesday, and more words follow so the page reads as an article.</p>"
    )
    pages = {
        "meta.html": f"<html><head><title>Ferry</title><meta property='article:published_time'"
        f" content='2024-08-14T10:00:00Z'></head><body><article>{body}</article>"
        "</body></html>",
        "time.html": f"<html><body><article><h1>Ferry</h1><time datetime='2024-08-14'>Aug 14"
        f"</time>{body}</article></body></html>",
        "text.html": f"<html><body><article><h1>Ferry</h1><p>Published 2024-08-14</p>{body}"
        "</article></body></html>",
        "none.html": f"<html><body><article><h1>Ferry</h1>{body}</article></body></html>",
    }
    found = {}
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
        found[name] = read(tmp_path / name)[0]
    assert found == {
        "meta.html": "2024-08-14",
        "time.html": "2024-08-14",
        "text.html": "2024-08-14",
        "none.html": "",
    }


def test_stated_dates_in_words() -> None:
    assert find_stated_date("Updated: Aug. 14, 2024 · 3 min read") == date(2024, 8, 14)
    assert find_stated_date("Posted on Wednesday, 14 August 2024") == date(2024, 8, 14)
    assert find_stated_date("published in 2024 by the city") is None
