"""What the `/ask` API accepts, checked before any work is done.

The API is reachable by any script, not only by the page's widgets, so its inputs are
bounded here: a question of 1 to 2,000 characters, `top_k` a whole number from 1 to 20
(−1 or 100000 once disabled the cap or returned every passage while holding the answer
lock for seconds), dates in YYYY-MM-DD, and outlets a short list of strings. Each refusal is
one sentence naming the field, raised as `ValueError` for the app to show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rag import Filters, parse_date

MAX_QUESTION_CHARS = 2000
MAX_TOP_K = 20
MAX_OUTLETS = 50
MAX_OUTLET_CHARS = 200


def question(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("question: give a non-empty question about the articles")
    if len(value) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"question: {len(value)} characters is over the limit of {MAX_QUESTION_CHARS}"
        )
    return value.strip()


def top_k(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOP_K:
        raise ValueError(f"top_k: must be a whole number from 1 to {MAX_TOP_K} (got {value!r})")
    return value


def day(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed: date | None = parse_date(value) if isinstance(value, str) and len(value) <= 40 else None
    if parsed is None:
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a date; use YYYY-MM-DD")
    return parsed


def outlets(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("outlets: must be a list of outlet names (strings)")
    if len(value) > MAX_OUTLETS or any(len(v) > MAX_OUTLET_CHARS for v in value):
        raise ValueError(
            f"outlets: at most {MAX_OUTLETS} names of at most {MAX_OUTLET_CHARS} characters"
        )
    return tuple(v.strip() for v in value if v.strip())


def ask_request(
    question_: Any, since: Any, until: Any, sources: Any, k: Any
) -> tuple[str, Filters, int]:
    """The API's arguments checked: (question, filters, top_k), or a `ValueError`."""
    first, last = day(since, "since"), day(until, "until")
    if first and last and first > last:
        raise ValueError(f"since {first} is after until {last}")
    return question(question_), Filters(since=first, until=last, sources=outlets(sources)), top_k(k)
