"""The gate before every API route: keys, loopback-only without keys, requests per minute,
body size (ui.api.guard), on a small app that echoes what reached it."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

import httpx
import pytest

from ui.api.guard import ApiGuard
from ui.api.keys import KeyRing, RequestLimit

KEY = "guard-test-key-0123456789"


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Reads the whole body and answers 200 with its length."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def refusal(status: int, message: str, kind: str) -> dict[str, Any]:
    return {"detail": message, "type": kind}


def call(
    keys: KeyRing,
    *,
    client: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    body: bytes | AsyncIterator[bytes] = b"",
    per_minute: int = 100,
    times: int = 1,
    path: str = "/api/ask",
) -> list[httpx.Response]:
    guard = ApiGuard(echo, keys, RequestLimit(per_minute), lambda path: 1024, refusal)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=guard, client=(client, 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return [
                await http.post(path, headers=headers or {}, content=body) for _ in range(times)
            ]

    return asyncio.run(run())


def test_with_keys_a_request_needs_an_accepted_bearer_key_from_anywhere() -> None:
    ring = KeyRing.load(KEY, None)
    (missing,) = call(ring)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    (wrong,) = call(ring, headers={"Authorization": "Bearer not-the-key-0000000"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "this API key is not accepted"
    (good,) = call(ring, client="203.0.113.9", headers={"Authorization": f"Bearer {KEY}"})
    assert good.status_code == 200


def test_without_keys_only_this_machine_by_its_own_name_may_call() -> None:
    none = KeyRing()
    assert call(none)[0].status_code == 200
    (remote,) = call(none, client="203.0.113.9")
    assert remote.status_code == 403 and "RAG_API_KEYS" in remote.json()["detail"]
    (rebound,) = call(none, headers={"Host": "evil.example:7860"})
    assert rebound.status_code == 403
    (page,) = call(none, headers={"Origin": "http://evil.example"})
    assert page.status_code == 403
    assert call(none, headers={"Origin": "http://localhost:7860"})[0].status_code == 200


def test_docs_are_open_but_nothing_else() -> None:
    ring = KeyRing.load(KEY, None)

    async def get(path: str) -> int:
        guard = ApiGuard(echo, ring, RequestLimit(10), lambda path: 1024, refusal)
        transport = httpx.ASGITransport(app=guard, client=("203.0.113.9", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
            return (await http.get(path)).status_code

    assert asyncio.run(get("/api/docs")) == 200
    assert asyncio.run(get("/api/openapi.json")) == 200
    assert asyncio.run(get("/api/articles")) == 401


def test_a_caller_over_its_requests_a_minute_gets_429_with_retry_after() -> None:
    answers = call(KeyRing.load(KEY, None), headers={"Authorization": f"Bearer {KEY}"},
                   per_minute=2, times=3)  # fmt: skip
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 1 <= int(answers[2].headers["retry-after"]) <= 60
    assert "try again in" in answers[2].json()["detail"]
    local = call(KeyRing(), per_minute=2, times=3)  # no keys: this machine's user, uncounted
    assert [a.status_code for a in local] == [200, 200, 200]


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_limit_is_refused_with_413(declared: bool) -> None:
    big = b"x" * 5000

    async def streamed() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 500):
            yield big[start : start + 500]

    (answer,) = call(KeyRing(), body=big if declared else streamed())
    assert answer.status_code == 413 and "over the limit of 1 KB" in answer.json()["detail"]
    assert call(KeyRing(), body=b"x" * 1000)[0].text == "1000"
