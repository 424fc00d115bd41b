"""What can go wrong reading one file or record, said so a person can fix it.

`ParseProblem`: a file or record that was refused; `ParseWarning`: one kept with a caveat;
`Limits`: what one file and one article may weigh. Shared by the tree walk and the readers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseProblem:
    """One file or record that could not be read, said so a person can fix it."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ParseWarning(ParseProblem):
    """An article that was read and kept, with something its owner should fix."""


@dataclass(frozen=True)
class Limits:
    """What one file and one article may weigh before they are refused."""

    max_file_mb: float = 100.0
    max_article_chars: int = 1_000_000


class Skip(Exception):
    """Raised inside a reader to reject the current file with a message."""
