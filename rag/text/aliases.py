"""Names written differently in questions and articles: known aliases and acronyms.

"U.S." and "United States" are one name, and so are "IDF" and "Israel Defense Forces".
`ALIAS_OF` maps each known spelling to its group; `initials` and `spelled_out` tell an
acronym from the words it abbreviates. Which names a question depends on, and whether a
passage mentions them, is `rag.text.lexicon`'s job.
"""

from __future__ import annotations

import re

# Names written differently in questions and articles. Each group is one name; matching any
# spelling counts as a mention of the others.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("us", "u.s.", "u.s", "usa", "united states", "america", "american", "americans"),
    ("uk", "u.k.", "united kingdom", "britain", "british", "briton", "britons", "england"),
    ("un", "u.n.", "united nations"),
    ("eu", "e.u.", "european union"),
    ("uae", "u.a.e.", "united arab emirates", "emirati", "emirates"),
    (
        "idf",
        "israel defense forces",
        "israel defence forces",
        "israeli military",
        "israeli army",
        "israeli forces",
    ),
    ("nato", "north atlantic treaty organization"),
    ("fbi", "federal bureau of investigation"),
    ("cia", "central intelligence agency"),
    ("gop", "republican party", "republicans"),
    ("nyc", "new york city"),
    ("russia", "russian", "russians", "moscow", "kremlin"),
    ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    ("israel", "israeli", "israelis"),
    ("china", "chinese", "beijing"),
    ("scotus", "supreme court"),
    ("tory", "tories", "conservative party", "conservatives"),  # Britain's
    ("wwii", "ww2", "world war ii", "world war two", "second world war"),
    ("wwi", "ww1", "world war i", "world war one", "first world war"),
    # the US military's combatant commands, named by syllables rather than initials
    ("centcom", "central command"),
    ("eucom", "european command"),
    ("africom", "africa command"),
    ("indopacom", "indo-pacific command"),
    ("northcom", "northern command"),
    ("southcom", "southern command"),
)
ALIAS_OF = {spelling: group for group in ALIAS_GROUPS for spelling in group}
LINKING = {"of", "the", "and", "for", "de", "&"}


def initials(words: list[str]) -> str:
    """The first letters of `words`, linking words left out ("idf" for Israel Defense Forces)."""
    return "".join(w[0] for w in words if w and w not in LINKING)


def spelled_out(acronym: str, haystack_words: list[str]) -> bool:
    """Whether some run of words in the haystack has `acronym` as its initials."""
    n = len(acronym)
    for i in range(len(haystack_words)):
        run = [w for w in haystack_words[i : i + n + 2]]
        letters = ""
        for w in run:
            if w not in LINKING:
                letters += w[0]
            if len(letters) >= n:
                break
        if letters == acronym:
            return True
    return False


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Whether lower-cased `haystack` holds `phrase` as whole words."""
    if len(phrase) < 3:  # "us", "un" are ordinary words in lower case
        return False
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", haystack) is not None
