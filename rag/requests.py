"""What a question asked from outside may hold, checked before any work is done.

The web UI's fields, its `/ask` endpoint, the REST and OpenAI-compatible API and the MCP
tools all take questions and filters from people and programs this process does not
control, so their inputs are bounded here, once: a question of 1 to 2,000 characters,
`top_k` a whole number from 1 to 20 (−1 or 100000 once disabled the cap or returned every
passage while holding the answer lock for seconds), dates in YYYY-MM-DD, and outlets a short
list of strings. Each refusal is one sentence naming the field, raised as `ValueError`.

`AskRequest` is the same checks as a pydantic model, for the HTTP API (FastAPI reads and
documents it) and the MCP tools; `ask_request` is them on positional arguments, for
Gradio's `/ask`. What an answer is, and how it is produced, is not here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rag.retrieval import Filters
from rag.text.dates import parse_date

MAX_QUESTION_CHARS = 2000
MAX_TOP_K = 20
MAX_OUTLETS = 50
MAX_OUTLET_CHARS = 200


def checked_question(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("question: give a non-empty question about the articles")
    if len(value) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"question: {len(value)} characters is over the limit of {MAX_QUESTION_CHARS}"
        )
    return value.strip()


def checked_top_k(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOP_K:
        raise ValueError(f"top_k: must be a whole number from 1 to {MAX_TOP_K} (got {value!r})")
    return value


def checked_day(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    parsed: date | None = parse_date(value) if isinstance(value, str) and len(value) <= 40 else None
    if parsed is None:
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a date; use YYYY-MM-DD")
    return parsed


def checked_outlets(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("outlets: must be a list of outlet names (strings)")
    if len(value) > MAX_OUTLETS or any(len(v) > MAX_OUTLET_CHARS for v in value):
        raise ValueError(
            f"outlets: at most {MAX_OUTLETS} names of at most {MAX_OUTLET_CHARS} characters"
        )
    return tuple(v.strip() for v in value if v.strip())


def checked_span(first: date | None, last: date | None) -> None:
    if first and last and first > last:
        raise ValueError(f"since {first} is after until {last}")


def ask_request(
    question_: Any, since: Any, until: Any, sources: Any, k: Any
) -> tuple[str, Filters, int]:
    """The `/ask` endpoint's arguments checked: (question, filters, top_k), or a `ValueError`."""
    first, last = checked_day(since, "since"), checked_day(until, "until")
    checked_span(first, last)
    filters = Filters(since=first, until=last, sources=checked_outlets(sources))
    return checked_question(question_), filters, checked_top_k(k)


class Scope(BaseModel):
    """Which articles to read: dates and outlets (every field optional)."""

    model_config = ConfigDict(extra="forbid")

    since: date | None = Field(None, description="Only articles dated on/after (YYYY-MM-DD).")
    until: date | None = Field(None, description="Only articles dated on/before (YYYY-MM-DD).")
    outlets: tuple[str, ...] = Field((), description="Only these outlets (none: all).")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _day(cls, value: Any, info: Any) -> date | None:
        return checked_day(value, info.field_name)

    @field_validator("outlets", mode="before")
    @classmethod
    def _outlets(cls, value: Any) -> tuple[str, ...]:
        return checked_outlets(value)

    @model_validator(mode="after")
    def _span(self) -> "Scope":
        checked_span(self.since, self.until)
        return self

    @property
    def filters(self) -> Filters:
        return Filters(since=self.since, until=self.until, sources=self.outlets)


class AskRequest(Scope):
    """A question with its filters, as the HTTP API and the MCP tools take it."""

    question: str = Field(description="The question, in plain words (1-2,000 characters).")
    as_of: date | None = Field(
        None,
        description="The day the question is asked (YYYY-MM-DD): 'this year' and month "
        "names resolve against it. Default: today.",
    )
    top_k: int | None = Field(
        None, description=f"Passages to answer from (1-{MAX_TOP_K}; default the setting)."
    )

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, value: Any) -> str:
        return checked_question(value)

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: Any) -> date | None:
        return checked_day(value, "as_of")

    @field_validator("top_k", mode="before")
    @classmethod
    def _top_k(cls, value: Any) -> int | None:
        return None if value is None else checked_top_k(value)
