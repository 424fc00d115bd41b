"""What the HTTP API, the OpenAI-compatible chat and the MCP tools do, written once.

Each surface (`ui.api.rest`, `ui.api.openai_chat`, `ui.api.mcp_tools`) only translates its
protocol to these calls and back, so a question asked by curl, an OpenAI client or an MCP
agent is read, filtered, answered and cited the same way as in the chat. Work that uses the
model or writes the store runs under the app's one lock (`ui.controllers.shared.Shared`),
as the UI's own events do, so an API call and a chat answer never run the CPU model at once.

Results are pydantic models (documented by the OpenAPI schema, returned by MCP as
structured content); an answer itself stays `rag.Answer` and travels as `rag ask --json`
writes it. Not here: authentication and limits (`ui.api.keys`), error shapes (each surface).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable, Literal, TypeVar

import anyio
from pydantic import BaseModel, Field

from rag import (
    Answer,
    AskRequest,
    Fetcher,
    Scope,
    build_briefing,
    poll_feeds,
    render_markdown,
    to_passages,
)
from ui.briefings_kept import KeptBriefings
from ui.controllers.shared import Shared
from ui.uploads import save_and_ingest

T = TypeVar("T")
MAX_PAGE = 200  # articles one listing call may return
MAX_SEARCH = 20  # passages one search may return
HISTORY = 6  # earlier questions a follow-up is read with (each may be rewritten in turn)


class NotFound(LookupError):
    """The named article, briefing or feed is not stored (the message says which)."""


class Source(BaseModel):
    """What one `[n]` of an answer points at: a verbatim quote of one stored article."""

    number: int = Field(description="The n of the [n] marker in the answer.")
    title: str
    outlet: str = Field(description="Who published it ('' when the article does not say).")
    date: str = Field(description="The article's date, YYYY-MM-DD ('' when undated).")
    url: str
    quote: str = Field(description="The cited span, verbatim from the article.")
    supported: bool = Field(description="Whether the citation check found the claim in it.")
    article_id: str
    also_in: list[str] = Field(default_factory=list, description="Other outlets that ran it.")


def sources(answer: Answer) -> list[Source]:
    """The citations of `answer` as the API's structured sources."""
    return [
        Source(
            number=c.n,
            title=c.title,
            outlet=c.source,
            date=c.date,
            url=c.url,
            quote=c.quote,
            supported=c.supported,
            article_id=c.doc,
            also_in=c.outlets[1:],
        )
        for c in answer.citations
    ]


class PassageOut(BaseModel):
    rank: int
    article_id: str
    title: str
    outlet: str
    date: str
    url: str
    text: str
    score: float


class ArticleOut(BaseModel):
    id: str
    title: str
    outlet: str
    date: str
    url: str
    chunks: int
    characters: int
    ingested_at: str
    story: str = ""
    text: str | None = Field(None, description="The article's text (one article only).")


class ArticlePage(BaseModel):
    total: int
    offset: int
    limit: int
    articles: list[ArticleOut]


class UploadOut(BaseModel):
    file: str
    result: Literal["added", "updated", "skipped", "rejected"] | str
    detail: str = ""


class BriefingRequest(Scope):
    topic: str = Field(min_length=1, max_length=300, description="What the briefing is about.")


class BriefingOut(BaseModel):
    id: str
    topic: str
    generated_at: str
    filters: dict[str, Any] = Field(default_factory=dict)
    markdown: str | None = None
    briefing: dict[str, Any] | None = Field(None, description="Every section, as data.")


class FeedOut(BaseModel):
    url: str
    title: str
    last_poll: str
    last_result: str
    articles: int = Field(description="Articles this feed has brought in, all polls together.")


class PollOut(BaseModel):
    url: str
    result: str
    new: int
    updated: int
    unchanged: int
    failed: int


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    articles: int
    generation: str = Field(description="The store's generation: changes with every write.")
    mode: str


