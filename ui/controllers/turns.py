"""Questions in one conversation take turns: one answer is written at a time, the rest wait.

A reader may send a question while the answer before it is still being written (the box
stays free). Each send starts its own answer stream, and two streams drawing one chat would
overwrite each other and store their questions and answers interleaved, so a later question
waits here until the answer before it has been drawn and stored, then runs; questions that
wait are asked in the order they were sent. What is drawn while one waits (a note naming
it) is the chat's business (`ui.controllers.chat`), not this module's.

A waiting question can be taken back (`withdraw`): it leaves the line and is never asked.

Left out: questions waiting in one process are not seen by another (`rag serve --workers`
pins a browser page to one worker, `ui.workers`); Stop ends the answer being written, after
which the next question runs.
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
        self._withdrawn: set[Turn] = set()

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

    def wait(self, turn: Turn) -> bool:
        """Block until it is `turn`'s go, then take it: the conversation is answering until
        `leave(turn)`. False, at once, when it was taken back while it waited."""
        with self._changed:
            self._changed.wait_for(lambda: turn in self._withdrawn or self._is_next(turn))
            if turn in self._withdrawn:
                return False
            self._line[turn.conversation].remove(turn)
            if not self._line[turn.conversation]:
                del self._line[turn.conversation]
            self._answering.add(turn.conversation)
            return True

    def leave(self, turn: Turn) -> None:
        """`turn` is over: its answer has been drawn and stored (or stopped), so the next
        question waiting there may start; or it never got its go (its page was closed while
        it waited), so it leaves the line and holds up no one."""
        with self._changed:
            line = self._line.get(turn.conversation, [])
            if turn in self._withdrawn:  # it left the line when it was taken back
                self._withdrawn.discard(turn)
            elif turn in line:
                line.remove(turn)
                if not line:
                    del self._line[turn.conversation]
            else:
                self._answering.discard(turn.conversation)
            self._changed.notify_all()

    def waiting(self, conversation: int) -> list[str]:
        """The questions waiting in `conversation`, in the order they were sent."""
        return [turn.question for turn in self.line(conversation)]

    def line(self, conversation: int) -> list[Turn]:
        """The turns waiting in `conversation`, in the order they were sent."""
        with self._changed:
            return list(self._line.get(conversation, []))

    def withdraw(self, conversation: int, number: int) -> str | None:
        """Take back the question waiting in `conversation` as turn `number`: it leaves the
        line, its `wait` returns False, and those behind it move up. Its words, or None
        when it is not waiting there (it has had its go, or was taken back already)."""
        with self._changed:
            line = self._line.get(conversation, [])
            turn = next((t for t in line if t.number == number), None)
            if turn is None:
                return None
            line.remove(turn)
            if not line:
                del self._line[conversation]
            self._withdrawn.add(turn)
            self._changed.notify_all()
            return turn.question

    def _is_next(self, turn: Turn) -> bool:
        line = self._line.get(turn.conversation, [])
        return turn.conversation not in self._answering and bool(line) and line[0] == turn
