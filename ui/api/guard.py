"""The gate in front of every API route (REST, OpenAI-compatible, MCP over HTTP).

An ASGI wrapper, so the same checks stand before FastAPI's routes and the MCP SDK's own
Starlette endpoint alike, in this order, each refusal a JSON body in the shape of the API it
guards (`Refusal`):

1. the key: `Authorization: Bearer KEY` must be an accepted key (401 otherwise); with no key
   configured, only loopback callers pass, addressing localhost by name or number and sent
   by no other web page's origin (403 for the rest, saying how to open it up): a page in
   this machine's browser cannot reach the API by rebinding its own name to 127.0.0.1;
2. the key's requests in the last minute (429 with `Retry-After`); without keys this
   machine's own user is not counted;
3. the body's size: a declared `Content-Length` over the limit is refused before it is read
   (413), and a body sent without one is counted as it arrives and cut off at the limit.

Not here: what the routes do (`ui.api.service`), how keys are read (`ui.api.keys`).
"""

from __future__ import annotations

import json
import math
from typing import Any, Awaitable, Callable, Protocol
from urllib.parse import urlsplit

from fastapi import Depends
from fastapi.security import HTTPBearer

from ui.api.keys import KeyRing, RequestLimit, bearer, is_loopback

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

NO_KEY = "no API key: send 'Authorization: Bearer KEY' with a key from RAG_API_KEYS"
BAD_KEY = "this API key is not accepted"
NOT_LOCAL = (
    "the API answers only this machine until keys are configured: set RAG_API_KEYS (or "
    "RAG_API_KEY_FILE) on the server and send 'Authorization: Bearer KEY'"
)


NOT_LOCAL_NAME = (
    "without API keys the API answers requests addressed to localhost or 127.0.0.1 only "
    "(not another host name or a web page's origin); configure RAG_API_KEYS to open it"
)
OPEN_PATHS = ("/docs", "/openapi.json", "/docs/oauth2-redirect")
DOCS_FILES = "/static-offline-docs/"  # the docs page's script and style (fastapi-offline)
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def local_name(value: str | None, absent_ok: bool = False) -> bool:
    """Whether a Host or Origin header names this machine (`absent_ok`: or is not sent)."""
    if not value:
        return absent_ok
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    return host in LOCAL_NAMES or is_loopback(host)


# the docs page's "Authorize" button: the key scheme, declared for the OpenAPI schema only
# (it refuses nothing; `ApiGuard` checks every request before a route sees it)
KEY_IN_DOCS = Depends(
    HTTPBearer(auto_error=False, description="An API key from RAG_API_KEYS (none on loopback).")
)


class Refusal(Protocol):
    def __call__(self, status: int, message: str, kind: str) -> dict[str, Any]: ...


class TooLarge(Exception):
    """A body without a declared length grew past the limit while it was read."""


class ApiGuard:
    """`app` behind the key, request-count and body-size checks (see the module docstring).
    `limit_for(path)` is the largest body in bytes a request to `path` may send."""

    def __init__(
        self,
        app: ASGIApp,
        keys: KeyRing,
        requests: RequestLimit,
        limit_for: Callable[[str], int],
        refusal: Refusal,
    ) -> None:
        self.app, self.keys, self.requests = app, keys, requests
        self.limit_for, self.refusal = limit_for, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope.get("method") == "GET" and (path.endswith(OPEN_PATHS) or DOCS_FILES in path):
            await self.app(scope, receive, send)  # the API's documentation holds no data
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        client = (scope.get("client") or ("", 0))[0]
        if self.keys.configured:
            key = bearer(headers.get("authorization"))
            caller = self.keys.caller(key) if key else None
            if caller is None:
                await self._refuse(send, 401, BAD_KEY if key else NO_KEY, "authentication_error",
                                   {"www-authenticate": "Bearer"})  # fmt: skip
                return
        elif not is_loopback(client):
            await self._refuse(send, 403, NOT_LOCAL, "permission_error")
            return
        elif not (local_name(headers.get("host")) and local_name(headers.get("origin"), True)):
            # a web page in this machine's browser, its name rebound to 127.0.0.1
            await self._refuse(send, 403, NOT_LOCAL_NAME, "permission_error")
            return
        else:
            caller = None  # this machine's own user, without keys: not counted
        if caller is not None and (wait := self.requests.wait(caller)):
            seconds = str(math.ceil(wait))
            message = f"too many requests for this key: try again in {seconds} s"
            await self._refuse(send, 429, message, "rate_limit_error", {"retry-after": seconds})
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(send, 413, _too_large(limit), "invalid_request_error")
            return
        counted = _counted(receive, limit)
        started = False

        async def sending(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge:
            if not started:
                await self._refuse(send, 413, _too_large(limit), "invalid_request_error")

    async def _refuse(
        self, send: Send, status: int, message: str, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(self.refusal(status, message, kind)).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"the request body is over the limit of {limit // 1024} KB"


def _counted(receive: Receive, limit: int) -> Receive:
    """`receive` that raises `TooLarge` once more than `limit` body bytes have come."""
    seen = 0

    async def counted() -> dict[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return counted
