"""Which sentences may stand as a line of a briefing, and what a group of lines is called.

A briefing is forwarded, so a line must read as reporting: not a photo caption ("Hide Caption
3 of 16 Photos: …", "(Getty Images)", or unmarked: "Fans react after … in Bogotá."), a headline ("In
pictures: Former Japanese Prime Minister Shinzo Abe"), a call to action ("Read more", "Sign up for
the newsletter") or a fragment cut from a sentence (no verb-bearing length, no closing punctuation,
starting lower-case). Groups of key points are labelled with the phrase their lines share — a name,
a place, an event ("Tetsuya Yamagami", "Nara Medical University") — not a list of words.

What this leaves out: parsing grammar; the checks are on the surface of the text.
"""

from __future__ import annotations

import re

from rag.text.lexicon import terms

_FURNITURE = re.compile(
    r"^(?:this|the|a) (?:picture|photo|image|file photo|video)\b|\((?:right|left|center|centre|"
    r"[LR]|2nd [LR])\)|hide caption|\bcaption \d+ of \d+|"
    r"^\s*(photos?|pictures?|in pictures|video|watch|"
    r"gallery|graphic|map|listen|related|more|opinion|analysis|editor'?s note)\s*:|"
    r"\b(read more|sign up|subscribe|click here|follow us|newsletter|download the app|"
    r"just watched|must watch|replay more videos|video ad feedback|ad feedback|"
    r"getty images|photo credit|credit:|\(photo|/ap\b|/reuters\b|/afp\b|source: cnn)|"
    r"(?-i:\b[A-Z][\w.-]+(?: [A-Z][\w.-]+)*/[A-Z][\w.-]+)",  # "Stefan Boness/Visum/Redux"
    re.I,
)
# A photo caption without a marker ("Colorado Avalanche players celebrate after defeating the
# Tampa Bay Lightning in Game 6 of the Stanley Cup Finals.") is written as news never is: the
# simple present of a verb of what a picture shows, right after a short subject, no verb in
# the past anywhere, and the place or date the picture was taken.
_SHOWN = (
    "celebrate",
    "pose",
    "walk",
    "stand",
    "look on",
    "gather",
    "react",
    "attend",
    "arrive",
    "kneel",
    "hug",
    "embrace",
    "lift",
    "skate",
    "gesture",
    "mourn",
    "pray",
    "pay respects",
    "speak",
    "survey",
    "wade",
    "inspect",
    "greet",
    "wait",
    "hold",
    "ride",
    "drive",
    "carry",
    "watch",
    "cheer",
    "march",
    "protest",
    "sing",
    "dance",
    "listen",
    "take part",
    "line up",
)


def _present(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head.endswith(("sh", "ch", "ss")):
        third = head + "es"
    elif head.endswith("y") and head[-2] not in "aeiou":
        third = head[:-1] + "ies"
    else:
        third = head + "s"
    return f"(?:{head}|{third})" + (f" {rest}" if rest else "")


_CAPTION_VERB = re.compile(
    r"^(?P<subject>(?:[\w'’.-]+\s+){1,6}?)(?:" + "|".join(map(_present, _SHOWN)) + r")\s+"
    r"(?:after|during|as|at|in|on|outside|near|with|while|before|beside|behind|past|into|"
    r"through|along|for|the|a|an|his|her|their)\b"
)
_NOT_A_SUBJECT = re.compile(
    r"\b(?:will|would|can|could|to|should|may|might|must|did|do|does|"
    r"who|which|that|where|when|not|also|often|usually|typically|they|"
    r"we|you|i|he|she|it|if)\b|n't\b",
    re.I,
)
_PAST = re.compile(r"\b(?:was|were|had|has|have|say|said|says|told|according|\w{3,}ed)\b", re.I)
_WHERE_OR_WHEN = re.compile(r"\b(?:in|at|near|outside|of|on) (?:the )?[A-Z]")  # not "at 40%"


def is_photo_caption(text: str) -> bool:
    """A caption written as a sentence, with no "Photo:" or credit to mark it (see above)."""
    m = _CAPTION_VERB.match(text)
    return bool(
        m
        and text[:1].isupper()
        and not _NOT_A_SUBJECT.search(m.group("subject"))
        and not _PAST.search(text)
        and _WHERE_OR_WHEN.search(text)
    )


OTHER = "Other points"  # the label of lines that share no name
_CLOSES = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
MIN_WORDS = 7


def is_briefing_line(text: str) -> bool:
    """Whether a sentence reads as a line of reporting (see the module docstring)."""
    text = text.strip()
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS or _FURNITURE.search(text) or not _CLOSES.search(text):
        return False
    if is_photo_caption(text):
        return False
    first = text.lstrip("“\"'‘(—–- ")[:1]
    if first.islower():
        return False  # the tail of a sentence the splitter cut
    if text.count("(") != text.count(")") or text.count("“") < text.count("”") - 1:
        return False  # cut inside brackets: "… in Game 1 (8 p.m."
    if re.search(r"^\w[\w ]{0,30}:\S", text):
        return False  # a related-link teaser: "Chief justice:Roberts wanted to go slow"
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised / len(words) < 0.6  # a headline in title case


_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "but",
    "with",
    "by",
    "from",
    "as",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "that",
    "this",
    "it",
    "its",
    "he",
    "she",
    "they",
    "his",
    "her",
    "their",
    "said",
    "says",
    "after",
    "before",
    "who",
    "which",
    "when",
    "while",
    "not",
    "more",
    "than",
    "also",
    "about",
    "into",
    "over",
    "would",
    "will",
    "could",
    "can",
    "new",
    "one",
    "two",
    "some",
    "there",
    "what",
    "we",
    "i",
    "you",
    "our",
    "mr",
    "ms",
    "mrs",
    "first",
    "last",
    "second",
    "other",
    "many",
    "most",
    "such",
    "only",
    "just",
    "still",
    "even",
    "this",
    "these",
    "those",
    "officials",
    "official",
    "against",
    "during",
    "between",
    "along",
    "under",
    "across",
    "without",
    "within",
    "among",
    "through",
    "toward",
    "towards",
    "amid",
    "despite",
    "since",
    "until",
    "because",
    "then",
    "now",
    "up",
    "out",
    "down",
    "off",
    "if",
    "so",
    "just",
    "very",
    "all",
    "any",
    "each",
    "both",
    "no",
}
_WEEKDAYS_MONTHS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "cnn",
}