class Service:
    """The API's work on one assistant, under the app's lock."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.assistant = shared.assistant

    @property
    def kept_briefings(self) -> KeptBriefings:
        return KeptBriefings(self.assistant.settings.data_dir / "briefings")

    # --- answers ------------------------------------------------------------------------
    def ask(
        self, request: AskRequest, history: list[str] | None = None, mode: str | None = None
    ) -> Answer:
        """Answer `request`; `history` holds the conversation's earlier questions (oldest
        first), read as `rag chat` reads a follow-up."""
        assistant, question, topic = self.assistant, request.question, ""
        if history:
            searched: list[str] = []
            for earlier in history[-HISTORY:]:
                searched.append(assistant.next_turn(searched, earlier).searched)
            turn = assistant.next_turn(searched, question)
            question, topic = turn.question, turn.topic
        with self.shared.lock:
            return assistant.ask(
                question,
                filters=request.filters,
                top_k=request.top_k,
                mode=mode,  # type: ignore[arg-type]
                as_of=request.as_of,
                topic=topic,
            )

    def search(self, query: str, scope: Scope, top_k: int = 6) -> list[PassageOut]:
        """The best passages for `query`, without an answer (what an agent reads itself)."""
        with self.shared.lock:
            nodes = self.assistant.retrieve(query, scope.filters, top_k=min(top_k, MAX_SEARCH))
        return [
            PassageOut(
                rank=p.rank,
                article_id=p.doc,
                title=p.title,
                outlet=p.source,
                date=p.date,
                url=p.url,
                text=p.text,
                score=round(p.score, 4),
            )
            for p in to_passages(nodes)
        ]

    # --- articles ----------------------------------------------------------------------
    def articles(self, offset: int = 0, limit: int = 50, outlet: str = "") -> ArticlePage:
        """Stored articles, newest first, `limit` from `offset`."""
        rows = sorted(
            (
                (k, r)
                for k, r in self.assistant.library().items()
                if not outlet or r.source == outlet
            ),
            key=lambda kv: (kv[1].date, kv[0]),
            reverse=True,
        )
        limit = max(1, min(limit, MAX_PAGE))
        chosen = rows[offset : offset + limit]
        return ArticlePage(
            total=len(rows),
            offset=offset,
            limit=limit,
            articles=[_article(k, r) for k, r in chosen],
        )

    def article(self, doc_id: str) -> ArticleOut:
        found = self.assistant.article(doc_id)
        if found is None:
            raise NotFound(f"no stored article has the id {doc_id!r}")
        return _article(doc_id, *found)

    def delete(self, doc_id: str) -> None:
        with self.shared.lock:
            if not self.assistant.delete(doc_id):
                raise NotFound(f"no stored article has the id {doc_id!r}")

    def upload(self, files: list[tuple[str, bytes]]) -> list[UploadOut]:
        """Store uploaded files (name, bytes) as the UI's Library tab does."""
        with tempfile.TemporaryDirectory(prefix="rag-api-") as folder:
            paths = []
            for n, (name, data) in enumerate(files):
                temp = Path(folder) / f"{n}"
                temp.write_bytes(data)
                paths.append((name, temp))
            with self.shared.lock:
                results = save_and_ingest(self.assistant, paths)
        return [UploadOut(file=r.file, result=r.result, detail=r.detail) for r in results]

    # --- briefings ---------------------------------------------------------------------
    def brief(self, request: BriefingRequest) -> BriefingOut:
        """Write a briefing and keep it (Markdown and JSON) under the data folder."""
        with self.shared.lock:
            briefing = build_briefing(self.assistant, request.topic.strip(), request.filters)
            markdown = render_markdown(briefing)
        named = self.kept_briefings.keep(request.topic, briefing, markdown)
        kept = self.kept_briefings.get(named.key)
        assert kept is not None  # just written
        return self._briefing(named.key, markdown, kept[2])

    def briefings(self) -> list[BriefingOut]:
        """Kept briefings, newest first (without their text)."""
        return [
            BriefingOut(id=b.key, topic=b.topic, generated_at=b.generated_at, filters=b.filters)
            for b in self.kept_briefings.list()
        ]

    def briefing(self, key: str) -> BriefingOut:
        kept = self.kept_briefings.get(key)
        if kept is None:
            raise NotFound(f"no briefing is kept under the id {key!r}")
        return self._briefing(key, kept[1], kept[2])

    @staticmethod
    def _briefing(
        key: str, markdown: str | None, data: dict[str, Any], brief: bool = False
    ) -> BriefingOut:
        return BriefingOut(
            id=key,
            topic=data.get("topic", ""),
            generated_at=data.get("generated_at", ""),
            filters=data.get("filters", {}),
            markdown=markdown,
            briefing=None if brief else data,
        )

    # --- feeds -------------------------------------------------------------------------
    def feeds(self) -> list[FeedOut]:
        return [
            FeedOut(
                url=url,
                title=state.title,
                last_poll=state.last_poll,
                last_result=state.last_result,
                articles=sum(state.totals.get(k, 0) for k in ("new", "updated")),
            )
            for url, state in self.assistant.watched_feeds().items()
        ]

    def watch(self, url: str) -> PollOut:
        with self.shared.lock:
            return _poll(self.assistant.watch_feed(url))

    def unwatch(self, url: str) -> None:
        if not self.assistant.unwatch_feed(url):
            raise NotFound(f"{url!r} is not a watched feed")

    def poll(self) -> list[PollOut]:
        """Poll every watched feed once, storing what is new."""
        urls = list(self.assistant.watched_feeds())
        if not urls:
            return []
        fetcher = Fetcher(self.assistant.settings)
        try:
            with self.shared.lock:
                report = poll_feeds(urls, self.assistant, fetcher, listed_only=True)
        finally:
            fetcher.close()
        return [_poll(line) for line in report.feeds]

    # --- health ------------------------------------------------------------------------
    def health(self) -> Health:
        return Health(
            articles=len(self.assistant.library()),
            generation=self.assistant.store.generation(),
            mode=self.assistant.default_mode,
        )


