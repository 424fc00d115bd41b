"""Password guessing slows down (ui.auth.LoginThrottle): free tries, then doubling waits."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode

from ui.auth import FREE_FAILURES, LoginRequired, LoginThrottle


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


def _login(guard: LoginRequired, client: str, password: str) -> int:
    """The status the login route answers `password` for user `reader` from `client`."""

    async def gradio(scope: dict, receive: Any, send: Any) -> None:  # checks the password
        form = parse_qs((await receive())["body"].decode())
        status = 200 if form["password"] == ["s3cret"] else 400
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guard.app = gradio
    sent: list[dict] = []

    async def receive() -> dict:
        body = urlencode({"username": "reader", "password": password}).encode()
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/login",
        "client": (client, 50000),
        "app": SimpleNamespace(auth=[("reader", "s3cret")]),
    }
    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"]


def test_guessing_from_one_client_does_not_lock_the_user_out_elsewhere() -> None:
    guard = LoginRequired(None)  # type: ignore[arg-type]
    attacker, owner = "203.0.113.9", "198.51.100.4"
    codes = [_login(guard, attacker, f"guess{i}") for i in range(FREE_FAILURES + 3)]
    assert codes == [400] * FREE_FAILURES + [429] * 3
    assert _login(guard, owner, "s3cret") == 200  # the owner, from their own address
    assert _login(guard, attacker, "s3cret") == 429  # the guesser still waits
