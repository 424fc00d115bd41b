"""The article a citation quotes, opened over the page from its source card.

The page script (`ui/static/app.js`) writes `{"doc": id, "quote": words}` into the hidden
`wanted` field when "Read the article" is clicked; `show` reads the article's record and
stored text and renders it (`ui.render.article_html`) with the quote marked, and the script
then scrolls to the mark. An article deleted since the answer says so and keeps the quote.
What the browser sent is only looked up, never shown unescaped.
"""

from __future__ import annotations

import html
import json

import gradio as gr

from rag import StoreUnavailable
from ui.controllers.shared import Outputs, Shared
from ui.layout import Page
from ui.render import article_html

MAX_WANTED_CHARS = 20_000  # a doc id and one quoted sentence or two; more is not ours


class ArticleController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.view = shared, page.ask.article
        self.shown = [self.view.box, self.view.text]

    def show(self, wanted: str) -> Outputs:
        """The article named in `wanted`, shown with its quote marked. Outputs: `self.shown`."""
        try:
            asked = json.loads(wanted[:MAX_WANTED_CHARS]) if wanted else {}
        except ValueError:
            asked = {}
        doc = str(asked.get("doc", "")) if isinstance(asked, dict) else ""
        quote = str(asked.get("quote", "")) if isinstance(asked, dict) else ""
        if not doc:
            return {self.view.box: gr.update(visible=False)}
        assistant = self.shared.assistant
        try:
            found = assistant.article(doc)
        except StoreUnavailable as err:
            said = f"<p class='unsupported'>{html.escape(str(err))}</p>"
            return {self.view.box: gr.update(visible=True), self.view.text: said}
        if found is None:
            page = article_html(doc, None, quote, deleted_on=assistant.deleted_on(doc) or "")
        else:
            r, text = found
            page = article_html(doc, text, quote, r.title, r.source, r.date, r.url)
        return {self.view.box: gr.update(visible=True), self.view.text: page}

    def close(self) -> Outputs:
        """Back to the chat. Outputs: `self.shown`."""
        return {self.view.box: gr.update(visible=False)}
