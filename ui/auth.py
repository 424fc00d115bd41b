"""Login enforced on every route of the web UI when `RAG_UI_AUTH` is set.

Gradio's own `auth=` guards the routes that run events and serve data, but a handful of its
routes answer anyone (e.g. `/gradio_api/reset` and `/gradio_api/cancel`, which act on queued
events). This ASGI middleware closes them all at once: with a login configured, a request
passes only when it carries the session cookie Gradio issued at login, or asks for the login
page itself and the static files it needs. It adds no login scheme of its own.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

PUBLIC_PATHS = {"/", "/login", "/login/", "/logout", "/favicon.ico", "/theme.css",
                "/robots.txt", "/manifest.json", "/gradio_api/login_check",
                "/gradio_api/login_check/", "/gradio_api/theme.css",
                "/gradio_api/startup-events"}  # Gradio calls this on itself at launch
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gradio_app = scope.get("app")
        if scope["type"] not in ("http", "websocket") or getattr(gradio_app, "auth", None) is None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):] or "/"
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) \
                or _logged_in(gradio_app, scope.get("headers", [])):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"detail": {"error": "Not authenticated",
                                      "auth_message": "Log in first (RAG_UI_AUTH is set)."}})
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body.encode()})
