"""The API `rag serve` offers other programs, beside the web UI, on the same port.

- `/v1`   OpenAI-compatible chat (`ui.api.openai_chat`): chat apps and the `openai` client
- `/api`  REST with OpenAPI docs at `/api/docs` (`ui.api.rest`): scripts and services
- `/mcp`  Model Context Protocol over streamable HTTP (`ui.api.mcp_tools`); `rag mcp` is
          the same server over stdio

All three do their work through one `ui.api.service.Service` on the app's shared state (the
UI's lock included), and stand behind one gate (`ui.api.guard`): API keys, requests per key,
body size. `api_routes` gives the routes and the lifespan they need, which the app is built
with (`ui.app.launch_options`), so Gradio's own server and uvicorn's workers serve them alike.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

from starlette.routing import BaseRoute, Mount, Route

from ui.api.guard import ApiGuard
from ui.api.keys import KeyRing, RequestLimit
from ui.api.service import Service
from ui.controllers.shared import Shared

UPLOAD_SLACK = 64 * 1024  # a multipart body's boundaries and headers around the files


def keys_of(settings: Any) -> KeyRing:
    """The accepted API keys of `settings` (a bad key file is a `ValueError` naming it)."""
    secret = settings.api_keys.get_secret_value() if settings.api_keys else None
    return KeyRing.load(secret, settings.api_key_file)


def api_routes(shared: Shared) -> tuple[list[BaseRoute], Callable[[Any], Any]]:
    """The API's routes on `shared`, and the lifespan they need (the MCP sessions')."""
    from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
    from mcp.server.transport_security import TransportSecuritySettings

    from ui.api import mcp_tools, openai_chat, rest

    settings = shared.settings
    keys, requests = keys_of(settings), RequestLimit(settings.api_requests_per_minute)
    json_limit = settings.api_max_body_kb * 1024
    upload_limit = int(settings.ui_max_upload_mb * 1_048_576) + UPLOAD_SLACK

    def limit_for(path: str) -> int:
        return upload_limit if path.rstrip("/") == "/api/articles" else json_limit

    def guarded(app: Any, refusal: Any) -> ApiGuard:
        return ApiGuard(app, keys, requests, limit_for, refusal)

    service = Service(shared)
    mcp = mcp_tools.build(service)
    # stateless: each request stands alone, so any worker of `--workers N` can answer it
    # (the SDK's own Host check is off: `ApiGuard` checks Host and Origin for every route)
    mcp.streamable_http_app(
        stateless_http=True,
        json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    sessions = mcp.session_manager

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with sessions.run():
            yield

    routes: list[BaseRoute] = [
        Mount("/v1", app=guarded(openai_chat.build(service), openai_chat.refusal)),
        Mount("/api", app=guarded(rest.build(service), rest.refusal)),
        Route("/mcp", endpoint=guarded(StreamableHTTPASGIApp(sessions), rest.refusal)),
    ]
    return routes, lifespan
