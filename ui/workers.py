"""`rag serve --workers N`: N uvicorn worker processes answering against one Chroma server.

Why uvicorn's own workers: Gradio is an ASGI app that mounts on FastAPI
(`gradio.mount_gradio_app`), and uvicorn's `workers=` is its maintained pre-fork mode — the
parent binds the port once, spawns N processes that each import the app factory
`ui.workers:create_app`, shares the listening socket among them (the kernel hands each new
connection to one of them) and restarts a worker that dies. No proxy of our own sits in
front. Each worker opens its own `Assistant` (its own embedder, Chroma HTTP client and BM25
index); the store is the one `chroma run` server at `RAG_CHROMA_URL`, and every worker's
BM25 follows the store generation (`rag.retrieval.HybridRetriever.bm25`), so an ingest by
any process — another `rag ingest`, an upload in another worker — is answerable by all of
them at their next question, without a restart. Workers rebuilding the same generation take
turns (`rag.index.bm25` holds a file lock), so one builds and the others load its result.

What needs one process, and so is refused or limited with N > 1:
- embedded (on-disk) Chroma: its engine is single-process — two processes opening one
  `chroma.sqlite3` corrupt or lock it. Refused; run `chroma run` and set `RAG_CHROMA_URL`.
- `RAG_UI_AUTH`: Gradio keeps login sessions in the memory of the process that issued them,
  so a reader logged in on one worker is a stranger to the others. Refused.
- `--share`: Gradio's share tunnel belongs to its own server (`launch`), not to uvicorn's
  workers. Refused with any `--workers`.
- Gradio's queue keeps each event in the worker that accepted it. A call that is one request
  (`POST /gradio_api/run/ask`) works on any worker. The two-step `/gradio_api/call/ask`
  (POST, then GET the result by event id) must reach one worker twice: it does when both go
  over one keep-alive connection (`httpx.Client`, `requests.Session`), not otherwise. The
  browser UI and `gradio_client` open several connections (a stream plus posts), so behind
  N > 1 workers they need a proxy with sticky sessions (e.g. nginx `ip_hash`) or one worker.
  The chat's own state is in the browser and in SQLite (`ui.conversations`), shared by all.

Every response carries `X-Served-By: <pid>` and `GET /health` says which worker answered and
which store generation it has read, so a client (or a test) can see the load is spread.
With `RAG_UI_AUTH` (one worker) there is no `/health`: the login guard (`ui.auth`) sits on
the Gradio app, and every route must ask for the login.
"""

from __future__ import annotations

import os
from typing import Any

SINGLE_PROCESS_CHROMA = (
    "--workers {n} needs a Chroma server: embedded Chroma (on disk in "
    "{path}) is single-process, so only one worker may open it; start "
    "`chroma run --path DIR` and set RAG_CHROMA_URL"
)
SINGLE_PROCESS_LOGIN = (
    "--workers {n} cannot be used with RAG_UI_AUTH: Gradio keeps login "
    "sessions in one process's memory, so the other workers would "
    "refuse a reader logged in on the first"
)
SINGLE_PROCESS_SHARE = (
    "--workers {n} cannot be used with --share: the share link belongs to "
    "Gradio's own server; serve without --workers to share"
)


def refusal(
    workers: int, chroma_url: str | None, data_dir: Any, login: bool, share: bool
) -> str | None:
    """Why `workers` processes cannot serve these settings (None: they can). One line."""
    if workers < 1:
        return f"--workers must be 1 or more (got {workers})"
    if share:
        return SINGLE_PROCESS_SHARE.format(n=workers)
    if workers == 1:
        return None
    if not chroma_url:
        return SINGLE_PROCESS_CHROMA.format(n=workers, path=f"{data_dir}/chroma")
    if login:
        return SINGLE_PROCESS_LOGIN.format(n=workers)
    return None


def create_app() -> Any:
    """The app one worker serves: the Gradio Blocks mounted at `/` on a FastAPI app with
    `/health` and the `X-Served-By` header. Called by uvicorn in each worker process (an
    import string, `ui.workers:create_app`, with `factory=True`); settings come from the
    `RAG_*` environment the parent process set."""
    import fastapi
    import gradio as gr
    from starlette.middleware import Middleware

    from rag import open_assistant, quiet_libraries
    from ui.app import build_app, launch_options
    from ui.controllers.shared import Shared

    quiet_libraries()
    assistant = open_assistant()
    pid = str(os.getpid())
    # the login check (ui.auth) goes on the Gradio app (`launch_options`), which it reads
    app = fastapi.FastAPI(middleware=[Middleware(ServedBy, pid=pid)])

    if not assistant.settings.ui_auth:  # with a login every route asks for it (ui.auth),

        @app.get("/health")  # and this one lives outside the Gradio app
        def health() -> dict[str, Any]:
            """Which worker answered and what it has read of the store."""
            return {"pid": int(pid), "generation": assistant.store.generation()}

    shared = Shared.open(assistant)
    blocks = build_app(assistant, shared).queue(default_concurrency_limit=4)
    options = launch_options(assistant.settings, shared)  # the API's routes (ui.api) too
    return gr.mount_gradio_app(app, blocks, path="/", **options)


class ServedBy:
    """ASGI middleware adding `X-Served-By: <pid>` to every HTTP response."""

    def __init__(self, app: Any, pid: str) -> None:
        self.app, self.header = app, (b"x-served-by", pid.encode())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self.header]}
            await send(message)

        await self.app(scope, receive, tagged)


def serve(host: str, port: int, workers: int) -> None:
    """Run `workers` processes of `create_app` on host:port until interrupted."""
    import uvicorn

    print(
        f"Serving http://{host}:{port}/ with {workers} worker process(es); Ctrl+C stops.",
        flush=True,
    )
    if workers > 1:  # see the module docstring: Gradio's queue lives in one process
        print(
            "API calls (POST /gradio_api/run/ask) work on any worker. The browser UI opens "
            "several connections, which can reach different workers: put a proxy with "
            "sticky sessions in front (e.g. nginx ip_hash) or serve it with one worker.",
            flush=True,
        )
    uvicorn.run(
        "ui.workers:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )
