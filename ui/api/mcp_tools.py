"""The assistant as a Model Context Protocol server (the official `mcp` SDK).

Four tools, each returning cited results as structured content: `ask` (an answer with its
sources), `search_passages` (the best passages, for an agent that reads them itself),
`brief` (a cited briefing in Markdown) and `list_articles`. Served over stdio by `rag mcp`
(what desktop assistants and agents start as a subprocess) and over streamable HTTP at
`/mcp` behind `rag serve`, where the API's keys and limits stand in front (`ui.api.guard`).

Tools run their work on a worker thread: answering holds the CPU for a while and must not
stop the server's event loop (the web UI shares it under `rag serve`).
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field, ValidationError

from rag import AskRequest, Scope, problem_message
from ui.api.service import (
    ArticlePage,
    BriefingRequest,
    Failed,
    PassageOut,
    Service,
    Source,
    in_thread,
    sources,
)

INSTRUCTIONS = (
    "Answers questions about a library of stored news articles. Every answer cites the "
    "exact passages it used as [n], with the sources in `sources`; when the articles do not "
    "hold the answer it says so (`refused`). Dates are YYYY-MM-DD."
)


Day = Annotated[str | None, Field(description="A date, YYYY-MM-DD.")]


def checked(model: type[BaseModel], **given: Any) -> Any:
    """`model` filled from a tool's arguments by the API's own rules (`rag.requests`), its
    refusal one sentence naming the argument."""
    try:
        return model(**given)
    except ValidationError as err:
        first = err.errors()[0]
        raise ToolError(problem_message(first)) from None


class AskResult(BaseModel):
    answer: str = Field(description="The answer, with [n] markers for its sources.")
    refused: bool = Field(description="True when the articles do not hold the answer.")
    short_answer: str | None = Field(None, description="The figure, date or name asked for.")
    sources: list[Source]


class Passages(BaseModel):
    passages: list[PassageOut]


class BriefResult(BaseModel):
    id: str
    markdown: str = Field(description="The briefing, each line cited with [n] footnotes.")


def build(service: Service) -> MCPServer:
    """The MCP server's tools on `service`."""
    server = MCPServer("news-rag", instructions=INSTRUCTIONS)

    async def run(work: Any) -> Any:
        """`work` on a worker thread; a failure is a tool error in words for people."""
        try:
            return await in_thread(work, "running the tool")
        except Failed as err:
            raise ToolError(err.message) from err

    @server.tool()
    async def ask(
        question: str,
        since: Day = None,
        until: Day = None,
        outlets: list[str] | None = None,
        as_of: Day = None,
    ) -> AskResult:
        """Answer a question from the stored news articles, citing the passages used."""
        request = checked(
            AskRequest, question=question, since=since, until=until, outlets=outlets, as_of=as_of
        )
        answer = await run(lambda: service.ask(request))
        return AskResult(
            answer=answer.answer,
            refused=answer.abstained,
            short_answer=answer.short_answer,
            sources=sources(answer),
        )

    @server.tool()
    async def search_passages(
        query: str,
        top_k: int = 6,
        since: Day = None,
        until: Day = None,
        outlets: list[str] | None = None,
    ) -> Passages:
        """The stored passages that best match a query, best first (1-20 of them)."""
        if not query.strip():
            raise ToolError("query: give some words to search for")
        scope = checked(Scope, since=since, until=until, outlets=outlets)
        found = await run(lambda: service.search(query, scope, max(1, min(top_k, 20))))
        return Passages(passages=found)

    @server.tool()
    async def brief(
        topic: str,
        since: Day = None,
        until: Day = None,
        outlets: list[str] | None = None,
    ) -> BriefResult:
        """A cited briefing on a topic: summary, key points, timeline, disagreements."""
        request = checked(BriefingRequest, topic=topic, since=since, until=until, outlets=outlets)
        kept = await run(lambda: service.brief(request))
        return BriefResult(id=kept.id, markdown=kept.markdown or "")

    @server.tool()
    async def list_articles(offset: int = 0, limit: int = 50, outlet: str = "") -> ArticlePage:
        """The stored articles, newest first, with their ids, titles, outlets and dates."""
        return await run(lambda: service.articles(max(0, offset), limit, outlet))

    return server
