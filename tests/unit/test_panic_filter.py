"""Rust panic reports are cut out of native stderr, everything else passes."""

from __future__ import annotations

from rag.panics import _PanicLines

REPORT = b"""before

thread '<unnamed>' (8492) panicked at rust/sqlite/src/db.rs:245:14:
Expect it to be fetched: Database(SqliteError { code: 11 })
stack backtrace:
   0: frame
             at file.rs:1
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.

after
thread 'tokio-rt-worker' panicked at rust/log/src/sqlite_log.rs:266:36:
called `Result::unwrap()` on an `Err` value
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
thread 'x' panicked at a.rs:1:2:
with RUST_BACKTRACE=full
stack backtrace:
   0: frame
last"""


def test_panic_reports_are_dropped_and_remembered() -> None:
    lines = _PanicLines()
    shown = b"".join(lines.feed(line) for line in REPORT.split(b"\n")) + lines.flush()
    assert shown == b"before\n\nafter\nlast\n"
    assert lines.messages == [
        "Expect it to be fetched: Database(SqliteError { code: 11 })",
        "called `Result::unwrap()` on an `Err` value",
        "with RUST_BACKTRACE=full",
    ]
