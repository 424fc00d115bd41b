"""What "he", "she", "the minister" and "the Secretary" stand for in a passage.

"He" and "she" stand for the last named agent before them; "the (defense) minister" or "the
Secretary" for the name that carried the title ("Defense Minister Yoav Gallant", "envoy Amos
Hochstein"), preferring one that shares the phrase's other words, else, as a pronoun, for the
last named agent. What it leaves out: finding where an agent is written (`rag.text.agents`)
and which agent is the last one (`rag.text.roles` keeps it up to date).
"""

from __future__ import annotations

import re

from rag.text.parties import TITLE_WORD, TITLES, split_parties
from rag.text.verbs import VERB_FORMS

# An agent as found before the context resolves it: a name, a pronoun or a title phrase.
Ref = tuple[str, str]  # ("name", "Gallant") | ("pronoun", "he") | ("title", "defense minister")


class Context:
    """What "he" and "the minister" stand for in a passage: the last named agent, and the
    names written with a title ("Defense Minister Yoav Gallant", "envoy Amos Hochstein")."""

    def __init__(self) -> None:
        self.last: str | None = None
        self.titled: list[tuple[int, str, str]] = []  # (where, title word, name)

    def learn(self, sentence: str, offset: int, names: list[tuple[int, int, str]]) -> None:
        """Take note of the titled names of a sentence starting at `offset`."""
        starts = {s: name for s, _, name in names}
        for s, _e, written in names:
            for name in split_parties(written):  # "Secretary Austin and Minister Gallant"
                for m in TITLE_WORD.finditer(name):
                    if name[m.end() :].strip():
                        self.titled.append((offset + s, m.group(0).lower(), name))
        for m in re.finditer(rf"\b((?i:{TITLES}))((?:\s+[a-z]+){{0,3}}?)\s+(?=[A-Z])", sentence):
            if any(w in VERB_FORMS for w in m.group(2).split()):
                continue  # "the minister told Amos Hochstein": a verb, not a title, between
            if (titled := starts.get(m.end())) is not None:
                self.titled.append((offset + m.start(), m.group(1).lower(), titled))

    def resolve(self, ref: Ref | None, at: int) -> str | None:
        """The name `ref` (written at `at` in the passage) stands for, or None."""
        if ref is None:
            return None
        kind, value = ref
        if kind == "name":
            if TITLE_WORD.fullmatch(value):  # "The Secretary said"
                return self._titled(value.lower(), "", at) or self.last
            return value
        if kind == "pronoun":
            return self.last if value in ("he", "she") else None
        modifiers, title = value.rsplit(" ", 1) if " " in value else ("", value)
        # a title no name carried ("the former IDF major general") is who the story is about
        return self._titled(title, modifiers, at) or self.last

    def _titled(self, title: str, modifiers: str, at: int) -> str | None:
        """The name written with `title` before `at`, preferring one that shares the phrase's
        other words ("the defense secretary": "Defense Secretary Lloyd Austin"), then the
        latest."""
        wanted = set(modifiers.lower().split())
        found = [
            (len(wanted & set(name.lower().split())), where, name)
            for where, t, name in self.titled
            if t == title and where < at
        ]
        return max(found)[2] if found else None


def resolve_alone(ref: Ref | None) -> str | None:
    """What `ref` names in a sentence read alone (a claim): only a name that is not a bare
    title; "he" and "the minister" stay unnamed."""
    return ref[1] if ref and ref[0] == "name" and not TITLE_WORD.fullmatch(ref[1]) else None
