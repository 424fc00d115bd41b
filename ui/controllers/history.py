"""A stored conversation read back: as chat messages, and as the context of a follow-up.

Answers are re-rendered from their stored JSON (`ui.render.chat_message`), so a conversation
reopened tomorrow cites as it did today. Nothing is stored or answered here.
"""

from __future__ import annotations

from typing import Any, Callable, Collection

from rag import Answer, follow_up_questions
from ui.conversations import Message
from ui.render import chat_message


def render_history(
    messages: list[Message],
    stored: Collection[str] | None = None,
    offer_next: bool = True,
    deleted_on: Callable[[str], str | None] = lambda doc: None,
) -> tuple[list[dict[str, Any]], Answer | None]:
    """Stored messages as chat messages (answers re-rendered from their JSON), and the last
    answer (for the side panel). With `stored` (the ids in the library now), the cards of
    articles deleted since an answer was written say so (on the day `deleted_on` gives)
    instead of offering the article.
    The conversation's last message, when an answer, offers what to ask next (unless
    `offer_next` is off: a question is already on its way)."""
    shown: list[dict[str, Any]] = []
    last: Answer | None = None
    question = ""
    final = max((i for i, m in enumerate(messages) if m.answer is not None), default=-1)
    final = final if offer_next else -1
    for i, m in enumerate(messages):
        if m.role == "user":
            question = m.text
            shown.append({"role": "user", "content": m.text})
        elif m.answer is not None:
            last = Answer.from_json(m.answer)
            gone = removed_since(last, stored, deleted_on)
            nexts = follow_up_questions(last) if i == final == len(messages) - 1 else []
            message = chat_message(last, m.searched, question, gone, nexts)
            shown.append({"role": "assistant", "content": message})
        else:
            shown.append({"role": "assistant", "content": m.text})
    return shown, last


def removed_since(
    answer: Answer | None,
    stored: Collection[str] | None,
    deleted_on: Callable[[str], str | None] = lambda doc: None,
) -> dict[str, str]:
    """The articles `answer` cites that are no longer among `stored` (none without it), each
    with the day it was deleted ("" when no longer known)."""
    if answer is None or stored is None:
        return {}
    gone = {c.doc for c in answer.citations if c.doc not in stored}
    return {doc: deleted_on(doc) or "" for doc in sorted(gone)}


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
