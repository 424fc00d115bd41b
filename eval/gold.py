"""Gold Q&A files: one JSON object a line, validated field by field.

Format (a stable interface others write to): `{"id": str, "question": str, "answers": [str],
"evidence": [{"doc": str, "quote": str}], "answerable": bool, "tags": [str], "as_of":
"YYYY-MM-DD", "after": [str]}`. `answers` is empty when the question is unanswerable;
`evidence.doc` is an article id as `rag ingest` assigns it and `quote` verbatim text of it.
`as_of` (optional) is the day the question was asked, so "this week" or "in June" resolve as
they did then; it may also come as `meta.question_date` (RealTime QA's field, "YYYY/MM/DD").
`after` (optional) holds the questions asked before this one in the same chat, oldest
first: the question is then a follow-up, read as the chat reads it. Errors name the file,
line and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


class GoldError(ValueError):
    """A gold file that cannot be used, with the place to fix."""


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    answerable: bool
    tags: tuple[str, ...] = field(default_factory=tuple)
    as_of: date | None = None  # the day the question was asked
    after: tuple[str, ...] = ()  # the questions asked before it in its chat, oldest first
    line: int = field(default=0, compare=False)  # where in the gold file, for errors


def _as_of(record: dict, where: str) -> date | None:
    raw = record.get("as_of") or (record.get("meta") or {}).get("question_date")
    if raw is None:
        return None
    try:
        return date.fromisoformat(str(raw).replace("/", "-"))
    except ValueError:
        raise GoldError(f"{where}: field 'as_of' must be a date YYYY-MM-DD, not {raw!r}") from None


def _require(record: dict, key: str, kind: type, where: str) -> object:
    if key not in record:
        raise GoldError(f"{where}: missing field '{key}'")
    value = record[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise GoldError(f"{where}: field '{key}' must be a non-empty {kind.__name__}")
    return value


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldError(f"{where}: field '{key}' must be a list of strings")
    return tuple(value)


def load_gold(path: Path) -> list[GoldItem]:
    """All items of a gold file; the first bad line raises `GoldError` naming it."""
    if not path.exists():
        raise GoldError(f"{path}: no such gold file")
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{where}: malformed JSON ({err.msg})") from None
        if not isinstance(record, dict):
            raise GoldError(f"{where}: expected a JSON object")
        item_id = str(_require(record, "id", str, where))
        if item_id in seen:
            raise GoldError(f"{where}: field 'id' repeats {item_id!r}")
        seen.add(item_id)
        answerable = _require(record, "answerable", bool, where)
        answers = _strings(record.get("answers", []), "answers", where)
        if answerable and not answers:
            raise GoldError(f"{where}: field 'answers' is empty but 'answerable' is true")
        evidence = []
        for k, ev in enumerate(record.get("evidence", [])):
            if not isinstance(ev, dict):
                raise GoldError(f"{where}: field 'evidence[{k}]' must be an object")
            evidence.append(
                Evidence(
                    str(_require(ev, "doc", str, f"{where} evidence[{k}]")),
                    str(_require(ev, "quote", str, f"{where} evidence[{k}]")),
                )
            )
        items.append(
            GoldItem(
                id=item_id,
                question=str(_require(record, "question", str, where)),
                answers=answers,
                evidence=tuple(evidence),
                answerable=bool(answerable),
                tags=_strings(record.get("tags", []), "tags", where),
                as_of=_as_of(record, where),
                after=_strings(record.get("after", []), "after", where),
                line=number,
            )
        )
    if not items:
        raise GoldError(f"{path}: holds no questions")
    return items
