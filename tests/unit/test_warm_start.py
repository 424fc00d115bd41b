"""`Prepared` builds a value once, on the thread `start()` began or else in the first caller,
and hands every caller the same value or the same error; `leave_now` still runs exit handlers
and flushes what was printed before it ends the process."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from rag.warm_start import Prepared
from tests.helpers import ROOT


def test_a_started_value_is_built_on_another_thread_once_and_shared() -> None:
    built_on: list[str] = []
    release = threading.Event()

    def build() -> object:
        release.wait(5)
        built_on.append(threading.current_thread().name)
        return object()

    prepared: Prepared[object] = Prepared(build)
    prepared.start()
    prepared.start()  # a second start begins nothing more
    got: list[object] = []
    callers = [threading.Thread(target=lambda: got.append(prepared.get())) for _ in range(3)]
    for caller in callers:
        caller.start()
    release.set()
    for caller in callers:
        caller.join(5)
    assert built_on == ["warm-start"]
    assert len(got) == 3 and got[0] is got[1] is got[2]


def test_without_start_the_first_caller_builds_it_itself() -> None:
    built_on: list[str] = []
    prepared: Prepared[int] = Prepared(
        lambda: built_on.append(threading.current_thread().name) or 7
    )
    assert prepared.get() == 7 and prepared.get() == 7
    assert built_on == [threading.current_thread().name]


def test_an_error_the_build_raised_reaches_every_caller() -> None:
    def build() -> int:
        raise FileNotFoundError("reader model not found")

    prepared: Prepared[int] = Prepared(build)
    prepared.start()
    for _ in range(2):
        with pytest.raises(FileNotFoundError, match="reader model not found"):
            prepared.get()


LEAVE = """
import atexit, sys
from rag.console import leave_now
atexit.register(lambda: print("exit handler ran"))
print("the answer")
sys.stderr.write("a note\\n")
leave_now()
print("never")
"""


@pytest.mark.slow  # a fresh interpreter
def test_leave_now_runs_exit_handlers_and_flushes_output_then_ends_with_status_0() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LEAVE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["the answer", "exit handler ran"]
    assert done.stderr.strip() == "a note"
