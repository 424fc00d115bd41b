"""The dates a sentence states, resolved against the date of its article.

A timeline orders events by when they happened, not when they were reported: "Abe was shot on
Friday" in an article of Saturday 2022-07-09 happened on 2022-07-08. Written dates with a year
are taken as they are, and so are a month with a year and a bare year after "in" ("was in
2003"), standing at their first day; a month and day without a year take the article's year (the
year before when that would put an event told in the past after the article); weekdays, "yesterday",
"today" and "last night" are counted back from the article's date, or forward when the
sentence speaks of what will happen ("will meet on Monday"); the weekday after the article's
date is taken as the next day (a dateline a time zone behind the event), not six days back.
Sentences of undated articles keep only their written dates with a year.

What this leaves out: spans ("between March and May"), "last week", times of day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rag.text.dates import MONTH_NUMBERS, MONTHS, dates_in

_WEEKDAY_NAMES = [d.lower() for d in calendar.day_name]
_WEEKDAY = re.compile(
    r"\b(?:(last|this|next|on|since|until|by)\s+)?("
    + "|".join(calendar.day_name)
    + r")\b(?!\s*,?\s*(?i:"
    + MONTHS
    + r")\b)"
)
_MONTH_DAY = re.compile(
    rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})"
    r"(?!\s*(?:million|billion|percent|%))(?!-)",
    re.I,
)  # not "October 7-style"
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|tonight|last night|this morning)\b", re.I)
_FUTURE = re.compile(
    r"\b(will|would|should|to be held|is set to|are set to|scheduled|"
    r"plans? (?:to|on)|expected to|forecast|next)\b",
    re.I,
)
# a bare year is an event's date after "in" ("the last outbreak was in 2003"), not in a span
# ("2021-22"), a name ("in 2022 Stanley Cup playoffs") or "since 2001" (what happened then
# is not the news: "their first Stanley Cup since 2001")
_IN_YEAR = re.compile(
    r"\b(?i:in)\s+((?:1[89]|20)\d\d)\b(?![-–/]\d)(?!\s+[A-Z])"
    r"(?!\s*(?:%|percent))"
)
_MONTH_YEAR = re.compile(
    r"\b(?i:in|since|by|from|until)\s+("
    + "|".join(m for m in calendar.month_name if m)
    + r")\s+((?:19|20)\d\d)\b"
)


@dataclass(frozen=True)
class Stated:
    """A date a sentence states: the day, and how it was written ("Friday", "July 8")."""

    day: date
    written: str
    month_only: bool = False  # "in January 2024", "in 2003": the first day stands for it

    @property
    def label(self) -> str:
        if self.month_only:
            return self.written
        iso = self.day.isoformat()
        return iso if self.written == iso else f"{iso} ({self.written})"


def stated_dates(text: str, published: date | None) -> list[Stated]:
    """Every date `text` states, resolved against `published` (see the module docstring)."""
    found: list[Stated] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, stated: Stated) -> None:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            found.append(stated)

    for start, end, stated_day in dates_in(text):
        add(start, end, Stated(stated_day, text[start:end]))
    for m in _MONTH_YEAR.finditer(text):
        month = list(calendar.month_name).index(m.group(1))
        add(
            m.start(1),
            m.end(),
            Stated(date(int(m.group(2)), month, 1), f"{m.group(1)} {m.group(2)}", month_only=True),
        )
    for m in _IN_YEAR.finditer(text):
        add(m.start(1), m.end(1), Stated(date(int(m.group(1)), 1, 1), m.group(1), month_only=True))
    if published is None:
        return found
    future = bool(_FUTURE.search(text))
    for m in _MONTH_DAY.finditer(text):
        month, day = MONTH_NUMBERS[m.group(1).lower().rstrip(".")], int(m.group(2))
        try:
            when = date(published.year, month, day)
        except ValueError:
            continue
        if not future and when > published:  # reported as past: not later than the article
            when = date(published.year - 1, month, day)
        add(m.start(), m.end(), Stated(when, m.group(0)))
    for m in _WEEKDAY.finditer(text):
        word, name = (m.group(1) or "").lower(), m.group(2)
        target = _WEEKDAY_NAMES.index(name.lower())
        ahead = word in {"next", "until", "by"} or (future and word not in {"last", "since"})
        if ahead:
            when = published + timedelta(days=(target - published.weekday()) % 7 or 7)
        elif (published.weekday() + 1) % 7 == target:
            # the day after the dateline is "Friday" abroad while it is still Thursday where
            # the article was dated (Abe was shot on Friday in Nara; USA Today dated the news
            # Thursday): a day of time zone, not six days back
            when = published + timedelta(days=1)
        else:
            when = published - timedelta(days=(published.weekday() - target) % 7)
        add(m.start(2), m.end(2), Stated(when, name))
    for m in _RELATIVE_DAY.finditer(text):
        word = m.group(1).lower()
        when = published - timedelta(days=1) if word in {"yesterday", "last night"} else published
        add(m.start(), m.end(), Stated(when, m.group(1)))
    return sorted(found, key=lambda s: s.day)
