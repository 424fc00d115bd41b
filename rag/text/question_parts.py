"""Multi-part questions split into the questions they hold.

"How much did the pier cost and when will it close?" is two questions; so is "Who is Deif?
What did Gallant call him?". A part is split off at a question mark followed by more text, a
semicolon, or "and"/", and" followed by a question word or an auxiliary verb. Parts shorter
than three words stay with their neighbour. It does not resolve pronouns in later parts; the
answerer reads a part that leans on the first together with it.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(
    r"\?\s+(?=\S)|;\s+|(?:,\s*|\s+)(?:and|but)\s+(?=(?:when|where|who|whom|whose|why|how|"
    r"what|which|did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b)",
    re.I,
)


def split_question(question: str) -> list[str]:
    """The parts of `question`, each ending in "?" (one part when it asks one thing)."""
    pieces, start = [], 0
    for m in _BOUNDARY.finditer(question):
        pieces.append(question[start : m.start()])
        start = m.end()
    pieces.append(question[start:])
    parts: list[str] = []
    for piece in (p.strip().rstrip("?").strip() for p in pieces):
        if not piece:
            continue
        if parts and len(piece.split()) < 3:
            parts[-1] = f"{parts[-1]} and {piece}"
        else:
            parts.append(piece)
    if len(parts) <= 1:
        return [question.strip()]
    return [p[0].upper() + p[1:] + "?" for p in parts]
