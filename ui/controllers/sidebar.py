"""The sidebar's conversations: open one, search, start anew, rename, delete, download.

Each reader sees only their own conversations (`ui.conversations`, keyed by the login
user). Opening one re-renders it from the store (`ui.controllers.history`); Download writes
it as Markdown (`ui.render.conversation_markdown`) to a private folder per reader. Each
handler returns `{component: value}`; asking is the chat's (`ui.controllers.chat`).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from rag import Answer
from ui.controllers.history import render_history
from ui.controllers.shared import Outputs, Shared, owner
from ui.layout import Page
from ui.render import conversation_markdown, sources_html


class SidebarController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.page = shared, page
        self.exports = Path(tempfile.mkdtemp(prefix="rag-ui-exports-"))
        ask, bar = page.ask, page.sidebar
        self.shown = [ask.chat, ask.panel, page.states.conversation, bar.title]
        self.cleared = [*self.shown, bar.listing]
        self.not_editing = [page.states.editing, ask.edit_note]

    def _show(self, history: list[dict[str, Any]], last: Answer | None, c: int | None) -> Outputs:
        """The chat and source panel showing `history`, conversation `c` selected."""
        ask = self.page.ask
        return {ask.chat: history, ask.panel: sources_html(last), self.page.states.conversation: c}

    def open(self, conversation: int | None, request: gr.Request) -> Outputs:
        """The chosen conversation in the chat, its last answer's sources in the panel.
        Outputs: `self.shown`."""
        who, kept, title = owner(request), self.shared.kept, self.page.sidebar.title
        if conversation is None or not kept.owns(who, conversation):
            return self._show([], None, None) | {title: ""}
        history, last = render_history(kept.messages(who, conversation))
        return self._show(history, last, conversation) | {title: kept.title(who, conversation)}

    def find(self, text: str, conversation: int | None, request: gr.Request) -> Outputs:
        """The list narrowed to conversations matching `text`. Outputs: the listing."""
        listing = self.page.sidebar.listing
        return {listing: self.shared.conversation_choices(owner(request), text, conversation)}

    def new(self, search: str, request: gr.Request) -> Outputs:
        """An empty chat; the conversation starts with its first question. Outputs:
        `self.cleared`."""
        return self._cleared(owner(request), search)

    def _cleared(self, who: str, search: str) -> Outputs:
        bar = self.page.sidebar
        listing = self.shared.conversation_choices(who, search)
        return self._show([], None, None) | {bar.title: "", bar.listing: listing}

    def leave_editing(self) -> Outputs:
        """Another conversation shown: the box no longer edits a last question. Outputs:
        `self.not_editing`."""
        return {self.page.states.editing: False, self.page.ask.edit_note: gr.update(visible=False)}

    def rename(
        self, conversation: int | None, title: str, search: str, request: gr.Request
    ) -> Outputs:
        """Outputs: the listing."""
        who = owner(request)
        if conversation is not None:
            self.shared.kept.rename(who, conversation, title or "")
        listing = self.page.sidebar.listing
        return {listing: self.shared.conversation_choices(who, search, conversation)}

    def delete(
        self, conversation: int | None, search: str, confirmed: bool, request: gr.Request
    ) -> Outputs:
        """Delete only when the browser's confirm() said OK; Cancel changes nothing.

        The answer travels in `confirmed` (a plain component) because Gradio hands a
        gr.State input its server-side value, whatever the `js=` step returned for it.
        Outputs: `self.cleared`."""
        if not confirmed:
            return {self.page.ask.chat: gr.skip()}
        who = owner(request)
        if conversation is not None:
            self.shared.kept.delete(who, conversation)
        return self._cleared(who, search)

    def export(self, conversation: int | None, request: gr.Request) -> Outputs:
        """The conversation as a Markdown file to download. Outputs: the file."""
        who, kept, file = owner(request), self.shared.kept, self.page.sidebar.export_file
        if conversation is None or not kept.owns(who, conversation):
            return {file: gr.update(value=None, visible=False)}
        turns: list[tuple[str, Answer | None, str]] = []
        for m in kept.messages(who, conversation):
            if m.role == "user":
                turns.append((m.text, None, "*(no answer)*"))
            elif turns:
                answer = Answer.from_json(m.answer) if m.answer is not None else None
                turns[-1] = (turns[-1][0], answer, m.text)
        title = kept.title(who, conversation)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "conversation"
        folder = self.exports / hashlib.sha256(who.encode()).hexdigest()[:12]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug}-{conversation}.md"
        path.write_text(conversation_markdown(title, turns), encoding="utf-8")
        return {file: gr.update(value=str(path), visible=True)}
