"""Chroma's Rust engine failing on a damaged on-disk store: one line, not 65.

When `chroma.sqlite3` is damaged, Chroma's Rust code panics. Rust's panic hook writes its
report ("thread '…' panicked at …", a backtrace) straight to file descriptor 2, where no
Python `except` can reach it, and then either raises pyo3's `PanicException` (a
`BaseException`, so `except Exception` lets it through as a traceback) or, when a worker
thread panicked, a plain Chroma error ("Error executing plan … Failed to receive response").

`PanicFilter` routes fd 2 through a pipe and drops panic reports (remembering them), while
Python's own stderr keeps writing to the terminal; `store_failure()` tells whether an error
that ended a command was the on-disk store failing, and says so as one line naming the
database file and how to rebuild it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Optional

__all__ = ["PanicFilter", "is_panic", "store_failure"]

_PANIC_START = re.compile(rb"^thread '[^']*'(?: \(\d+\))? panicked at ")
_ENGINE_MODULES = ("chromadb", "sqlite3", "pyo3_runtime")


def is_panic(err: BaseException) -> bool:
    """Whether `err` is pyo3's PanicException (a Rust panic surfacing in Python)."""
    return type(err).__name__ == "PanicException"


class _PanicLines:
    """Decides, line by line, what of fd 2's output is a Rust panic report.

    A report is an empty line, "thread 'name' panicked at file:line:col:", the message, then
    either a `note: run with RUST_BACKTRACE=1 …` line or "stack backtrace:" with indented
    frames (and a closing `note:` unless RUST_BACKTRACE=full)."""

    def __init__(self) -> None:
        self.state = "idle"  # idle | message | backtrace
        self.messages: list[str] = []  # first message line of each panic seen
        self.blank = 0  # empty lines held back: the one before a report is part of it

    def feed(self, line: bytes) -> bytes:
        """What to show for `line` (without its newline): it, held empty lines, or nothing."""
        if self.state == "idle" and line == b"":
            self.blank += 1
            return b""
        if not self._keep(line):
            self.blank = 0  # the empty line before a report goes with it
            return b""
        shown, self.blank = b"\n" * self.blank + line + b"\n", 0
        return shown

    def flush(self) -> bytes:
        """The empty lines still held, at the end of the output."""
        shown, self.blank = b"\n" * self.blank, 0
        return shown

    def _keep(self, line: bytes) -> bool:
        if self.state == "backtrace" and line[:1] in (b" ", b"\t"):
            return False
        if self.state != "idle" and line.startswith(b"note: "):
            self.state = "idle"
            return False
        if self.state == "backtrace":
            self.state = "idle"  # frames ended without a note: back to normal output
        if self.state == "message":
            if line == b"stack backtrace:":
                self.state = "backtrace"
            elif not self.messages[-1]:
                self.messages[-1] = line.decode("utf-8", "replace").strip()
            return False
        if _PANIC_START.match(line):
            self.state = "message"
            self.messages.append("")
            return False
        return True

    def may_start_panic(self, partial: bytes) -> bool:
        """Whether an unfinished line could still turn out to be a panic report's."""
        head = b"thread '"
        return self.state != "idle" or partial.startswith(head) or head.startswith(partial)


