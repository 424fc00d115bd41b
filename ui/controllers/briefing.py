"""The Briefing tab: a topic and dates in, a briefing written, shown and offered as a file.

The briefing itself is `rag.build_briefing` rendered by `rag.render_markdown`; the file is
kept under `<RAG_DATA_DIR>/briefings/` (a path `launch_options` lets Gradio serve) and
shown with linked footnotes (`ui.render.briefing_markdown`). Returns `{component: value}`.
"""

from __future__ import annotations

import re

from rag import build_briefing, render_markdown
from ui.controllers.shared import Outputs, Shared, date_problems, filters
from ui.failures import as_gradio_error
from ui.layout import Page
from ui.render import briefing_markdown


class BriefingController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.page = shared, page
        self.written = [page.briefing.download, page.briefing.report]

    def write(self, topic: str, since: str, until: str) -> Outputs:
        """The briefing on `topic` between the dates, or why not. Outputs: `self.written`."""
        file, report = self.page.briefing.download, self.page.briefing.report
        if not (topic or "").strip():
            return {file: None, report: "Give a topic."}
        problems = date_problems(since, until, "")
        if problems:
            return {file: None, report: "**" + " · ".join(problems.values()) + "**"}
        with self.shared.lock:
            try:
                briefing = build_briefing(
                    self.shared.assistant, topic.strip(), filters(since, until, None)
                )
                markdown = render_markdown(briefing)
            except ValueError as err:
                return {file: None, report: f"**{err}**"}
            except Exception as err:
                raise as_gradio_error(err, "writing the briefing") from err
        folder = self.shared.settings.data_dir / "briefings"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:60] or "briefing"
        path = folder / f"{slug}.md"
        path.write_text(markdown, encoding="utf-8")
        return {file: str(path), report: briefing_markdown(markdown)}