def _article(doc_id: str, record: Any, text: str | None = None) -> ArticleOut:
    return ArticleOut(
        id=doc_id,
        title=record.title,
        outlet=record.source,
        date=record.date,
        url=record.url,
        chunks=record.chunks,
        characters=record.chars,
        ingested_at=record.ingested_at,
        story=record.story,
        text=text,
    )


def _poll(line: Any) -> PollOut:
    return PollOut(
        url=line.url,
        result=line.result,
        new=line.new,
        updated=line.updated,
        unchanged=line.unchanged,
        failed=line.failed,
    )


class Failed(Exception):
    """Work of the API failed: the HTTP status and the sentence for people to answer with
    (each surface says it in its own shape: REST's detail, OpenAI's error, an MCP tool
    error)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


async def in_thread(work: Callable[[], T], doing: str) -> T:
    """`work` on a worker thread (answers and writes take the app's lock and must not stop
    the server's event loop); what it raises is `Failed` (`failure`)."""
    try:
        return await anyio.to_thread.run_sync(work)
    except Exception as err:
        raise Failed(*failure(err, doing)) from err


def failure(err: BaseException, doing: str) -> tuple[int, str]:
    """The HTTP status and the sentence for people of `err`, raised while `doing`: a refused
    input 400, an article or briefing not stored 404, a store or LLM endpoint that cannot
    be reached 503, anything else 500 (logged with its traceback under a reference)."""
    from pydantic import ValidationError

    from rag import LLMConfigError, StoreUnavailable
    from ui.failures import for_people

    if isinstance(err, ValidationError):  # a model of ours not filled right: a fault here
        return 500, for_people(err, doing)
    if isinstance(err, NotFound):
        return 404, str(err)
    if isinstance(err, (StoreUnavailable, LLMConfigError)):
        return 503, for_people(err, doing)
    if isinstance(err, ValueError):
        return 400, str(err)
    return 500, for_people(err, doing)
