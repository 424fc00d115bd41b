"""The open conversation as a Markdown file, for the sidebar's one-click Download button.

The file is written whenever what is open changes (opened, answered, renamed, cleared), so
the button always holds the conversation on screen; each reader's files go to a private
folder of their own. Rendering is `ui.render.conversation_markdown`; nothing is stored.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from rag import Answer
from ui.conversations import ConversationStore
from ui.render import conversation_markdown


class ConversationDownloads:
    def __init__(self, kept: ConversationStore) -> None:
        self.kept = kept
        self.folder = Path(tempfile.mkdtemp(prefix="rag-ui-exports-"))

    def button(self, who: str, conversation: int | None) -> Any:
        """The Download button's update: the conversation's file written now, or greyed
        out with none open."""
        kept = self.kept
        if conversation is None or not kept.owns(who, conversation):
            return gr.update(value=None, interactive=False)
        turns: list[tuple[str, Answer | None, str]] = []
        for m in kept.messages(who, conversation):
            if m.role == "user":
                turns.append((m.text, None, "*(no answer)*"))
            elif turns:
                answer = Answer.from_json(m.answer) if m.answer is not None else None
                turns[-1] = (turns[-1][0], answer, m.text)
        title = kept.title(who, conversation)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "conversation"
        folder = self.folder / hashlib.sha256(who.encode()).hexdigest()[:12]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug}-{conversation}.md"
        path.write_text(conversation_markdown(title, turns), encoding="utf-8")
        return gr.update(value=str(path), interactive=True)
