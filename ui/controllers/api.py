"""The `/ask` and `/ask_as_of` API endpoints: exactly the JSON of `rag ask --json`.

A script reaches them without the page's widgets, so every input is checked first
(`rag.requests`) and a refusal is one sentence; an answer runs under the app's lock like the
chat's. They return plain JSON, not `{component: value}`: no component is changed.

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("Who is Mohammed Deif?", "", "", [], 6,
                                             api_name="/ask")
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag import ask_request, checked_day
from ui.controllers.shared import Shared
from ui.failures import as_gradio_error

Outlets = list[str] | None  # the outlets to answer from (none: all)


class ApiController:
    def __init__(self, shared: Shared) -> None:
        self.shared = shared

    def ask_as_of(
        self, question: str, since: str = "", until: str = "", sources: Outlets = None,
        top_k: int = 6, as_of: str = ""
    ) -> dict[str, Any]:  # fmt: skip
        """Answer a question as of a day (YYYY-MM-DD, "" for today), as `rag ask --as-of`;
        returns the same JSON object as `rag ask --json`.

        Inputs are checked first (`rag.requests`), so a script cannot ask for unbounded work.
        """
        try:
            asked, chosen, k = ask_request(question, since, until, sources, top_k)
            day = checked_day(as_of, "as_of")
        except ValueError as err:
            raise gr.Error(str(err)) from err
        try:
            with self.shared.lock:
                answer = self.shared.assistant.ask(asked, filters=chosen, top_k=k, as_of=day)
        except Exception as err:
            raise as_gradio_error(err, "answering") from err
        written: dict[str, Any] = answer.to_json()
        return written

    def ask(
        self,
        question: str,
        since: str = "",
        until: str = "",
        sources: Outlets = None,
        top_k: int = 6,
    ) -> dict[str, Any]:
        """Answer a question; returns the same JSON object as `rag ask --json`."""
        return self.ask_as_of(question, since, until, sources, top_k)
