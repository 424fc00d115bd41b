"""The environment variables behind `Settings`: naming them in errors and catching typos.

A validation error becomes one line naming each variable at fault and its value; a `RAG_*`
variable no setting reads is named with the closest real one, since settings ignore unknown
variables. Reading and checking the values is `Settings`' own job.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from pydantic import AliasChoices, ValidationError

from rag.errors import problem_message
from rag.settings.env import Settings

# RAG_* variables read by something other than Settings (eval.bench's runner; the tests)
OTHER_VARIABLES = frozenset({"RAG_BENCH_SEEDS", "RAG_LIVE_LLM"})


def describe_error(err: ValidationError) -> str:
    """One line naming the environment variable(s) at fault and what is wrong with each."""
    parts = []
    for problem in err.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = variable_name(field)
        value = problem.get("input")
        message = problem_message(problem)
        if isinstance(value, Path):
            value = str(value)
        shown = f"{name}={value!r}" if isinstance(value, (str, int, float)) else name
        parts.append(f"{shown}: {message}")
    return "; ".join(parts)


def variable_name(field: str) -> str:
    """The environment variable that sets `field` (the name error messages use)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    return str(alias.choices[-1]) if isinstance(alias, AliasChoices) else f"RAG_{field.upper()}"


def _variable_fields() -> dict[str, str]:
    """Every environment variable Settings reads (upper case), with its field."""
    names = {}
    for field, info in Settings.model_fields.items():
        names[f"RAG_{field.upper()}"] = field
        alias = info.validation_alias
        for choice in alias.choices if isinstance(alias, AliasChoices) else ():
            names[str(choice).upper()] = field
    return names


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A line for each `RAG_*` variable no setting reads, with the closest real one.

    Settings ignore unknown variables (`extra="ignore"`), so a misspelt RAG_CHUNK_SIZE would
    silently leave chunking at its default; saying so is the only hint a user gets."""
    known = _variable_fields()
    lines = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith("RAG_") or upper in known or upper in OTHER_VARIABLES:
            continue
        close = difflib.get_close_matches(
            upper.removeprefix("RAG_").lower(), list(Settings.model_fields), n=1
        )
        hint = f"; did you mean {variable_name(close[0])}?" if close else ""
        lines.append(f"{name} is not a setting, so it is ignored{hint}")
    return lines
