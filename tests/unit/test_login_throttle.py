"""Password guessing slows down (ui.auth.LoginThrottle): free tries, then doubling waits."""

from __future__ import annotations

from ui.auth import FREE_FAILURES, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_waits_start_after_the_free_failures_and_double() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    keys = ("client:10.0.0.9", "user:reader")
    for _ in range(FREE_FAILURES):
        assert throttle.wait(*keys) == 0
        throttle.failed(*keys)
    assert throttle.wait(*keys) == 2.0
    assert throttle.wait("client:10.0.0.9", "user:other") == 2.0  # the address waits
    assert throttle.wait("client:10.0.0.7", "user:reader") == 2.0  # and so does the name
    assert throttle.wait("client:10.0.0.7", "user:other") == 0
    clock.now += 2.0
    throttle.failed(*keys)
    assert throttle.wait(*keys) == 4.0
    clock.now += 4.0
    throttle.succeeded(*keys)
    assert throttle.wait(*keys) == 0


def test_old_failures_are_forgotten() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(FREE_FAILURES):
        throttle.failed("user:reader")
    clock.now += 16 * 60
    assert throttle.wait("user:reader") == 0
