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
