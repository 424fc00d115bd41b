"""A question typed in lower case, given the capitals the articles write its names with.

People type "who won the british open" and "how many monkeypox cases in the us". Every rule
that reads names from a question (the names a passage must mention, the runs of capitalised
words and their aliases, "who is X", the office asked about) reads them from capitals, so a
question typed in lower case depends on no name and any passage on the subject may answer it:
"who won the british open" quoted Rishi Sunak winning a round of votes, and RealTime QA's
questions typed in lower case had 0.57 of the unanswerable ones refused against 0.84 as
written. The articles say how each name is written. `cased_like(question, passages, names)`
writes a lower-case question's words the way

- its passages write the phrase in the middle of their sentences, when they (almost) always
  capitalise it there ("British Open", "Club Q", "US", "Shinzo Abe"), and else
- the whole store writes the word (`WrittenNames`, counted when the BM25 index is built):
  "delaware" is "Delaware" though no passage found mentions it, which is what lets the
  answerer say that none does;

and leaves the rest as typed ("open", "club", "us" in "told us").

What it leaves out: a question with a capital after its first letter (its asker writes
names with capitals, and casing their other words cost right answers on RealTime QA as
written), and any model. The reader and the embedder are uncased; only the rules read
capitals, so only they see the change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from rag.text.stopwords import QUESTION_STARTERS, STOPWORDS

__all__ = ["WrittenNames", "cased_like", "typed_in_lower_case"]

# a word as typed: letters, digits, inner apostrophes and hyphens, or dotted initials ("u.s.")
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9][A-Za-z0-9'’\-]*")
LONGEST = 4  # the most words a name typed in lower case is looked for as ("new york city hall")
# where a sentence or a heading starts: a capital after one of these is the position's
_OPENERS = set(".?!:;\"“”‘'([{—–•|\n")
_NEXT_CAPITALISED = re.compile(r"[ \t]+[A-Z]")
_PREVIOUS_CAPITALISED = re.compile(r"[A-Z][\w'’.\-]*[ \t]+$")


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the text at `start` is inside a sentence, so that a capital there marks a name
    rather than where a sentence, a heading or a quotation starts."""
    before = text[max(0, start - 8) : start].rstrip(" \t")
    return bool(before) and before[-1] not in _OPENERS


def _written_as(phrase: list[str], text: str) -> tuple[Counter[str], int]:
    """How the passages write `phrase` mid-sentence: the capitalised forms and their counts,
    and how often it is written all in lower case."""
    pattern = re.compile(
        r"(?<![\w.])" + r"\s+".join(re.escape(w) for w in phrase) + r"(?![\w])", re.I
    )
    capitalised: Counter[str] = Counter()
    lower = 0
    for m in pattern.finditer(text):
        form = " ".join(m.group(0).split())
        if not _mid_sentence(text, m.start()):
            # where a sentence starts only the later words' capitals tell ("Rishi Sunak won")
            later = form.split(" ", 1)[1:]
            if not later or later[0] == later[0].lower():
                continue
        if form == form.lower():
            lower += 1
        elif not _NEXT_CAPITALISED.match(text, m.end()) and not _PREVIOUS_CAPITALISED.search(
            text, max(0, m.start() - 40), m.start()
        ):
            # a name of its own, not a piece of a longer one: "New" in "New York" is not, and
            # nor is "National Park" in "Yosemite National Park" (asked "which national park",
            # it is the kind of thing asked, not a name the answer must not restate)
            capitalised[form] += 1
    return capitalised, lower


def _content(word: str) -> bool:
    return word not in STOPWORDS and word not in QUESTION_STARTERS


def _cased(phrase: list[str], text: str) -> str | None:
    """The way the passages write `phrase` when they nearly always capitalise it, else None.

    A phrase of several words needs one capitalised mention and at most one in four in lower
    case; a single word needs two, because a word alone is capitalised in headings and titles
    more often than a phrase is. A stopword alone is cased only as an acronym ("us" as "US")."""
    capitalised, lower = _written_as(phrase, text)
    total = sum(capitalised.values())
    needed = 1 if len(phrase) > 1 else 2
    if total < needed or lower * 4 > total:
        return None
    form, _ = capitalised.most_common(1)[0]
    if len(phrase) == 1 and not _content(phrase[0]) and not (form.isupper() and len(form) >= 2):
        return None
    return form


