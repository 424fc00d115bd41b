"""Build a slow object on a thread while the main thread imports the rest, then hand it over.

A cold `rag ask` spends its first second importing llama-index and Chroma, pure Python on one
core, while the second core idles. The ONNX Runtime sessions of the embedder and the reader are
built in C++ with the interpreter lock released (and the weights' hash is read the same way),
so starting them on a thread first takes them off that path. `Prepared` is the hand-over: a
value built once, on a thread when `start()` was called, else on first `get()` by the caller.

What this leaves out: the thread imports nothing. Two threads importing the same packages for
the first time can deadlock on Python's import locks, so a caller imports what the build needs
before it calls `start()` (`rag.console.start_answer_models`).
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Prepared(Generic[T]):
    """One value of `build()`, shared by every thread that asks for it."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._started = False
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        """Begin building on a daemon thread, unless building has begun already."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="warm-start", daemon=True).start()

    def get(self) -> T:
        """The value: waits for the thread that builds it, or builds it here. An error the
        build raised is raised to every caller."""
        with self._lock:
            run_here = not self._started
            self._started = True
        if run_here:
            self._run()
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when _error is None

    def _run(self) -> None:
        try:
            self._value = self._build()
        except BaseException as err:  # noqa: BLE001 - handed to get()'s callers
            self._error = err
        finally:
            self._done.set()
