"""A stored conversation read back: as chat messages, and as the context of a follow-up.

Answers are re-rendered from their stored JSON (`ui.render.chat_message`), so a conversation
reopened tomorrow cites as it did today. Nothing is stored or answered here.
"""

from __future__ import annotations

from typing import Any

from rag import Answer
from ui.conversations import Message
from ui.render import chat_message


def render_history(messages: list[Message]) -> tuple[list[dict[str, Any]], Answer | None]:
    """Stored messages as chat messages (answers re-rendered from their JSON), and the last
    answer (for the side panel)."""
    shown: list[dict[str, Any]] = []
    last: Answer | None = None
    question = ""
    for m in messages:
        if m.role == "user":
            question = m.text
            shown.append({"role": "user", "content": m.text})
        elif m.answer is not None:
            last = Answer.from_json(m.answer)
            shown.append({"role": "assistant", "content": chat_message(last, m.searched, question)})
        else:
            shown.append({"role": "assistant", "content": m.text})
    return shown, last


def searched_so_far(messages: list[Message]) -> list[str]:
    """The conversation's questions as they were searched (a follow-up's rewrite stands in
    for what was typed), oldest first: the context the next follow-up is read in."""
    asked: list[str] = []
    for m in messages:
        if m.role == "user":
            asked.append(m.text)
        elif m.searched and asked:
            asked[-1] = m.searched
    return asked
