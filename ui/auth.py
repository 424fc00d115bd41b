"""Login enforced on every route of the web UI when `RAG_UI_AUTH` is set.

Gradio's own `auth=` guards the routes that run events and serve data, but a handful of its
routes answer anyone (e.g. `/gradio_api/reset` and `/gradio_api/cancel`, which act on queued
events). This ASGI middleware closes them all at once: with a login configured, a request
passes only when it carries the session cookie Gradio issued at login, or asks for the login
page itself and the static files it needs. It also throttles password guessing on the login
route (`LoginThrottle`): after a few wrong passwords for one user name from one client
address, further tries of that name from that address wait, longer after each failure, and
get a 429 saying how long. It adds no login scheme of its own.
"""

from __future__ import annotations

import json
import time
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PUBLIC_PATHS = {
    "/",
    "/login",
    "/login/",
    "/logout",
    "/favicon.ico",
    "/theme.css",
    "/robots.txt",
    "/manifest.json",
    "/gradio_api/login_check",
    "/gradio_api/login_check/",
    "/gradio_api/theme.css",
    "/gradio_api/startup-events",
}  # Gradio calls this on itself at launch
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
# the API (`ui.api`) asks for its own keys, not for the login a person types
API_PREFIXES = ("/v1/", "/api/", "/mcp")
LOGIN_PATHS = {"/login", "/login/"}
FREE_FAILURES = 5  # wrong passwords allowed in a window before tries must wait
WINDOW_S = 15 * 60.0  # failures older than this are forgotten
FIRST_WAIT_S = 2.0  # the first wait; each further failure doubles it
MAX_WAIT_S = 15 * 60.0


class LoginThrottle:
    """Wrong-password counts per key (a client address, a user name) and how long the next
    try must wait: nothing for the first `FREE_FAILURES` in `WINDOW_S`, then 2 s, 4 s, 8 s, …
    up to `MAX_WAIT_S`. A right password clears the key. Thirty guesses in 0.1 s become five.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._failures: dict[str, list[float]] = {}

    def _recent(self, key: str) -> list[float]:
        now = self.clock()
        kept = [t for t in self._failures.get(key, []) if now - t < WINDOW_S]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, *keys: str) -> float:
        """Seconds before any of `keys` may try again (0: now)."""
        longest = 0.0
        for key in keys:
            failures = self._recent(key)
            if len(failures) >= FREE_FAILURES:
                delay = min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (len(failures) - FREE_FAILURES))
                longest = max(longest, failures[-1] + delay - self.clock())
        return max(0.0, longest)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._recent(key)
            self._failures.setdefault(key, []).append(self.clock())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def throttle_keys(client: str, user: str) -> tuple[str, ...]:
    """What wrong passwords are counted against: the user name from this client address,
    together. Counting the name alone let anyone lock its owner out for 15 minutes with a
    few wrong passwords; an address trying other names gains nothing, as each name has its
    own count and only the configured one can log in."""
    return (f"client:{client} user:{user}",)


def _logged_in(app: Any, headers: list[tuple[bytes, bytes]]) -> bool:
    from http.cookies import SimpleCookie

    cookies: SimpleCookie = SimpleCookie()
    for name, value in headers:
        if name == b"cookie":
            cookies.load(value.decode("latin-1"))
    for key in (f"access-token-{app.cookie_id}", f"access-token-unsecure-{app.cookie_id}"):
        if key in cookies and cookies[key].value in app.tokens:
            return True
    return False


class LoginRequired:
    """Refuse (401) every request but the login page's unless its session cookie is valid."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.throttle = LoginThrottle()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gradio_app = scope.get("app")
        if scope["type"] not in ("http", "websocket") or getattr(gradio_app, "auth", None) is None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        if path in LOGIN_PATHS and scope["type"] == "http" and scope.get("method") == "POST":
            await self._login(scope, receive, send)
            return
        if (
            path in PUBLIC_PATHS
            or path.startswith(PUBLIC_PREFIXES)
            or path.startswith(API_PREFIXES)
            or _logged_in(gradio_app, scope.get("headers", []))
        ):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps(
            {
                "detail": {
                    "error": "Not authenticated",
                    "auth_message": "Log in first (RAG_UI_AUTH is set).",
                }
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a login attempt to Gradio unless its client or user name must wait; count
        Gradio's answer (400: wrong password, 200: logged in)."""
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        user = (parse_qs(body.decode("latin-1")).get("username") or [""])[0].strip()
        keys = throttle_keys((scope.get("client") or ("unknown",))[0], user)
        if (wait := self.throttle.wait(*keys)) > 0:
            seconds = int(wait) + 1
            text = f"Too many wrong passwords; try again in {seconds} s."
            await send(
                {
                    "type": "http.response.start",
                    "status": 429,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"retry-after", str(seconds).encode()),
                    ],
                }
            )
            await send(
                {"type": "http.response.body", "body": json.dumps({"detail": text}).encode()}
            )
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 400:
                    self.throttle.failed(*keys)
                elif message["status"] < 300:
                    self.throttle.succeeded(*keys)
            await send(message)

        await self.app(scope, replay, watch)
