"""A stored conversation read back: as chat messages, and as the context of a follow-up.

Answers are re-rendered from their stored JSON (`ui.render.chat_message`), so a conversation
reopened tomorrow cites as it did today. Nothing is stored or answered here.
"""

from __future__ import annotations

from typing import Any, Mapping

from rag import Answer, as_text, follow_up_questions
from ui.conversations import Message
from ui.render import chat_message, pending_message

# A question with no answer after it: its answer was being written when the server stopped.
UNANSWERED = "*No answer was kept for this question: the server stopped while writing it.*"


def render_history(
    messages: list[Message],
    gone: Mapping[str, str] | None = None,
    offer_next: bool = True,
    writing: bool = False,
) -> tuple[list[dict[str, Any]], Answer | None]:
    """Stored messages as chat messages (answers re-rendered from their JSON), and the last
    answer (for the side panel). Cards of articles in `gone` (deleted since an answer was
    written: id to the day, `Assistant.removed` of `cited_articles`) say so instead of
    offering the article. The conversation's last message, when an answer, offers what to
    ask next (unless `offer_next` is off: a question is already on its way). A question
    with no answer after it says so, or, the last one while `writing`, that its answer is
    still being written."""
    shown: list[dict[str, Any]] = []
    last: Answer | None = None
    question = ""
    final = max((i for i, m in enumerate(messages) if m.answer is not None), default=-1)
    final = final if offer_next else -1
    for i, m in enumerate(messages):
        if m.role == "user":
            if shown and shown[-1]["role"] == "user":
                shown.append({"role": "assistant", "content": UNANSWERED})
            question = m.text
            shown.append({"role": "user", "content": as_text(m.text)})  # typed text, shown so
        elif m.answer is not None:
            last = Answer.from_json(m.answer)
            latest = i == final == len(messages) - 1
            nexts = follow_up_questions(last, searched=m.searched) if latest else []
            message = chat_message(last, m.searched, question, gone, nexts)
            shown.append({"role": "assistant", "content": message})
        else:
            shown.append({"role": "assistant", "content": m.text})
    if shown and shown[-1]["role"] == "user":
        note = pending_message("still being written") if writing else UNANSWERED
        shown.append({"role": "assistant", "content": note})
    return shown, last


def cited_articles(messages: list[Message]) -> set[str]:
    """The articles the conversation's answers cite (whose deletion an old card must say)."""
    return {
        c.get("doc", "")
        for m in messages
        if m.answer is not None
        for c in m.answer.get("citations", [])
    } - {""}


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
