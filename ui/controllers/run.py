"""One answer being written in a worker thread: settled once, followed by any page.

The worker records events ("stage", "token", "retry") and ends the run with one outcome:
"done" (the answer), "error" (a sentence for people) or "stopped". The outcome is handed
to `keep` (the chat stores it) before anyone sees it, exactly once, whether or not a page
is still watching: a page closed or reloaded while an answer is written does not lose it,
and the reloaded page follows the same run from its first event (`follow`). `stop` ends the
run from another request at once; an LLM stream is closed at its next token (`Stopped`
raised from the token callback), an extractive answer finishes unseen and is dropped.
Nothing is rendered here; the chat (`ui.controllers.chat`) draws and stores.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator

from ui.failures import for_people

Event = tuple[str, Any]
ENDS = ("done", "error", "stopped")
WAITING = "waiting for another answer to be written first"


class Stopped(BaseException):
    """Raised from the token callback once the reader pressed Stop. A BaseException (like
    GeneratorExit) so the LLM client's retry loop, which retries any `Exception`, lets it
    through and the stream is closed instead of being asked again."""


class AnswerRun:
    """The events, stop signal and outcome of one answer; `start` runs it in a daemon
    thread. `keep(kind, payload)` stores the outcome; if it raises, the outcome the pages
    see is an error saying the answer could not be saved."""

    def __init__(self, keep: Callable[[str, Any], None] = lambda kind, payload: None) -> None:
        self.stopped = threading.Event()
        self._keep = keep
        self._events: list[Event] = []
        self._changed = threading.Condition()
        self._settled = False
        self._then: list[Callable[[], None]] = []

    def token(self, text: str) -> None:
        """The token callback: record the text, or end the stream once stopped."""
        if self.stopped.is_set():
            raise Stopped()
        self._put(("token", text))

    def stage(self, name: str) -> None:
        self._put(("stage", name))

    def retry(self, reason: str, wait: float) -> None:
        self._put(("retry", reason))

    def stop(self) -> None:
        """End the run: it settles as stopped now (unless it already ended), the worker
        at its next token."""
        self.stopped.set()
        self._settle("stopped", None)

    def when_settled(self, then: Callable[[], None]) -> None:
        """Call `then` once the outcome is kept: now if it is, else right after."""
        with self._changed:
            if not self._ended():
                self._then.append(then)
                return
        then()

    def start(self, answer: Callable[[], Any], lock: threading.Lock) -> None:
        """Run `answer()` under `lock` in a thread; its result settles the run as "done",
        a failure as "error" (a sentence for people). A run stopped before it got the lock
        does not start, and stops waiting for it."""

        def work() -> None:
            try:
                if not self._take(lock):
                    return
                try:
                    if self.stopped.is_set():
                        return
                    result = answer()
                finally:
                    lock.release()
                self._settle("done", result)
            except Stopped:
                return
            except Exception as err:  # the run must settle on every failure, or its
                self._settle("error", for_people(err, "answering"))  # pages wait forever

        threading.Thread(target=work, daemon=True, name=f"answer-{id(self)}").start()

    def _take(self, lock: threading.Lock) -> bool:
        """Take `lock` (one answer is written at a time), saying so as a stage while
        another answer holds it, so a reader behind another sees why nothing comes yet;
        False when the run was stopped while it waited."""
        if lock.acquire(blocking=False):
            return True
        self.stage(WAITING)
        while not lock.acquire(timeout=0.2):
            if self.stopped.is_set():
                return False
        return True

    def follow(self) -> Iterator[Event]:
        """Every event from the first, waiting for each, through the outcome (last)."""
        seen = 0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: len(self._events) > seen)
                fresh = self._events[seen:]
            seen += len(fresh)
            yield from fresh
            if fresh[-1][0] in ENDS:
                return

    def _ended(self) -> bool:
        return bool(self._events) and self._events[-1][0] in ENDS

    def _put(self, event: Event) -> None:
        with self._changed:
            if not self._settled:
                self._events.append(event)
                self._changed.notify_all()

    def _settle(self, kind: str, payload: Any) -> None:
        """Keep the first outcome, then let the pages see it; later ones are dropped."""
        with self._changed:
            if self._settled:
                return
            self._settled = True  # from here no event is recorded but the outcome
        try:
            self._keep(kind, payload)
        except Exception as err:  # logged by for_people, under the reference it gives
            kind, payload = "error", for_people(err, "saving the answer")
        with self._changed:
            self._events.append((kind, payload))
            self._changed.notify_all()
            then, self._then = self._then, []
        for call in then:
            call()
