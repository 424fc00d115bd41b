"""Quoted phrases: the words of a text written inside quotation marks.

What someone said, or what they called someone. The citation check keeps a quoted phrase as a
hard fact (`rag.text.facts`), and a bold short answer never takes a piece out of one
(`rag.answering.extractive`). What it leaves out: who said the words (`rag.text.roles`).
"""

from __future__ import annotations

import re

# A quoted phrase of three characters or more, its words in group 1 (straight or curly marks).
QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
