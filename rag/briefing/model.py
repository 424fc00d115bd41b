"""What a briefing is made of: lines citing sentences, dated events, and the whole.

Plain data; building (`rag.briefing.build`) and writing Markdown (`rag.briefing.markdown`)
live elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.answering.scoring import Sentence


@dataclass
class Line:
    text: str
    sentences: list[Sentence]  # the sentence and its syndicated twins, one per article
    numbers: list[int] = field(default_factory=list)


@dataclass
class Event:
    when: date
    label: str  # how the date was written
    line: Line
    last_day: date  # of the span it names ("June 1953": June 30); a day's own date


@dataclass
class Change:
    """One line of a refreshed briefing's "What changed" (`rag.following.changes`): a new
    fact, a figure that moved, or a new timeline event."""

    kind: str  # "new" | "moved" | "event"
    line: Line  # the line of this briefing it rests on
    was: Line | None = None  # moved: the last version's line, quoting the old figure
    what: str = ""  # moved: what the figure counts ("killed"); event: its date as written
    before: str = ""  # moved: the old figure as written
    after: str = ""  # moved: the new figure as written


@dataclass
class Briefing:
    topic: str
    generated_at: str
    filters: dict[str, Any]
    summary: list[Line]
    key_points: list[tuple[str, list[Line]]]
    timeline: list[Event]
    disagreements: list[list[tuple[str, Line]]]
    open_questions: list[Line]
    footnotes: list[Sentence]
    reproducibility: dict[str, Any]
    # one quantity given at different moments, oldest first: counts that moved
    over_time: list[list[tuple[str, Line]]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # against the topic's last version
    changed_since: str = ""  # when that version was made ("" for a briefing of its own)
