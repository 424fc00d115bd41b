"""`/v1`: the assistant as an OpenAI-compatible chat model.

What the official `openai` client, Open WebUI, LibreChat and editors speak: `POST
/v1/chat/completions` (plain, or `stream: true` as server-sent events in OpenAI's chunk
format) and `GET /v1/models`. The last user message is the question; the earlier user
messages are the conversation, read the way `rag chat` reads a follow-up. System and
assistant messages are not instructions to the answerer and are ignored.

The reply's content is the Markdown "Copy as Markdown" gives (`ui.render.answer_markdown`):
the answer with its `[n]` markers and bold short answer, then the numbered sources (a plain
chat app shows nothing else), the article's words escaped. The same sources
travel as data in `sources` (number, title, outlet, date, url, verbatim quote, whether the
citation check supported it), a field OpenAI clients ignore and citation-aware clients read.
A stream carries the answer after its citations were checked (never text the check later
removes), then `sources` on the last chunk. Filters are extra request fields: `since`,
`until`, `outlets`, `as_of`, `top_k` (the openai client sends them with `extra_body=`).
Errors come in OpenAI's error shape.

The models are the answer modes: `news` (the server's configured mode), `news-extractive`,
and `news-llm` when an LLM endpoint is configured.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Iterator, Literal, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rag import AskRequest, problem_message
from ui.api.guard import KEY_IN_DOCS
from ui.api.service import Failed, Service, Source, in_thread, sources
from ui.render import answer_markdown

MODES = {"news": None, "news-extractive": "extractive", "news-llm": "llm"}


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        """The message's words (the text parts of a multi-part content)."""
        if isinstance(self.content, list):
            return " ".join(p.get("text", "") for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """OpenAI's chat request; fields this server does not use (temperature, max_tokens, …)
    are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = "news"
    messages: list[Message] = Field(min_length=1, max_length=200)
    stream: bool = False
    since: Any = None
    until: Any = None
    outlets: Any = None
    as_of: Any = None
    top_k: Any = None
    footnotes: bool = Field(True, description="Append the numbered sources to the content.")


def refusal(status: int, message: str, kind: str, param: str | None = None) -> dict[str, Any]:
    """An error in OpenAI's shape (what its clients raise as `openai.APIError`s)."""
    return {"error": {"message": message, "type": kind, "param": param, "code": status}}


def error(
    status: int, message: str, param: str | None = None, kind: str = "invalid_request_error"
) -> JSONResponse:
    """`refusal` as the response to send."""
    return JSONResponse(refusal(status, message, kind, param), status_code=status)


def invalid(problem: Mapping[str, Any], field: str | None) -> JSONResponse:
    """A request field that did not pass its check (`rag.requests`), as a 400 naming it."""
    return error(400, problem_message(problem) or "invalid request", field)


def build(service: Service) -> FastAPI:
    """The `/v1` app on `service`."""
    app = FastAPIOffline(  # the docs page's Swagger UI served from here, not a CDN
        dependencies=[KEY_IN_DOCS],
        title="News Q&A — OpenAI-compatible chat",
        docs_url="/docs",
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        return invalid(first, ".".join(str(p) for p in first.get("loc", ())[1:]) or None)

    @app.get("/models")
    def models() -> dict[str, Any]:
        """The answer modes, as models."""
        offered = ["news", "news-extractive"]
        if service.assistant.settings.llm_configured:
            offered.append("news-llm")
        return {
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "rag"} for m in offered
            ],
        }

    @app.post("/chat/completions", response_model=None)
    async def chat(body: ChatRequest) -> JSONResponse | StreamingResponse:
        """Answer the last user message from the stored articles, citing them."""
        if body.model not in MODES or (
            MODES[body.model] == "llm" and not service.assistant.settings.llm_configured
        ):
            return error(404, f"the model {body.model!r} does not exist; see GET /v1/models",
                         "model")  # fmt: skip
        users = [m.text for m in body.messages if m.role == "user" and m.text.strip()]
        if not users:
            return error(400, "no user message to answer", "messages")
        try:
            asked = AskRequest(
                question=users[-1], since=body.since, until=body.until, outlets=body.outlets,
                as_of=body.as_of, top_k=body.top_k,
            )  # fmt: skip
        except ValidationError as err:
            first = err.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else None
            return invalid(first, "messages" if field == "question" else field)
        try:
            answer = await in_thread(
                lambda: service.ask(asked, history=users[:-1], mode=MODES[body.model]), "answering"
            )
        except Failed as err:
            kind = "server_error" if err.status >= 500 else "invalid_request_error"
            return error(err.status, err.message, kind=kind)
        reply_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        found = [s.model_dump() for s in sources(answer)]
        text = answer_markdown(answer, sources=body.footnotes).rstrip("\n")
        extra = {"sources": found, "refused": answer.abstained, "short_answer": answer.short_answer}
        if body.stream:
            chunks = _chunks(reply_id, created, body.model, text, extra)
            return StreamingResponse(chunks, media_type="text/event-stream")
        return JSONResponse(
            {
                "id": reply_id,
                "object": "chat.completion",
                "created": created,
                "model": body.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                **extra,
            }
        )

    return app


def _chunks(
    reply_id: str, created: int, model: str, text: str, extra: dict[str, Any]
) -> Iterator[str]:
    """The reply as OpenAI's `chat.completion.chunk` events: the role, the text a few words
    at a time, then the finish with the sources, then `[DONE]`."""

    def event(delta: dict[str, Any], finish: str | None = None, **more: Any) -> str:
        chunk = {
            "id": reply_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **more,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    words = text.split(" ")
    for start in range(0, len(words), 8):
        piece = " ".join(words[start : start + 8])
        yield event({"content": piece if start == 0 else " " + piece})
    yield event({}, "stop", **extra)
    yield "data: [DONE]\n\n"


__all__ = ["Source", "build", "refusal"]