_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[A-Za-z][\w'’-]*")  # "U.S." is one word
_CLAUSE = re.compile(r"[,;:()\[\]“”\"!?–—]|\.(?:\s|$)")


# inside a name: "Centers for Disease Control and Prevention" ("and" only after "of"/"for":
# "Yoav Gallant and U.S. Defense Secretary Lloyd Austin" are two names)
_CONNECTORS = {"of", "for", "and", "the", "de"}


def _capital(word: str) -> bool:
    """A capitalised word that can be part of a name ("The" opening a sentence is not)."""
    return word[:1].isupper() and word.lower().rstrip(".") not in _STOP


def _phrases(text: str, longest: int = 4) -> dict[tuple[str, ...], tuple[int, bool]]:
    """Word n-grams of `text` that could name something, with where they start and whether
    they stand whole: within one clause, no stop word at either end, not a day or month, not
    a number. A phrase is not whole when it is a piece of a longer name: a name that goes on
    ("US Centers for Disease" before "Control"), or one word inside a name ("County" of "Park
    County", "Abe" of "Shinzo Abe")."""
    found: dict[tuple[str, ...], tuple[int, bool]] = {}

    def add(gram: tuple[str, ...], start: int, whole: bool) -> None:
        at, was_whole = found.get(gram, (start, False))
        found[gram] = (min(at, start), was_whole or whole)

    at = 0
    for clause in _CLAUSE.split(text):
        words = [w.strip("'’") for w in _TOKEN.findall(clause)]
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                gram = tuple(words[i : i + n])
                ends = (gram[0].lower().rstrip("."), gram[-1].lower().rstrip("."))
                if ends[0] in _STOP or ends[1] in _STOP or any(e in _WEEKDAYS_MONTHS for e in ends):
                    continue
                if n == 1 and (len(gram[0]) < 4 or not gram[0][0].isupper()):
                    continue  # one ordinary word says too little to be a label
                if any(w.lower() in _STOP for w in gram) and not all(
                    w[0].isupper() or w.lower() in {"of", "the", "and", "for"} for w in gram
                ):
                    continue  # a clause, not a name ("IDF overnight against Hezbollah")
                goes_on = i + n < len(words) and _capital(words[i + n]) and gram[-1][0].isupper()
                inside = n == 1 and i > 0 and _capital(words[i - 1])
                add(gram, at + i, not goes_on and not inside)
        i = 0
        while i < len(words):  # whole names: "US Centers for Disease Control and Prevention"
            j = i
            while (
                j < len(words)
                and j - i < 8
                and (
                    _capital(words[j])
                    or (
                        j > i
                        and words[j].lower() in _CONNECTORS
                        and j + 1 < len(words)
                        and words[j + 1][:1].isupper()
                        and (
                            words[j].lower() != "and"
                            or any(w.lower() in {"of", "for"} for w in words[i:j])
                        )
                    )
                )
            ):
                j += 1
            if j - i > longest and words[j - 1].lower() not in _STOP:
                add(tuple(words[i:j]), at + i, True)
            i = max(j, i + 1)
        at += len(words)
    return found


def group_label(texts: list[str], topic: str = "") -> str:
    """A short phrase the texts share, preferring names and longer phrases; words of the topic
    alone do not label a group (every group is about the topic), nor does a piece of a longer
    name ("County", "Park"). Lines that share no such phrase are "Other points": a group is
    not named after one line's actor."""
    topic_terms = terms(topic)
    counts: dict[tuple[str, ...], int] = {}
    spelled: dict[tuple[str, ...], tuple[str, ...]] = {}
    first: dict[tuple[str, ...], int] = {}
    whole: set[tuple[str, ...]] = set()
    for text in texts:
        for gram, (at, stands_whole) in _phrases(text).items():
            key = tuple(w.lower() for w in gram)
            counts[key] = counts.get(key, 0) + 1
            spelled.setdefault(key, gram)
            first[key] = min(first.get(key, at), at)
            if stands_whole:
                whole.add(key)

    def score(key: tuple[str, ...]) -> float:
        gram = spelled[key]
        named = sum(w[0].isupper() for w in gram) / len(gram)
        shared = counts[key] if len(texts) > 1 else 1
        single = 0.5 if len(gram) == 1 else 1.0  # one word names little
        return shared * (1 + 0.35 * (len(gram) - 1)) * (1 + named) * single

    own = [k for k in counts if k in whole and not terms(" ".join(k)) <= topic_terms]
    # several lines: what at least two of them share; one line: its own best name
    candidates = [k for k in own if counts[k] > 1] if len(texts) > 1 else own
    if not candidates:
        return OTHER
    best = max(candidates, key=lambda k: (score(k), len(k), -first[k], k))
    label = " ".join(spelled[best])
    return label[0].upper() + label[1:]
