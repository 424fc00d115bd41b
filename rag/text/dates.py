"""Dates in articles: parse what a field or a line says, and find a date near the top.

Only calendar dates with a year are taken ("2024-10-01", "January 4, 2024", "4 Jan 2024");
relative phrases ("last Tuesday") are left alone because the ingest cannot know their anchor.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTH_NUMBERS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH_NUMBERS["sept"] = 9
# One alternation for every month name and abbreviation, longest first so "june" beats "jun".
MONTHS = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
WEEKDAYS = tuple(name.lower() for name in calendar.day_name)
DATE_RE = re.compile(
    rf"\b(\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}} (?:{MONTHS})\.?,? \d{{4}})\b",
    re.IGNORECASE,
)
TOP_CHARS = 800


def parse_date(value: str) -> date | None:
    """A date from an ISO string, an ISO datetime, or a written date; None if unreadable."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    if not DATE_RE.fullmatch(value):
        return None
    from dateutil import parser

    try:
        day: date = parser.parse(value.replace(".", ""), fuzzy=False).date()
        return day
    except (ValueError, OverflowError):
        return None


_DAY_OF_YEAR = re.compile(
    rf"^(?:(?P<m1>{MONTHS})\.? (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m2>{MONTHS})\.?)(?:,? (?P<y>\d{{4}}))?$",
    re.IGNORECASE,
)


def written_day(text: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) of a text that is only a day of the year, written either
    way round, with or without its year ("May 6", "6 May 2023", "Sept. 14th, 2022"); None
    for anything else. A short answer "May 6" and a gold "6 May 2023" are the same day."""
    m = _DAY_OF_YEAR.match(" ".join(text.split()).strip(" .,"))
    if not m:
        return None
    month = MONTH_NUMBERS[(m.group("m1") or m.group("m2")).lower()]
    year = m.group("y")
    return month, int(m.group("d1") or m.group("d2")), int(year) if year else None


# "Published 2024-08-14", "Updated: Aug. 14, 2024", "Posted on 14 August 2024", "Date - …"
_STATED = re.compile(
    rf"\b(?:first\s+)?(?:published|posted|updated|date[d]?)\b[\s:,\-–—]*"
    rf"(?:on\s+)?(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?({DATE_RE.pattern[2:-2]})",
    re.IGNORECASE,
)
STATED_CHARS = 3000


def find_stated_date(text: str) -> date | None:
    """The date an article says it was published ("Published 2024-08-14", "Posted on …")
    within its opening; a byline's or dateline's date is left to `find_date_near_top`."""
    for match in _STATED.finditer(text[:STATED_CHARS]):
        if found := parse_date(match.group(1)):
            return found
    return None


def find_date_near_top(text: str) -> date | None:
    """The first written date in the opening lines of an article, taken as its date."""
    for match in DATE_RE.finditer(text[:TOP_CHARS]):
        if found := parse_date(match.group(0)):
            return found
    return None


def minute_utc(iso: str) -> str:
    """An ISO time in UTC as a reader reads it: "2026-12-04 19:48 UTC"."""
    return f"{iso[:16].replace('T', ' ')} UTC" if len(iso) >= 16 else iso


def dates_in(text: str) -> list[tuple[int, int, date]]:
    """Every calendar date stated in `text`, with its character span."""
    found = []
    for match in DATE_RE.finditer(text):
        if parsed := parse_date(match.group(0)):
            found.append((match.start(), match.end(), parsed))
    return found
