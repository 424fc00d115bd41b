"""What the question box says about the filters in force, and its one-click way out.

The filters sit in a folded panel below the chat, so beside the question box a line says
which ones an answer will be limited to ("Reading only articles dated 2024-02-01 or earlier,
from Reuters") with a Clear button. A filter with a date that is not a date is the problem
note's to say (`ui.controllers.chat`), not this line's. Returns `{component: value}`.
"""

from __future__ import annotations

import gradio as gr

from rag import as_text, in_words
from ui.controllers.shared import Outputs, date_problems, filters
from ui.layout import Page


class FiltersController:
    def __init__(self, page: Page) -> None:
        ask = page.ask
        self.page = page
        self.fields = [ask.since, ask.until, ask.outlets, ask.as_of]
        self.shown = [ask.active_row, ask.active]
        self.cleared = [*self.fields, *self.shown]

    def show(self, since: str, until: str, outlets: list[str] | None, as_of: str) -> Outputs:
        """The line for the filters as the fields now hold them. Outputs: `self.shown`."""
        ask = self.page.ask
        if date_problems(since, until, as_of):
            return {ask.active_row: gr.update(visible=False)}
        chosen = filters(since, until, outlets)
        parts = [f"articles {as_text(in_words(chosen))}"] if chosen else []
        if as_of and as_of.strip():
            parts.append(f"asked as of {as_text(as_of.strip())}")
        if not parts:
            return {ask.active_row: gr.update(visible=False), ask.active: ""}
        text = "**Reading only** " + ", ".join(parts)
        return {ask.active_row: gr.update(visible=True), ask.active: text}

    def clear(self) -> Outputs:
        """Every filter emptied and the line hidden. Outputs: `self.cleared`."""
        ask = self.page.ask
        return {ask.since: "", ask.until: "", ask.outlets: [], ask.as_of: ""} | {
            ask.active_row: gr.update(visible=False),
            ask.active: "",
        }
