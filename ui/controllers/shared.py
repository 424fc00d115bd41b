"""What every controller of one app works with: the assistant, the conversations, one lock.

Also the small readings of a request they share: whose conversations these are, which date
fields are not dates, the filters the date and outlet fields make, and the conversation
list's choices. No event is handled here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
from gradio.blocks import Block

from rag import Assistant, Filters, Settings, parse_date
from ui.controllers.download import ConversationDownloads
from ui.controllers.run import AnswerRun
from ui.conversations import ConversationStore

DATE_HINT = "use YYYY-MM-DD, e.g. 2024-08-14"
DATE_FIELDS = (("since", "From"), ("until", "To"), ("as_of", "As of"))


@dataclass
class Shared:
    assistant: Assistant
    kept: ConversationStore
    # one answer (or write) at a time per process keeps the CPU model fair
    lock: threading.Lock = field(default_factory=threading.Lock)
    downloads: ConversationDownloads = field(init=False)
    # conversation -> the answer being written in it (kept when it ends, watched or not)
    answering: dict[int, AnswerRun] = field(default_factory=dict)
    # page (Gradio session) -> the conversation it shows; None: an empty chat
    showing: dict[str, int | None] = field(default_factory=dict)
    # page -> what its Adds to the library did, the last to end first (file, result, detail)
    added: dict[str, list[list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.downloads = ConversationDownloads(self.kept)

    @classmethod
    def open(cls, assistant: Assistant) -> Shared:
        """The app's shared state, its conversations in the data dir's SQLite file."""
        return cls(assistant, ConversationStore(assistant.settings.data_dir / "conversations.db"))

    def show(self, request: gr.Request | None, conversation: int | None) -> None:
        """Note that the page of `request` now shows `conversation` (None: an empty chat)."""
        if page := page_of(request):
            self.showing[page] = conversation

    def shows(self, request: gr.Request | None, conversation: int) -> bool:
        """Whether the page of `request` still shows `conversation`. An answer is drawn
        only then: a reader who opened another conversation (or a new chat) while it was
        written is not pulled back to it; it is stored all the same."""
        page = page_of(request)
        return not page or self.showing.get(page, conversation) == conversation

    def closed(self, request: gr.Request) -> None:
        """The page of `request` was closed or reloaded: nothing is shown there any more."""
        page = page_of(request) or ""
        self.showing.pop(page, None)
        self.added.pop(page, None)

    @property
    def settings(self) -> Settings:
        return self.assistant.settings

    @property
    def modes(self) -> list[str]:
        """The answer modes offered: LLM only when one is configured."""
        return ["extractive"] + (["llm"] if self.settings.llm_configured else [])

    def conversation_choices(self, owner: str, text: str = "", value: int | None = None) -> Any:
        """The sidebar's list: `owner`'s conversations matching `text`, `value` selected;
        a search that finds none says so under the list (an empty list says nothing)."""
        found = self.kept.list(owner, text or "")
        missing = f"No conversation matches “{text.strip()}”." if text and not found else ""
        return gr.update(choices=[(c.title, c.id) for c in found], value=value, info=missing)


def page_of(request: gr.Request | None) -> str | None:
    """The browser page a request came from (Gradio's session), if it says."""
    return getattr(request, "session_hash", None) or None


def owner(request: gr.Request | None) -> str:
    """Whose conversations these are: the login user, or "" when the UI has no login."""
    return (getattr(request, "username", None) or "") if request is not None else ""


def date_problems(since: str, until: str, as_of: str) -> dict[str, str]:
    """Each date field that is filled but not a date, or a To before its From, with a
    sentence saying what to type."""
    problems = {}
    for (key, label), value in zip(DATE_FIELDS, (since, until, as_of)):
        if value and value.strip() and parse_date(value.strip()[:40]) is None:
            problems[key] = f"{label}: {value.strip()[:40]!r} is not a date; {DATE_HINT}"
    if not problems and since and until and since.strip() and until.strip():
        first, last = parse_date(since.strip()), parse_date(until.strip())
        if first and last and first > last:  # nothing could match: said before asking
            problems["until"] = f"To ({last}) is before From ({first}); swap them or widen them"
    return problems


def filters(since: str, until: str, sources: list[str] | None) -> Filters:
    """The filters the date fields (already checked) and the chosen outlets make."""
    return Filters(
        since=parse_date(since) if since and since.strip() else None,
        until=parse_date(until) if until and until.strip() else None,
        sources=tuple(sources or ()),
    )


Outputs = dict[Block, Any]
"""What a handler returns: `{component: its new value}`; components left out keep theirs."""
