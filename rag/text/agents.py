"""Where a verb's agent and objects are written around it in a sentence.

Rules over the surface of the text, no parser: the agent is the name right before the verb,
past adverbs and auxiliaries, a parenthesis, an inserted "who …" clause or an appositive
("Gallant, the defense minister, told"), or its owner ("Gallant’s office said"), or a pronoun
or "the minister" there; a name (or "the minister") can also be read where a verb's agent
follows it ("…,” said Gallant", "told by Gallant"). The names after the verb, to the end of its
clause, are its objects, less those that only qualify a noun ("US" in "US special envoy").
What it leaves out: which words are verbs and which reading applies (`rag.text.roles`), and
what a pronoun or title stands for (`rag.text.coreference`).
"""

from __future__ import annotations

import re

from rag.text.coreference import Ref
from rag.text.lexicon import STOPWORDS
from rag.text.parties import TITLES

# Adverbs and auxiliaries that may stand between an agent and its verb ("Gallant also said",
# "Gallant has repeatedly warned").
SKIP = frozenset(
    "also later then reportedly previously recently repeatedly publicly privately personally "
    "separately further furthermore again once already still just even allegedly apparently "
    "formally officially directly initially subsequently immediately quickly finally earlier "
    "first has have had will would shall should can could may might must did does do not never "
    "been is are was were".split()
)
_BE = frozenset("is are was were be been being get gets got".split())
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_TITLE_PHRASE = re.compile(
    rf"\b(?:[Tt]he)\s+((?:[\w.’'\-]+\s+){{0,3}}?)({TITLES}|(?i:{TITLES}))s?$"
)
_PREPOSITIONS = frozenset(
    "against amid into through via despite under without within across toward towards with "
    "from to of by".split()
)
_NEXT_WORD = re.compile(r"\.?\s+([a-z][\w’'\-]*)")
_BOUNDARY = re.compile(
    r"[,;:“”\"(]|\.\s*$|\b(?:that|who|which|about|after|before|while|"
    r"as|because|when|in|at|on|during|near|over|since|until|for)\b"
)
_LAST_WORD = re.compile(r"(?<![\w’'\-])([a-z]+)$")


def agent_before(sentence: str, end: int, names: dict[int, str]) -> Ref | None:
    """The agent written right before position `end`: a name, a pronoun or "the minister"
    (`names`: each name of the sentence by where it ends)."""
    left = sentence[:end]
    appositive = True
    while True:
        left = left.rstrip().rstrip('“”"‘').rstrip()
        word = re.search(r"(?<![\w’'\-])([a-z][a-z’'\-]*)$", left)
        if word and word.group(1) in SKIP:
            left = left[: word.start()]
            continue
        if word and word.group(1) == "who":  # "Gallant, who met Hochstein, said"
            left = left[: word.start()].rstrip().rstrip(",")
            continue
        if left.endswith(")") and (opening := left.rfind("(")) >= 0:
            left = left[:opening]
            continue
        if appositive and left.endswith(","):  # "Gallant, the defense minister, told"
            appositive = False
            before = left.rfind(",", 0, len(left) - 1)
            inserted = left[before + 1 : -1].strip()
            if before >= 0 and inserted[:1].islower():
                left = left[:before]
                continue
        break
    if (name := names.get(len(left))) is not None:
        return ("name", name)
    if (
        left.endswith(",")
        and (name := names.get(len(left) - 1)) is not None
        and left[: len(left) - 1 - len(name)].rstrip().endswith(",")
    ):
        return ("name", name)  # "Israel’s defense minister, Yoav Gallant, told"
    owner = re.search(r"(?<![\w’'\-])[a-z]+(?: [a-z]+)?$", left)  # "Gallant’s office said"
    if owner and (name := names.get(owner.start() - 1)) and re.search(r"[’']s?$", name):
        return ("name", f"{name} {owner.group(0)}")
    if (
        (word := re.search(r"(?<![\w’'\-])([A-Za-z]+)$", left))
        and word.group(1).lower() in _PRONOUNS
        and (word.group(1).islower() or word.group(1).istitle())
    ):
        return ("pronoun", word.group(1).lower())
    if title := _TITLE_PHRASE.search(left):
        return ("title", f"{title.group(1)}{title.group(2)}".strip().lower())
    return None


def name_at(sentence: str, start: int, names: dict[int, str]) -> Ref | None:
    """A name (or "the minister") starting at `start`, past an article (`names`: by end)."""
    m = re.match(r"\s*(?:the\s+|The\s+)?", sentence[start:])
    at = start + (m.end() if m else 0)
    for end, name in names.items():
        if end - len(name) == at:
            return ("name", name)
    if title := re.match(
        rf"\s*[Tt]he\s+((?:[\w.’'\-]+\s+){{0,3}}?)((?i:{TITLES}))\b", sentence[start:]
    ):
        return ("title", f"{title.group(1)}{title.group(2)}".strip().lower())
    return None


def objects_after(sentence: str, start: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """The names after `start` up to the end of the clause, less those that only qualify a
    noun after them ("US" in "US special envoy", "Hezbollah" in "Hezbollah operatives")."""
    stop = _BOUNDARY.search(sentence, start)
    end = stop.start() if stop else len(sentence)
    found = []
    for s, e, name in spans:
        after = _NEXT_WORD.match(sentence, e)
        qualifies = (
            after
            and after.group(1) not in STOPWORDS
            and after.group(1) not in _PREPOSITIONS
            and not _BOUNDARY.match(after.group(1))
        )
        if start <= s < end and not qualifies:
            found.append(name)
    return found


def passive_be(left: str) -> int | None:
    """Where the "was" ("is", "got", …) of a passive ends `left` (the sentence up to a verb),
    past adverbs and other auxiliaries ("was reportedly told", "has been told"), or None."""
    while (w := _LAST_WORD.search(left)) and w.group(1) in SKIP - _BE:
        left = left[: w.start()].rstrip()
    be = _LAST_WORD.search(left)
    return be.start() if be and be.group(1) in _BE else None


def sentence_subject(sentence: str, spans: list[tuple[int, int, str]]) -> str | None:
    """The name that opens the sentence (after an opening phrase and a comma) when a
    lower-case word or an inserted phrase follows it: "Gallant maintained …", "On Monday,
    Gallant stressed …", "Netanyahu, according to reports, pushed back …"."""
    for s, e, name in spans:
        lead = sentence[:s].strip(' “"‘')
        if lead and not re.fullmatch(r"[^,]{1,60},", lead):
            return None
        return name if re.match(r"(?:\s*\([^)]*\))?(?:\s+[a-z]|,\s+[a-z])", sentence[e:]) else None
    return None
