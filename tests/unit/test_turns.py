"""Questions in one conversation take turns (`ui.controllers.turns`): in the order sent, one
at a time; a question whose page closed before its go, or taken back, holds up no one."""

from __future__ import annotations

import threading
import time

from ui.controllers.turns import Turns


def wait_until(condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_questions_wait_for_the_answer_being_written_and_go_in_the_order_sent() -> None:
    turns = Turns()
    first = turns.join(7, "first")
    assert not turns.must_wait(first)
    turns.wait(first)  # the conversation is answering now
    went: list[str] = []

    def ask(question: str) -> None:
        turn = turns.join(7, question)
        turns.wait(turn)
        went.append(question)
        turns.leave(turn)

    threads = []
    for question in ("second", "third", "second"):  # the same words sent twice are two turns
        threads.append(threading.Thread(target=ask, args=(question,)))
        threads[-1].start()
        wait_until(lambda: len(turns.waiting(7)) == len(threads))
    other = turns.join(8, "elsewhere")
    assert not turns.must_wait(other)  # another conversation does not wait
    assert turns.waiting(7) == ["second", "third", "second"] and went == []
    turns.leave(first)
    for thread in threads:
        thread.join(10)
    assert went == ["second", "third", "second"] and turns.waiting(7) == []


def test_a_question_that_leaves_before_its_go_holds_up_no_one() -> None:
    turns = Turns()
    running, gone, last = turns.join(3, "a"), turns.join(3, "b"), turns.join(3, "c")
    turns.wait(running)
    assert turns.must_wait(gone) and turns.must_wait(last)
    turns.leave(gone)  # its page was closed while it waited
    assert turns.waiting(3) == ["c"]
    turns.leave(running)
    assert not turns.must_wait(last)
    turns.wait(last)
    turns.leave(last)
    assert not turns.must_wait(turns.join(3, "d"))


def test_a_question_taken_back_is_never_asked_and_those_behind_it_move_up() -> None:
    turns = Turns()
    running, doomed, behind = turns.join(5, "a"), turns.join(5, "b"), turns.join(5, "c")
    turns.wait(running)
    went: list[bool] = []
    waiter = threading.Thread(target=lambda: went.append(turns.wait(doomed)))
    waiter.start()
    assert turns.withdraw(5, doomed.number) == "b"
    waiter.join(5)
    assert went == [False] and turns.waiting(5) == ["c"]  # its wait ended at once
    assert turns.withdraw(5, doomed.number) is None  # once only
    assert turns.withdraw(5, running.number) is None  # the one answering is not waiting
    turns.leave(doomed)  # the chat's leave after a withdrawn turn frees nothing …
    assert turns.must_wait(behind)  # … the answer being written still holds the line
    turns.leave(running)
    assert turns.wait(behind)
