"""Followed topics in the Briefing tab: follow the topic typed, open one, refresh them all.

A topic is `rag.following`'s, kept under `<RAG_DATA_DIR>/topics/` and shared with `rag topic`
and `rag watch` (which refreshes topics after a poll that stored something). The list marks
with "● " each topic holding news this reader has not opened; opening one shows its newest
briefing, "What changed" at the top, and marks it read for this reader only (their login,
`shared.owner`). Building briefings waits its turn on the shared lock, as answers do.
Returns `{component: value}`.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import Topic, Topics, as_text, refresh_topic
from ui.controllers.shared import Outputs, Shared, date_problems, owner
from ui.failures import as_gradio_error
from ui.layout import Page
from ui.render import briefing_markdown

NEWS = "● "  # before a topic with news the reader has not opened


class TopicsController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.tab = shared, page.briefing
        self.topics = Topics(shared.settings.topics_dir)
        tab = self.tab
        self.shown = [tab.topics, tab.report, tab.download, tab.kept]
        self.listed = [tab.topics]

    def listing(self, reader: str, chosen: str | None = None) -> Any:
        """The topics by name, those with news for `reader` marked, `chosen` selected."""
        return gr.update(
            choices=[
                ((NEWS if t.unread(reader) else "") + t.name, t.name) for t in self.topics.list()
            ],
            value=chosen,
        )

    def view(self, request: gr.Request) -> Outputs:
        """The list as a (re)loaded page shows it. Outputs: `self.listed`."""
        return {self.tab.topics: self.listing(owner(request))}

    def _said(self, text: str, reader: str) -> Outputs:
        tab = self.tab
        return {
            tab.report: text,
            tab.topics: self.listing(reader),
            tab.download: gr.skip(),
            tab.kept: gr.skip(),
        }

    def follow(self, words: str, since: str, until: str, request: gr.Request) -> Outputs:
        """Follow the topic typed (named by its words), make its first briefing and open it.
        Outputs: `self.shown`."""
        reader, words = owner(request), (words or "").strip()
        if not words:
            return self._said("Give a topic to follow.", reader)
        problems = date_problems(since, until, "")
        if problems:
            return self._said("**" + " · ".join(problems.values()) + "**", reader)
        try:
            topic = self.topics.add(
                Topic(
                    name=words[:80],
                    words=words,
                    since=(since or "").strip(),
                    until=(until or "").strip(),
                )
            )
        except ValueError as err:
            return self._said(f"**{as_text(str(err))}**", reader)
        with self.shared.lock:
            try:
                refresh_topic(self.shared.assistant, self.topics, topic)
            except Exception as err:
                raise as_gradio_error(err, "writing the topic's briefing") from err
        return self.open(topic.name, request)

    def open(self, name: str | None, request: gr.Request) -> Outputs:
        """The topic's newest briefing, marked read for this reader. Outputs: `self.shown`."""
        reader = owner(request)
        topic = self.topics.get(name or "")
        if topic is None or topic.latest is None:
            said = "No briefing yet: Refresh topics makes one." if topic else ""
            return self._said(said, reader)
        self.topics.mark_read(topic.name, reader)
        return {
            self.tab.report: briefing_markdown(topic.latest.markdown),
            self.tab.topics: self.listing(reader, topic.name),
            self.tab.download: None,
            self.tab.kept: gr.update(value=None),
        }

    def refresh_all(self, request: gr.Request) -> Outputs:
        """Refresh every topic with new articles; a line each. Outputs: `self.shown`."""
        reader, lines = owner(request), []
        with self.shared.lock:
            try:
                for topic in self.topics.list():
                    lines.append(refresh_topic(self.shared.assistant, self.topics, topic).summary)
            except Exception as err:
                raise as_gradio_error(err, "refreshing the topics") from err
        text = "\n".join(f"- {line}" for line in lines) or "No topics followed yet."
        return self._said(text, reader)