def typed_in_lower_case(question: str) -> bool:
    """Whether `question` has no capital after its first letter: typed without names' capitals."""
    return not any(c.isupper() for c in question.lstrip()[1:])


def cased_like(
    question: str, passages: Iterable[str], names: Mapping[str, str] | None = None
) -> str:
    """`question` with its names written as `passages` write them, else as `names` (the
    store's `WrittenNames`) write them; as typed when its asker used capitals (module doc)."""
    if not typed_in_lower_case(question):
        return question
    text = "\n".join(passages)
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(question)]
    lower_text = text.lower()
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(LONGEST, len(words) - i), 0, -1):
            span = words[i : i + n]
            phrase = [w for _, _, w in span]
            if n > 1 and not (_content(phrase[0]) and _content(phrase[-1])):
                continue
            if n == 1 and phrase[0] in QUESTION_STARTERS:
                continue
            # a phrase is words typed next to each other (a space between, not a comma)
            if any(question[span[k][1] : span[k + 1][0]].strip() for k in range(n - 1)):
                continue
            if any(w not in lower_text for w in phrase):
                continue
            form = _cased(phrase, text)
            if form is not None:
                edits.append((span[0][0], span[-1][1], form))
                i += n
                break
        else:
            start, _, word = words[i]
            bare = _bare(word)  # "abe's": "Abe" and its "'s"
            if names and _content(bare) and (form := names.get(bare)):
                edits.append((start, start + len(bare), form))
            elif word == "us" and i and words[i - 1][2] == "the":
                edits.append((start, start + 2, "US"))  # "in the us": never the pronoun
            i += 1
    out = question
    for a, b, form in reversed(edits):
        out = out[:a] + form + out[b:]
    return out


class WrittenNames:
    """How a body of text writes its words: the words it (nearly) always capitalises in the
    middle of a sentence, each with the form it writes most ("delaware": "Delaware", "nasa":
    "NASA"). Counted over every stored chunk when the BM25 index is built, and kept with it.

    A word counts as capitalised where it follows a lower-case word, a digit or a comma and
    no capitalised word follows it (the end of a name: "York" in "New York" is, "New" is
    not); it counts as lower case wherever it is written so."""

    MIN_CAPITALISED = 3  # fewer is too little to go by
    LOWER_SHARE = 0.1  # at most one in ten written in lower case

    def __init__(self) -> None:
        self._capitalised: Counter[str] = Counter()
        self._lower: Counter[str] = Counter()

    def count(self, text: str) -> None:
        """Add `text`'s words to the counts."""
        self._capitalised.update(_NAME_IN_SENTENCE.findall(text))
        self._lower.update(_LOWER_WORD.findall(text))

    def names(self) -> dict[str, str]:
        """Each lower-case word the text writes as a name, with the form it writes most (a
        possessive counts as its name: "Abe's" is "Abe" written once more)."""
        capitalised: Counter[str] = Counter()
        for form, n in self._capitalised.items():
            capitalised[_bare(form)] += n
        best: dict[str, tuple[int, str]] = {}
        total: Counter[str] = Counter()
        for form, n in capitalised.items():
            word = form.lower()
            total[word] += n
            if n > best.get(word, (0, ""))[0]:
                best[word] = (n, form)
        written = {}
        for word, (_, form) in best.items():
            lower = sum(self._lower[w] for w in (word, f"{word}'s", f"{word}’s"))
            if (
                len(word) >= 2
                and total[word] >= self.MIN_CAPITALISED
                and lower <= self.LOWER_SHARE * total[word]
                and _content(word)
            ):
                written[word] = form
        return written


def _bare(word: str) -> str:
    """`word` without a possessive's "'s": "Abe's" is written as "Abe" is."""
    return word[:-2] if word[-2:] in ("'s", "’s") else word


# a capitalised word after a lower-case word, digit or comma, with no capitalised word after it
_NAME_IN_SENTENCE = re.compile(
    r"(?<=[a-z0-9,])[ \t]+([A-Z][A-Za-z'’\-]*)(?![A-Za-z'’\-])(?![ \t]+[A-Z])"
)
_LOWER_WORD = re.compile(r"(?<![A-Za-z'’\-])[a-z][a-z'’\-]*(?![A-Za-z'’\-])")
