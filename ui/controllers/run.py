"""One answer being written in a worker thread, its progress read in order by the chat.

The worker puts events on a queue ("stage", "token", "retry", then "done", "error" or
nothing once stopped); the chat's stream reads them one at a time and redraws. `stop` ends
the run from another request at once: the chat reads "stopped" next, and an LLM stream is
closed at its next token (`Stopped` raised from the token callback). Nothing is rendered or
stored here; the chat (`ui.controllers.chat`) does both.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable

from ui.failures import for_people

Event = tuple[str, Any]


class Stopped(BaseException):
    """Raised from the token callback once the reader pressed Stop. A BaseException (like
    GeneratorExit) so the LLM client's retry loop, which retries any `Exception`, lets it
    through and the stream is closed instead of being asked again."""


class AnswerRun:
    """The stop signal and event queue of one answer; `start` runs it in a daemon thread."""

    def __init__(self) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.stopped = threading.Event()

    def token(self, text: str) -> None:
        """The token callback: queue the text, or end the stream once stopped."""
        if self.stopped.is_set():
            raise Stopped()
        self.events.put(("token", text))

    def stage(self, name: str) -> None:
        self.events.put(("stage", name))

    def retry(self, reason: str, wait: float) -> None:
        self.events.put(("retry", reason))

    def stop(self) -> None:
        """End the run: the reader hears "stopped" now, the worker at its next token."""
        self.stopped.set()
        self.events.put(("stopped", None))

    def start(self, answer: Callable[[], Any], lock: threading.Lock) -> None:
        """Run `answer()` under `lock` in a thread; its result arrives as ("done", result),
        a failure as ("error", a sentence for people). A run stopped before it got the
        lock does not start."""

        def work() -> None:
            try:
                with lock:
                    if self.stopped.is_set():
                        return
                    result = answer()
                self.events.put(("done", result))
            except Stopped:
                return
            except Exception as err:  # the chat must hear of every failure, or it waits on
                self.events.put(("error", for_people(err, "answering")))  # forever

        threading.Thread(target=work, daemon=True).start()

    def next(self) -> Event:
        """The next event, waiting for it."""
        return self.events.get()