class PanicFilter:
    """While active, native writes to fd 2 pass through a filter that drops Rust panic
    reports; `sys.stderr` writes to the terminal directly (so `isatty()` stays true and
    Python's messages are never delayed). `panics` lists the panics dropped."""

    def __init__(self) -> None:
        self._lines = _PanicLines()
        self._terminal: Optional[int] = None
        self._python_stderr: Optional[IO[str]] = None
        self._reader: Optional[threading.Thread] = None

    @property
    def panics(self) -> list[str]:
        return self._lines.messages

    def __enter__(self) -> "PanicFilter":
        try:
            sys.stderr.flush()
            self._terminal = os.dup(2)
        except (OSError, ValueError, AttributeError):
            return self  # no usable fd 2 (embedded use): leave everything alone
        read, write = os.pipe()
        os.dup2(write, 2)
        os.close(write)
        self._python_stderr = sys.stderr
        sys.stderr = open(
            self._terminal,
            "w",
            buffering=1,
            closefd=False,  # noqa: SIM115
            encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
            errors="backslashreplace",
        )
        # the reader writes to a descriptor of its own, closed by it alone: one left
        # running past __exit__ can never write to a number the process has reused
        self._reader = threading.Thread(
            target=self._forward,
            args=(read, os.dup(self._terminal)),
            daemon=True,
            name="rust-panic-filter",
        )
        self._reader.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._terminal is None:
            return
        sys.stderr.flush()
        os.dup2(self._terminal, 2)  # closes the pipe's write end: the reader sees its end
        if self._reader is not None:
            self._reader.join(timeout=2.0)  # a child process still holding it: do not wait
        if self._python_stderr is not None:
            sys.stderr.close()
            sys.stderr = self._python_stderr
        os.close(self._terminal)
        self._terminal = None

    def _forward(self, read: int, out: int) -> None:
        """Copy the pipe to the terminal (`out`), line by line, leaving panic reports out."""
        pending = b""
        try:
            while chunk := os.read(read, 65536):
                *lines, pending = (pending + chunk).split(b"\n")
                shown = b"".join(self._lines.feed(line) for line in lines)
                if pending and not self._lines.may_start_panic(pending):
                    shown += self._lines.flush() + pending  # e.g. a progress line's dots
                    pending = b""
                _write(out, shown)
            last = self._lines.feed(pending) if pending else b""
            _write(out, self._lines.flush() + last.rstrip(b"\n"))
        finally:
            os.close(read)
            os.close(out)


def _write(out: int, data: bytes) -> None:
    """Write all of `data` to `out`; a terminal that went away is not told anything."""
    try:
        while data:
            data = data[os.write(out, data) :]
    except OSError:
        pass


def _from_engine(err: BaseException) -> bool:
    """Whether `err`, or an error it came from, was raised by Chroma or SQLite."""
    seen: BaseException | None = err
    while seen is not None:
        if is_panic(seen) or type(seen).__module__.split(".")[0] in _ENGINE_MODULES:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def database_problem(database: Path) -> str | None:
    """What SQLite's own check finds wrong with `database` (None: nothing, or unreadable).
    Opened read-only, so checking can never make things worse."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    found = (rows[0][0] if rows else "ok") or "ok"
    return None if found == "ok" else found.replace("*** in database main ***", "").strip()


def _reason(err: BaseException, problem: str | None, panics: list[str]) -> str:
    """The shortest true account of what failed, for the one line."""
    said = (
        f"SQLite finds it damaged: {problem}"
        if problem
        else (panics[0] if panics else "") or str(err)
    )
    if quoted := re.search(r'message: "([^"]+)"', said):  # SqliteError { message: "…" }
        said = quoted.group(1)
    return (said.strip().splitlines() or [type(err).__name__])[0][:160]


def store_failure(err: BaseException, panics: list[str]) -> str | None:
    """One line saying the on-disk store is damaged and how to rebuild it, when `err` (which
    ended a command) was Chroma's engine failing on it; None for any other error.

    A panic counts always (Chroma's engine never panics on a sound database); any other
    Chroma or SQLite error counts only when SQLite's check finds the database damaged, so
    a bug of ours still shows its traceback."""
    from pydantic import ValidationError

    from rag.index.chroma_client import damaged_store_message
    from rag.settings import Settings

    if not (is_panic(err) or _from_engine(err)):
        return None
    try:
        settings = Settings()
    except ValidationError:
        return None
    if settings.chroma_url:
        return (
            f"the Chroma server at {settings.chroma_url} failed ({_reason(err, None, panics)})"
            if is_panic(err)
            else None
        )
    database = settings.data_dir.resolve() / "chroma" / "chroma.sqlite3"
    problem = database_problem(database) if database.is_file() else None
    if not (problem or panics or is_panic(err)):
        return None
    return damaged_store_message(settings, RuntimeError(_reason(err, problem, panics)))
