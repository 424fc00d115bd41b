"""The Briefing tab: briefings kept like conversations, and a new one written on a topic.

A briefing is `rag.build_briefing` rendered by `rag.render_markdown`, kept with its data
under `<RAG_DATA_DIR>/briefings/` (`ui.briefings_kept`, the folder the API keeps its
briefings in too, so each lists the other's) and shown with linked footnotes
(`ui.render.briefing_markdown`); the folder is one `launch_options` lets Gradio serve, so
the file downloads. The list opens any kept briefing again; Delete asks first (the browser's
confirm) and removes both its files. Returns `{component: value}`.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import build_briefing, render_markdown
from ui.briefings_kept import KeptBriefings
from ui.controllers.shared import Outputs, Shared, date_problems, filters
from ui.failures import as_gradio_error
from ui.layout import Page
from ui.render import briefing_markdown


class BriefingController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.tab = shared, page.briefing
        self.kept = KeptBriefings(shared.settings.data_dir / "briefings")
        tab = self.tab
        self.written = [tab.download, tab.report, tab.kept, tab.remove]
        self.listed = [tab.kept]

    def listing(self, chosen: str | None = None) -> Any:
        """The kept briefings, newest first, `chosen` selected."""
        return gr.update(choices=[(b.label, b.key) for b in self.kept.list()], value=chosen)

    def view(self) -> Outputs:
        """The list as a (re)loaded page shows it. Outputs: `self.listed`."""
        return {self.tab.kept: self.listing()}

    def _said(self, text: str) -> Outputs:
        """Why no briefing was written, in place of one; the list unchanged."""
        tab = self.tab
        return {tab.download: None, tab.report: text, tab.kept: gr.skip(), tab.remove: gr.skip()}

    def write(self, topic: str, since: str, until: str) -> Outputs:
        """The briefing on `topic` between the dates, kept and listed first, or why not.
        A Write clicked while another briefing is being written is written after it (each
        is kept and listed; the last to end is shown). Outputs: `self.written`."""
        if not (topic or "").strip():
            return self._said("Give a topic.")
        problems = date_problems(since, until, "")
        if problems:
            return self._said("**" + " · ".join(problems.values()) + "**")
        topic = topic.strip()
        with self.shared.lock:
            try:
                briefing = build_briefing(self.shared.assistant, topic, filters(since, until, None))
                markdown = render_markdown(briefing)
            except ValueError as err:
                return self._said(f"**{err}**")
            except Exception as err:
                raise as_gradio_error(err, "writing the briefing") from err
        named = self.kept.keep(topic, briefing, markdown)
        return self.open(named.key) | {self.tab.kept: self.listing(named.key)}

    def open(self, key: str | None) -> Outputs:
        """A kept briefing shown and offered as its file. Outputs: `self.written`."""
        tab, kept = self.tab, self.kept.get(key or "")
        if kept is None:
            none = {tab.download: None, tab.report: "", tab.remove: gr.update(interactive=False)}
            return none | {tab.kept: self.listing()}
        path = self.kept.markdown_path(kept[0].key)
        return {
            tab.download: str(path),
            tab.report: briefing_markdown(kept[1]),
            tab.kept: gr.skip(),
            tab.remove: gr.update(interactive=True),
        }

    def delete(self, key: str | None, confirmed: bool) -> Outputs:
        """Delete the open briefing when the browser's confirm() said OK (Cancel changes
        nothing). Outputs: `self.written`."""
        if not confirmed or not key:
            return {self.tab.kept: gr.skip()}
        self.kept.delete(key)
        return self.open(None)
