"""What every answerer's `answer()` takes, named once: the retrieved passages and the sink
for streamed text. The `Answerer` protocol (`rag.answering`) and each answerer use these
names, so the signature reads the same everywhere and is written in one place.
What it leaves out: the answerers themselves and choosing one (`answerer_for`).
"""

from __future__ import annotations

from typing import Callable, TypeAlias

from llama_index.core.schema import NodeWithScore

Passages: TypeAlias = list[NodeWithScore]  # retrieved passages, best first
OnToken: TypeAlias = Callable[[str], None] | None  # receives generated text as it streams

__all__ = ["OnToken", "Passages"]
