"""Bad settings and a corrupt store: one `error:` line saying what and what to do, no trace."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers import SEEDS, run_rag


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("command", [("docs",), ("eval", "--gold", "eval/gold/seeds.jsonl")])
@pytest.mark.parametrize(
    "name, value, start",
    [
        ("RAG_TOP_K", "abc", "error: bad setting RAG_TOP_K='abc': Input should be a valid integer"),
        ("RAG_EMBED_BACKEND", "bert", "error: bad setting RAG_EMBED_BACKEND='bert'"),
        (
            "RAG_CHROMA_URL",
            "http://[bad",
            "error: bad setting RAG_CHROMA_URL='http://[bad': is not a URL",
        ),
        ("RAG_DATA_DIR", "", "error: bad setting RAG_DATA_DIR='': is empty"),
        (
            "RAG_COLLECTION",
            "a/b",
            "error: bad setting RAG_COLLECTION='a/b': is not a collection "
            "name; use 3-502 letters, digits",
        ),
        (
            "RAG_ANSWER_BAR",
            "nan",
            "error: bad setting RAG_ANSWER_BAR='nan': Input should be a finite number",
        ),
    ],
)
def test_bad_setting_is_one_line(
    command: tuple[str, ...], name: str, value: str, start: str
) -> None:
    result = run_rag(*command, env={name: value}, timeout=120)
    assert result.returncode == 2
    assert _one_error_line(result.stderr).startswith(start)


def test_unknown_variables_are_warned_about_one_line_each() -> None:
    result = run_rag(
        "docs", env={"RAG_CHUNK_SIZE": "100", "RAG_LLM_BASE_URL": "http://x"}, timeout=120
    )
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "warning: RAG_CHUNK_SIZE is not a setting, so it is ignored; did you mean "
        "RAG_CHUNK_TOKENS?",
        "warning: RAG_LLM_BASE_URL is not a setting, so it is ignored; did you mean "
        "OPENAI_BASE_URL?",
    ]


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    a_file = tmp_path / "store"
    a_file.write_text("x")
    result = run_rag("docs", env={"RAG_DATA_DIR": str(a_file)})
    assert result.returncode == 2
    assert _one_error_line(result.stderr) == (
        f"error: bad setting RAG_DATA_DIR='{a_file}': "
        "is a file, not a folder; give a folder for the "
        "store"
    )


@pytest.mark.parametrize(
    "damage, commands, says",
    [
        pytest.param(
            os.urandom,  # every byte overwritten
            (("docs",), ("doctor",), ("ingest", str(SEEDS)), ("ask", "Who is Deif?")),
            "is not a readable Chroma database (",
            id="corrupt",
        ),
        pytest.param(
            lambda size: b"",  # truncated: Chroma would quietly start an empty store in it
            (("docs",), ("doctor",), ("stats",)),
            "is empty (0 bytes): the database was truncated",
            id="zero-byte",
        ),
    ],
)
def test_a_damaged_database_is_one_line_saying_how_to_rebuild(
    seeded_data: Path,
    damage: Callable[[int], bytes],
    commands: tuple[tuple[str, ...], ...],
    says: str,
) -> None:
    data = seeded_data
    env = {"RAG_DATA_DIR": str(data)}
    database = data / "chroma" / "chroma.sqlite3"
    database.write_bytes(damage(database.stat().st_size))
    for command in commands:
        result = run_rag(*command, env=env)
        assert result.returncode == 2, command
        line = _one_error_line(result.stderr)
        assert line.startswith(f"error: {database.resolve()} {says}")
        assert line.endswith(
            f"Rebuild the store: move {data.resolve()} aside (e.g. `mv "
            f"{data.resolve()} {data.resolve()}.broken`), then `rag ingest` "
            "your article folders again."
        )
        assert "consistent" not in result.stdout
