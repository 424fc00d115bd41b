"""Who someone is, as a sentence says it: the role written before a name or after it.

"Who is Kurilla?" asks for a description, and news gives one in two places: a role before the
name ("U.S. Central Command Commander Gen. Michael Erik Kurilla", "US special envoy to the
region Amos Hochstein", "senior member Naim Qassem") or an appositive after it ("Mohammed
Deif, the head of Hamas’s terror army,"). The reader, trained to find a span answering a
question, took "who is kurilla" as asking for another person and gave "Lt. Gen. Herzi
Halevi", who invited him. `asked_who_is` reads the name such a question asks about, in any
case; `description_in` finds where a sentence describes that name.

What it leaves out: descriptions in a sentence of their own ("He is the head of …"), roles
without a role word ("Hochstein, who shepherded the 2022 deal,"), and telling one person of a
name from another.
"""

from __future__ import annotations

import re

# Titles, written before a name ("Defense Minister Yoav Gallant") or standing for one ("the
# minister"): the one list `rag.text.parties` and `rag.text.coreference` read them by.
TITLE_WORDS = (
    "minister secretary president envoy commander chief general spokesman spokeswoman "
    "spokesperson ambassador premier chancellor leader governor senator mayor king queen "
    "prince director chairman chairwoman ceo prosecutor judge counterpart"
).split()
# Words that say what someone is: a title, a rank of an organisation, a part in the news.
ROLE_WORDS = frozenset(TITLE_WORDS) | frozenset(
    (
        "member head adviser advisor official founder officer lawmaker representative "
        "negotiator coordinator analyst correspondent reporter editor staff"
    ).split()
)
_RANKS = r"(?:(?:Lt|Gen|Maj|Col|Capt|Sgt|Adm|Cmdr|Brig|Dr|Rep|Sen|Gov|Mr|Mrs|Ms)\.?\s+)*"
_WORD = r"[\w.’'&\-]+"
_LINK = r"(?:to|of|for|on|at|in|and)"
# Words a role's name may open with: capitalised ones ("Pentagon Press") and these.
_MODIFIERS = (
    "special senior deputy top former acting vice press foreign defense defence prime "
    "regional military national state general chief assistant executive interim"
).split()
_PRE = rf"(?:(?-i:[A-Z]){_WORD}|{'|'.join(_MODIFIERS)}|{'|'.join(sorted(ROLE_WORDS))})"
# A role phrase: capitalised words, modifiers and role words, then "to the region" or "of X".
_ROLE_PHRASE = re.compile(
    rf"(?:(?:the|a|an|his|her|its|their)\s+)?(?:{_PRE}\s+){{0,6}}?"
    rf"(?P<role>{'|'.join(sorted(ROLE_WORDS))})s?\b"
    rf"(?:\s+{_LINK}\s+(?:the\s+)?{_WORD}(?:\s+{_WORD}){{0,4}}?)?",
    re.I,
)
_NOT_A_NAME = frozenset(
    "it this that he she they there here the a an responsible next right wrong dead alive "
    "running winning leading behind ahead involved missing in on at".split()
)
_WHO_IS = re.compile(
    r"^\s*who(?:['’]s|\s+is|\s+was)\s+(?P<name>[\w.’'\-]+(?:\s+[\w.’'\-]+){0,2})\s*\??\s*$", re.I
)


def asked_who_is(question: str) -> str | None:
    """The name a "who is X?" question asks about ("who is deif": "deif", "Who is Mohammed
    Deif?": "Mohammed Deif"), or None. Whether X is a name is left to the passages: a
    description is looked for only where they write it with capitals."""
    m = _WHO_IS.match(question)
    if not m:
        return None
    name = m.group("name")
    first = name.split()[0].lower()
    return None if first in _NOT_A_NAME or first in ROLE_WORDS else name


def description_in(name: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` says who `name` is (start and end of the role phrase), or None.

    The name is found by its last word, written with a capital; the role is an appositive
    right after it (", the head of Hamas’s terror army,") or the phrase right before its
    first names and rank ("US special envoy to the region Amos Hochstein")."""
    last = name.split()[-1].strip(".,?’'")
    for m in re.finditer(rf"\b{re.escape(last)}\b", sentence, re.I):
        if not sentence[m.start()].isupper():
            continue
        after = _appositive(sentence, m.end())
        if after:
            return after
        before = _role_before(sentence, _first_names_start(sentence, m.start()))
        if before:
            return before
    return None


def _appositive(sentence: str, end: int) -> tuple[int, int] | None:
    m = re.match(r"(?:[’']s)?,\s+", sentence[end:])
    if not m:
        return None
    start = end + m.end()
    clause = re.match(r"[^,;()“”\"]{3,100}?(?=,|;|\.\s|\.?$|\))", sentence[start:])
    if not clause:
        return None
    text = clause.group(0).strip()
    if not _ROLE_PHRASE.fullmatch(text) or _ends_in_a_name(text):
        return None
    return start, start + len(text)


# Last words of organisations' names ("Khan Younis Brigade"), not of people's.
_BODIES = frozenset(
    "ministry department office forces force army party council court house command government "
    "police agency committee union authority service group brigade brigades corps division "
    "unit guard battalion regiment bank company institute university".split()
)


def _ends_in_a_name(clause: str) -> bool:
    """Whether a clause after a name ends in another person's name: "Halevi, Israel’s
    ambassador to the US Michael Herzog, and …" lists two people, the role being Herzog's."""
    m = re.search(r"(?:\b[A-Z][\w’'\-]*\s+)+[A-Z][\w’'\-]*$", clause)
    return m is not None and m.group(0).split()[-1].lower() not in _BODIES


def _first_names_start(sentence: str, at: int) -> int:
    """Where the run of capitalised first names and ranks before `at` begins."""
    head = sentence[:at]
    m = re.search(rf"(?:{_RANKS})(?:[A-Z][\w’'\-]*\.?\s+)*$", head)
    start = m.start() if m else at
    # the run may have swallowed the role's own capitalised words ("Commander Gen. Michael"):
    # give back everything up to and including the last role word
    words = list(re.finditer(r"\S+", sentence[start:at]))
    for w in reversed(words):
        if w.group(0).lower().rstrip(".,") in ROLE_WORDS:
            return start + w.end() + 1
    return start


def _role_before(sentence: str, names_start: int) -> tuple[int, int] | None:
    head = sentence[:names_start].rstrip()
    if not head:
        return None
    words = list(re.finditer(r"\S+", head))
    for i in range(max(0, len(words) - 9), len(words)):
        start = words[i].start()
        phrase = head[start:]
        first = phrase.split()[0].lower()
        if phrase[:1].islower() and first not in ROLE_WORDS and first not in _MODIFIERS:
            continue  # "told US special envoy…": a role opens with its own words
        if _ROLE_PHRASE.fullmatch(phrase):
            return start, len(head)
    return None
