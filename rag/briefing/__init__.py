"""Cited briefings on a topic: summary, key points, timeline, disagreements, footnotes.

`build_briefing(assistant, topic)` gathers and arranges (`build`), optionally with an LLM
summary (`summary`); `render_markdown(briefing)` writes it (`markdown`), and
`check_briefing(store, text)` re-verifies a written briefing's quotes.
"""

from rag.briefing.build import build_briefing
from rag.briefing.markdown import check_briefing, render_markdown
from rag.briefing.model import Briefing

__all__ = ["Briefing", "build_briefing", "check_briefing", "render_markdown"]
