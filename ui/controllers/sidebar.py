"""The sidebar's conversations: open one, search, start anew, rename, delete, download.

Each reader sees only their own conversations (`ui.conversations`, keyed by the login
user). Opening one re-renders it from the store (`ui.controllers.history`), names it in the
page's address and writes its Download file (`ui.controllers.download`). Each
handler returns `{component: value}`; asking is the chat's (`ui.controllers.chat`).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import Answer, as_text
from ui.controllers.history import cited_articles, render_history
from ui.controllers.shared import Outputs, Shared, owner
from ui.layout import Page
from ui.render import sources_html


class SidebarController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.page = shared, page
        ask, bar = page.ask, page.sidebar
        self.shown = [ask.chat, ask.panel, page.states.conversation, bar.title, bar.undo_row]
        self.shown += [page.states.address, bar.export, ask.waiting, ask.again, ask.edit]
        self.cleared = [*self.shown, bar.listing]
        self.undoable = [*self.cleared, bar.undo_note, bar.deleted]  # delete and undo
        self.not_editing = [page.states.editing, ask.edit_note]
        self.opened = [*self.shown, bar.listing, ask.problem]

    def _show(
        self,
        request: gr.Request,
        history: list[dict[str, Any]],
        last: Answer | None,
        c: int | None,
        gone: dict[str, str],
    ) -> Outputs:
        """The chat and source panel showing `history`, conversation `c` selected, named
        in the page's address and held by the Download button. An answer still being
        written in the conversation left behind is no longer drawn here (`Shared.shows`),
        and the note of questions waiting there goes."""
        ask, bar, states = self.page.ask, self.page.sidebar, self.page.states
        who = owner(request)
        self.shared.show(request, c)
        panel = sources_html(last, gone)
        shown = {ask.chat: history, ask.panel: panel, states.conversation: c}
        shown |= {states.address: "" if c is None else str(c)}
        shown[bar.export] = self.shared.downloads.button(who, c)
        shown[ask.waiting] = gr.update(value="", visible=False)
        shown |= ask.last_exchange_buttons(writing=c in self.shared.answering)
        return shown | {bar.undo_row: gr.update(visible=False)}  # the last Undo has lapsed

    def open(self, conversation: int | None, request: gr.Request) -> Outputs:
        """The chosen conversation in the chat, its last answer's sources in the panel.
        Outputs: `self.shown`."""
        who, kept, title = owner(request), self.shared.kept, self.page.sidebar.title
        if conversation is None or not kept.owns(who, conversation):
            return self._show(request, [], None, None, {}) | {title: ""}
        messages = kept.messages(who, conversation)
        gone = self.shared.assistant.removed(cited_articles(messages))
        writing = conversation in self.shared.answering  # the chat then follows it
        history, last = render_history(messages, gone, writing=writing)
        shown = self._show(request, history, last, conversation, gone)
        return shown | {title: kept.title(who, conversation)}

    def opened_at(self, address: str, request: gr.Request) -> Outputs:
        """The conversation a page address names (`?c=ID`, read on load): shown and selected
        in the list, or, when it is not this reader's (deleted, or another login's), an empty
        chat that says so. Outputs: `self.shown`, the listing and the problem line."""
        who, problem = owner(request), self.page.ask.problem
        if not address:
            return {problem: gr.update(visible=False)}
        wanted = int(address) if address.isdigit() else None
        if wanted is None or not self.shared.kept.owns(who, wanted):
            missing = "That conversation is not here: it was deleted, or belongs to another login."
            return self.open(None, request) | {problem: gr.update(value=missing, visible=True)}
        listing = self.shared.conversation_choices(who, "", wanted)
        hidden = gr.update(value="", visible=False)
        return self.open(wanted, request) | {self.page.sidebar.listing: listing, problem: hidden}

    def find(self, text: str, conversation: int | None, request: gr.Request) -> Outputs:
        """The list narrowed to conversations matching `text`. Outputs: the listing."""
        listing = self.page.sidebar.listing
        return {listing: self.shared.conversation_choices(owner(request), text, conversation)}

    def new(self, search: str, request: gr.Request) -> Outputs:
        """An empty chat; the conversation starts with its first question. Outputs:
        `self.cleared`."""
        return self._cleared(request, search)

    def _cleared(self, request: gr.Request, search: str) -> Outputs:
        bar = self.page.sidebar
        listing = self.shared.conversation_choices(owner(request), search)
        return self._show(request, [], None, None, {}) | {bar.title: "", bar.listing: listing}

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
        """Delete only when the browser's confirm() said OK; Cancel changes nothing. An
        answer still being written in the conversation is stopped.

        The answer travels in `confirmed` (a plain component) because Gradio hands a
        gr.State input its server-side value, whatever the `js=` step returned for it.
        Outputs: `self.cleared`."""
        if not confirmed:
            return {self.page.ask.chat: gr.skip()}
        who, bar = owner(request), self.page.sidebar
        if conversation is None or not self.shared.kept.owns(who, conversation):
            return self._cleared(request, search)
        title = self.shared.kept.title(who, conversation)
        if (run := self.shared.answering.get(conversation)) is not None:
            run.stop()  # an answer still being written there is not wanted now
        self.shared.kept.delete(who, conversation)
        said = f"Deleted “{as_text(title)}”."
        return self._cleared(request, search) | {
            bar.undo_row: gr.update(visible=True),
            bar.undo_note: said,
            bar.deleted: conversation,
        }

    def undo(self, deleted: int | None, search: str, request: gr.Request) -> Outputs:
        """Bring back the conversation just deleted and open it. Outputs: `self.undoable`."""
        who = owner(request)
        if deleted is None or not self.shared.kept.restore(who, deleted):
            gone = "That conversation can no longer be brought back."
            return {self.page.sidebar.undo_note: gone}
        listing = self.shared.conversation_choices(who, search, deleted)
        return self.open(deleted, request) | {
            self.page.sidebar.listing: listing,
            self.page.sidebar.deleted: None,
        }

    def export(self, conversation: int | None, request: gr.Request) -> Outputs:
        """The Download button holding the open conversation (after a rename). Outputs:
        the button."""
        button = self.shared.downloads.button(owner(request), conversation)
        return {self.page.sidebar.export: button}
