"""Questions in one conversation take turns: one answer is written at a time, the rest wait.

A reader may send a question while the answer before it is still being written (the box
stays free). Each send starts its own answer stream, and two streams drawing one chat would
overwrite each other and store their questions and answers interleaved, so a later question
waits here until the answer before it has been drawn and stored, then runs; questions that
wait are asked in the order they were sent. What is drawn while one waits (a note naming
it) is the chat's business (`ui.controllers.chat`), not this module's.

Left out: questions waiting in one process are not seen by another (`rag serve --workers`
pins a browser page to one worker, `ui.workers`), and a waiting question cannot be taken
back; Stop ends the answer being written, after which the next question runs.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    """One question's place in its conversation's line."""

    conversation: int
    question: str
    number: int  # tells apart two sends of the same question


class Turns:
    """Which conversations have an answer being written, and the questions waiting in each."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._answering: set[int] = set()
        self._line: dict[int, list[Turn]] = {}
        self._numbers = itertools.count()

    def join(self, conversation: int, question: str) -> Turn:
        """Put `question` at the end of the conversation's line."""
        with self._changed:
            turn = Turn(conversation, question, next(self._numbers))
            self._line.setdefault(conversation, []).append(turn)
            return turn

    def must_wait(self, turn: Turn) -> bool:
        """Whether `turn` cannot start now (an answer is being written, or others are first)."""
        with self._changed:
            return not self._is_next(turn)

    def wait(self, turn: Turn) -> None:
        """Block until it is `turn`'s go, then take it: the conversation is answering until
        `leave(turn)`."""
        with self._changed:
            self._changed.wait_for(lambda: self._is_next(turn))
            self._line[turn.conversation].remove(turn)
            if not self._line[turn.conversation]:
                del self._line[turn.conversation]
            self._answering.add(turn.conversation)

    def leave(self, turn: Turn) -> None:
        """`turn` is over: its answer has been drawn and stored (or stopped), so the next
        question waiting there may start; or it never got its go (its page was closed while
        it waited), so it leaves the line and holds up no one."""
        with self._changed:
            line = self._line.get(turn.conversation, [])
            if turn in line:
                line.remove(turn)
                if not line:
                    del self._line[turn.conversation]
            else:
                self._answering.discard(turn.conversation)
            self._changed.notify_all()

    def waiting(self, conversation: int) -> list[str]:
        """The questions waiting in `conversation`, in the order they were sent."""
        with self._changed:
            return [turn.question for turn in self._line.get(conversation, [])]

    def _is_next(self, turn: Turn) -> bool:
        line = self._line.get(turn.conversation, [])
        return turn.conversation not in self._answering and bool(line) and line[0] == turn
