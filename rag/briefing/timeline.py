"""A briefing's timeline: each line at the date it happened.

A line stands at the first date it states, resolved against its article's date
(`rag.briefing.when`: "on Monday" in an article of Tuesday 2024-10-01 is 2024-09-30), or,
stating none, at its article's date marked "(published)"; a date written in a clause that
only sets the scene ("since…", "after…", "where…") or describes a noun ("documents seized
during the search on Aug. 8") is not the line's, and a line that tells
a time of its own it does not date ("a month after…", "the 2003 outbreak") is not put at its
article's date. A month and day written without a year that the topic's articles write with
one, and only one, is of that year (`_years_written`): news leaves the year off a day every
reader knows, "January 6" for 2021 in 2022's hearings, "Oct. 7" for 2023 in 2025's Gaza news,
which the article's own year would misplace. A day more than a month before the article gives
way to any other day the line states ("the insurrection on January 6, 2021, … its first
hearing today"), and is not the day of a line that only tells what is to come. What it
leaves out: which lines there are (`rag.briefing.build`) and how the timeline is written
(`rag.briefing.markdown`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from rag.briefing.model import Event, Line
from rag.briefing.when import (
    Stated,
    speaks_of_what_is_to_come,
    stated_dates,
    tells_a_relative_time,
    tells_its_own_time,
)

_LONG_BEFORE_DAYS = 30  # a day further back than this is not the news of an article's week
_A_YEAR = re.compile(r"\b\d{4}\b")
_A_MONTH = re.compile(r"[A-Za-z]{3}")


def _years_written(dated: list[list[Stated]]) -> dict[tuple[int, int], int]:
    """Each month and day the lines write with its year, where they write it with one year."""
    years: dict[tuple[int, int], set[int]] = {}
    for stated in dated:
        for st in stated:
            if not st.month_only and _A_YEAR.search(st.written) and _A_MONTH.search(st.written):
                years.setdefault((st.day.month, st.day.day), set()).add(st.day.year)
    return {day: next(iter(found)) for day, found in years.items() if len(found) == 1}


def _gone_before(st: Stated, line: Line, published: date | None) -> bool:
    """Whether `st` is a day long gone in a line that tells what is to come, which cannot be
    that line's day ("the presentations will likely feature video clips from January 6"),
    unless a verb in the past stands beside it ("Biden said on Jan. 20 that he would…")."""
    if not _long_before(st, published):
        return False
    return not st.past_by_its_verb and speaks_of_what_is_to_come(line.text)


def _long_before(st: Stated, published: date | None) -> bool:
    """Whether `st` ends more than `_LONG_BEFORE_DAYS` before its article's date."""
    return published is not None and st.last_day < published - timedelta(_LONG_BEFORE_DAYS)


def _in_the_year_written(st: Stated, years: dict[tuple[int, int], int]) -> Stated:
    """A month and day written without a year, in the year the topic writes it with."""
    year = years.get((st.day.month, st.day.day))
    bare = not st.month_only and _A_MONTH.search(st.written) and not _A_YEAR.search(st.written)
    if year is None or not bare or year == st.day.year:
        return st
    return replace(st, day=st.day.replace(year=year))


def _published(line: Line) -> date | None:
    """The date of the article of the line's first sentence, if it has a valid one."""
    day = line.sentences[0].date
    try:
        return date.fromisoformat(day) if day else None
    except ValueError:
        return None


def _at_publication(line: Line, published: date) -> Event:
    """The line at its article's date, marked so: it states no date of its own."""
    return Event(published, f"{published.isoformat()} (published)", line, published)


def events(lines: list[Line]) -> list[Event]:
    """Each line at the first date it states, or, stating none, at its article's date; one
    published line per article, the most relevant (`lines` are best first). In date order,
    each (date, line) once."""
    found: list[Event] = []
    dated_articles: set[str] = set()
    dated = [stated_dates(line.text, _published(line)) for line in lines]
    years = _years_written(dated)
    for line, in_line in zip(lines, dated):
        published = _published(line)
        # a date in a clause that sets the scene is not the line's ("in Uvalde, where a gunman
        # killed 21 on May 24": the news is the district's decision, of the article's day)
        written = [_in_the_year_written(st, years) for st in in_line]
        stated = [
            st for st in written if not st.background and not _gone_before(st, line, published)
        ]
        describes = written and all(st.of_a_noun for st in written)
        if describes and published and not tells_a_relative_time(line.text):
            # every date it writes describes a noun ("documents seized during the search on
            # Aug. 8"): it tells an act of its article's day, and stays on the timeline there
            # as it stood at that date before (not one "published" line per article); a line
            # whose dates set the scene ("After agreeing to buy the company in April, Musk
            # spent months…") tells no day of its own
            found.append(_at_publication(line, published))
            continue
        if stated:  # a line stands once, at the first date it states
            # a day long before its article only where the line states no other ("The
            # committee investigating the insurrection on January 6, 2021, will hold its first
            # hearing today" is today's news); then a day before a month or year it mentions
            # ("Abe, first elected in 2006, was shot on Friday" happened on Friday); else the
            # first written ("pushing back the launch to September 27, NASA announced Monday")
            first_stated = min(
                stated,
                key=lambda st: (
                    _long_before(st, published),
                    st.month_only,
                    line.text.find(st.written),
                ),
            )
            found.append(Event(first_stated.day, first_stated.label, line, first_stated.last_day))
        first = line.sentences[0]
        if (
            not stated
            and published
            and first.doc not in dated_articles
            and not tells_its_own_time(line.text, published)
        ):
            dated_articles.add(first.doc)
            found.append(_at_publication(line, published))
    seen: set[tuple[date, str]] = set()
    unique: list[Event] = []
    for ev in sorted(found, key=lambda e: (e.when, e.line.text)):
        if (ev.when, ev.line.text) not in seen:
            seen.add((ev.when, ev.line.text))
            unique.append(ev)
    return unique
