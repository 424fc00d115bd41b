"""A store whose database was partly overwritten: Chroma's Rust engine
panics on it, and every command must still end with one line naming the database file and
saying how to rebuild, never Rust's panic report or a Python traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.helpers import run_rag


def _overwrite_blocks(database: Path, seed: int, blocks: int = 4, size: int = 512) -> None:
    """Random bytes over `blocks` runs of `size` bytes in the middle half of the file, as a
    failing disk or a stray write would leave it."""
    rng = random.Random(seed)
    length = database.stat().st_size
    with database.open("r+b") as file:
        for _ in range(blocks):
            file.seek(rng.randrange(length // 4, 3 * length // 4))
            file.write(rng.randbytes(size))


@pytest.mark.parametrize("seed", [2, 3])
def test_overwritten_database_is_one_line(seeded_data: Path, seed: int) -> None:
    data = seeded_data
    env = {"RAG_DATA_DIR": str(data)}
    database = data / "chroma" / "chroma.sqlite3"
    _overwrite_blocks(database, seed)
    for command in (("ask", "Who is Mohammed Deif?"), ("doctor", "--repair")):
        result = run_rag(*command, env=env)
        said = result.stdout + result.stderr
        assert result.returncode != 0, (command, said)
        assert "Traceback" not in said and "panicked" not in said, (command, said)
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1, (command, said)
        assert errors[0].startswith(
            f"error: {database.resolve()} is not a readable Chroma database ("
        ), (command, said)
        assert "Rebuild the store: move" in errors[0]
