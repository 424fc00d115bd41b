"""`/api`: the assistant as a REST API, with its OpenAPI docs at `/api/docs`.

Ask (the same JSON as `rag ask --json`), search passages, the articles (list with paging,
one with its text, upload, delete), briefings (create, list, get as JSON or Markdown),
watched feeds (list, add, remove, poll) and health. Inputs are pydantic models
(`rag.AskRequest`, `ui.api.service`) checked by the same rules as the UI's fields; a bad
field is a 422 naming it. The work is `ui.api.service`'s; this module maps HTTP onto it.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, File, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field

from rag import AskRequest, Scope, problem_message
from ui.api.guard import KEY_IN_DOCS
from ui.api.service import (
    ArticleOut,
    ArticlePage,
    BriefingOut,
    BriefingRequest,
    Failed,
    FeedOut,
    Health,
    PassageOut,
    PollOut,
    Service,
    UploadOut,
    in_thread,
)


class ApiAsk(AskRequest):
    history: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Earlier questions of the conversation, oldest first: a follow-up is "
        "read in their context.",
    )
    mode: Literal["extractive", "llm"] | None = Field(
        None, description="How to answer (default: the server's configured mode)."
    )


class SearchRequest(Scope):
    query: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(6, ge=1, le=20)


class FeedRequest(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="The feed's (or site's) URL.")


def refusal(status: int, message: str, kind: str) -> dict[str, Any]:
    """An error body: `{"detail": message}`, as FastAPI writes its own."""
    return {"detail": message, "type": kind}


def build(service: Service) -> FastAPI:
    """The `/api` app on `service`."""
    app = FastAPIOffline(  # the docs page's Swagger UI served from here, not a CDN
        dependencies=[KEY_IN_DOCS],
        title="News Q&A API",
        description="Answers about the stored news articles, each citing the exact passages "
        "it used. Send `Authorization: Bearer KEY` (keys from RAG_API_KEYS).",
        docs_url="/docs",
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        """422 naming each bad field, in FastAPI's shape, each message one sentence."""
        detail = [
            {
                "loc": list(e.get("loc", ())),
                "msg": problem_message(e),
                "type": e.get("type", ""),
            }
            for e in err.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(Failed)
    async def failed(request: Request, err: Failed) -> JSONResponse:
        return JSONResponse({"detail": err.message}, status_code=err.status)

    async def run(work: Any) -> Any:
        return await in_thread(work, "serving the API request")

    @app.get("/health", tags=["service"])
    async def health() -> Health:
        return await run(service.health)

    @app.post("/ask", tags=["answers"])
    async def ask(body: ApiAsk) -> dict[str, Any]:
        """Answer a question from the stored articles; the same JSON as `rag ask --json`."""
        answer = await run(lambda: service.ask(body, history=body.history, mode=body.mode))
        written: dict[str, Any] = answer.to_json()
        return written

    @app.post("/search", tags=["answers"])
    async def search(body: SearchRequest) -> list[PassageOut]:
        """The passages that best match a query (no answer is written)."""
        return await run(lambda: service.search(body.query, body, body.top_k))

    @app.get("/articles", tags=["articles"])
    async def articles(
        offset: int = Query(0, ge=0),
        limit: int = Query(50, ge=1, le=200),
        outlet: str = Query("", max_length=200),
    ) -> ArticlePage:
        """Stored articles, newest first."""
        return await run(lambda: service.articles(offset, limit, outlet))

    @app.get("/articles/{article_id:path}", tags=["articles"])
    async def article(article_id: str) -> ArticleOut:
        """One stored article with its text."""
        return await run(lambda: service.article(article_id))

    @app.post("/articles", tags=["articles"])
    async def upload(files: list[UploadFile] = File(...)) -> list[UploadOut]:
        """Add articles (.txt .md .html .pdf .json .jsonl, feed files), as the Library tab."""
        given = [(f.filename or "upload", await f.read()) for f in files]
        return await run(lambda: service.upload(given))

    @app.delete("/articles/{article_id:path}", status_code=204, tags=["articles"])
    async def delete(article_id: str) -> Response:
        await run(lambda: service.delete(article_id))
        return Response(status_code=204)

    @app.post("/briefings", status_code=201, tags=["briefings"])
    async def brief(body: BriefingRequest) -> BriefingOut:
        """Write a cited briefing on a topic and keep it."""
        return await run(lambda: service.brief(body))

    @app.get("/briefings", tags=["briefings"])
    async def briefings() -> list[BriefingOut]:
        return await run(service.briefings)

    @app.get("/briefings/{briefing_id}", tags=["briefings"], response_model=None)
    async def briefing(
        briefing_id: str, format: Literal["json", "markdown"] = "json"
    ) -> BriefingOut | PlainTextResponse:
        """A kept briefing, as JSON or (`?format=markdown`) as its Markdown file."""
        kept: BriefingOut = await run(lambda: service.briefing(briefing_id))
        if format == "markdown":
            return PlainTextResponse(kept.markdown or "", media_type="text/markdown")
        return kept

    @app.get("/feeds", tags=["feeds"])
    async def feeds() -> list[FeedOut]:
        return await run(service.feeds)

    @app.post("/feeds", status_code=201, tags=["feeds"])
    async def watch(body: FeedRequest) -> PollOut:
        """Watch a feed: it is polled once now, storing what it brings."""
        return await run(lambda: service.watch(body.url))

    @app.delete("/feeds", status_code=204, tags=["feeds"])
    async def unwatch(url: str = Query(..., max_length=2000)) -> Response:
        """Stop watching a feed; its articles stay stored."""
        await run(lambda: service.unwatch(url))
        return Response(status_code=204)

    @app.post("/feeds/poll", tags=["feeds"])
    async def poll() -> list[PollOut]:
        """Poll every watched feed once."""
        return await run(service.poll)

    return app
