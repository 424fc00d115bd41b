"""A briefing's timeline: each line at the date it happened.

A line stands at the first date it states, resolved against its article's date
(`rag.briefing.when`: "on Monday" in an article of Tuesday 2024-10-01 is 2024-09-30), or,
stating none, at its article's date marked "(published)"; a date written in a clause that
only sets the scene ("since…", "after…", "where…") or describes a noun ("documents seized
during the search on Aug. 8") is not the line's, and a line that tells
a time of its own it does not date ("a month after…", "the 2003 outbreak") is not put at its
article's date. What it leaves out: which lines there are (`rag.briefing.build`) and how
the timeline is written (`rag.briefing.markdown`).
"""

from __future__ import annotations

from datetime import date

from rag.briefing.model import Event, Line
from rag.briefing.when import stated_dates, tells_a_relative_time, tells_its_own_time


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
    for line in lines:
        published = _published(line)
        # a date in a clause that sets the scene is not the line's ("in Uvalde, where a gunman
        # killed 21 on May 24": the news is the district's decision, of the article's day)
        written = stated_dates(line.text, published)
        stated = [st for st in written if not st.background]
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
            # a day the line states before a month or year it mentions ("Abe, first elected
            # in 2006, was shot on Friday" happened on Friday); else the first written
            first_stated = min(stated, key=lambda st: (st.month_only, line.text.find(st.written)))
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
