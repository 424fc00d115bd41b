"""Key points in sub-topics: near lines grouped, each group labelled by the phrase its lines
share.

Lines whose embeddings are close form a group, newest article first within it. A group is
labelled with the phrase its lines share — a name, a place, an event ("Tetsuya Yamagami", "Nara
Medical University") — not a list of words, not a phrase that owes its capital to opening a
sentence ("Give President Donald Trump") and not one that ends in a verb ("report issued");
groups that share no such phrase go last, together, as "Other points". What it leaves out:
choosing the key points (`rag.briefing.build`) and writing them (`rag.briefing.markdown`).
"""

from __future__ import annotations

import re

from rag.briefing.model import Line
from rag.text.lexicon import cosine, terms
from rag.text.verbs import FINITE

OTHER = "Other points"  # the label of lines that share no name
GROUP_SIMILARITY = 0.45  # cosine of a line to a group's first line, to join the group
_STOP = frozenset(
    "the a an of in on at to for and or but with by from as is was are were be been has have "
    "had that this it its he she they his her their said says after before who which when while "
    "not more than also about into over would will could can new one two some there what we i "
    "you our mr ms mrs first last second other many most such only just still even these those "
    "officials official against during between along under across without within among through "
    "toward towards amid despite since until because then now up out down off if so very all "
    "any each both no".split()
)
_WEEKDAYS_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today yesterday cnn".split()
)

# "U.S." is one word; a figure is a word too, so words either side of "$44" are not adjacent
_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[A-Za-z][\w'’-]*|[$£€]?\d[\d,.]*")
_CLAUSE = re.compile(r"[,;:()\[\]“”\"!?–—]|\.(?:\s|$)")


_NOT_IN_LABELS = re.compile(r"^[\d$£€]|['’](?:ll|m|ve|d|re)$|n['’]t$")  # "$44", "I'll"

# inside a name: "Centers for Disease Control and Prevention" ("and" only after "of"/"for",
# or before an institution's last word: "Yoav Gallant and U.S. Defense Secretary Lloyd Austin"
# are two names, "National School Safety and Security Services" one)
_CONNECTORS = {"of", "for", "and", "the", "de"}
_INSTITUTION = frozenset(
    "services association department institute prevention commission council committee agency "
    "administration foundation center centers centre university society authority board "
    "office bureau affairs development research sciences technology coalition alliance".split()
)
# words that put a name in a place or role around the news rather than at its centre, after
# the line's verb: "rushed teams to London", "the wind speed of Hurricane Charley"
_PREPOSITIONS = frozenset(
    "to in at from of on into onto across near over by with for against toward towards "
    "through under beside behind outside inside around off about like than since along amid "
    "among between within via throughout beyond alongside upon".split()
)
_DETERMINERS = frozenset("the a an its his her their this that these those".split())


def _capital(word: str) -> bool:
    """A capitalised word that can be part of a name ("The" opening a sentence is not)."""
    return word[:1].isupper() and word.lower().rstrip(".") not in _STOP


def _joins_an_institution(words: list[str], at: int) -> bool:
    """Whether `words[at]` is an "and" inside one institution's name: capitalised words
    follow it up to the institution's own word ("… Safety and Security Services")."""
    if at >= len(words) or words[at].lower() != "and":
        return False
    end = at + 1
    while end < len(words) and _capital(words[end]):
        end += 1
    return end > at + 1 and words[end - 1].lower() in _INSTITUTION


def _continues_a_noun(word: str) -> bool:
    """Whether a lower-case `word` after a phrase goes on with its noun ("elementary" before
    "school", "vulnerable" before "western coastline") rather than starting the verb or a
    clause ("held", "says", "largely", "and")."""
    return (
        word[:1].islower()
        and word.lower() not in _STOP
        and not FINITE.fullmatch(word)
        and not word.endswith(("s", "ly"))
    )


def _first_verb(words: list[str], at: int) -> int | None:
    """The index, in the sentence, of the first lower-case finite verb of a clause's `words`
    that start at word `at`, past the sentence's first word (which may be a participle
    opening it: "Codenamed …"); None when the clause has none."""
    return next(
        (at + k for k, w in enumerate(words) if at + k and w[:1].islower() and FINITE.fullmatch(w)),
        None,
    )


def _phrases(text: str, longest: int = 4) -> dict[tuple[str, ...], tuple[int, bool, bool]]:
    """Word n-grams of `text` that could name something, with where they start and whether
    they stand whole and whether every time it comes it is the object of a preposition after
    the sentence's verb (`aside`: "rushed teams to London"): within one clause, no stop word
    at either end, not a day or month, not a number. A phrase is not whole when it is a piece
    of a longer name or noun: a name that goes on ("US Centers for Disease" before "Control",
    "National School Safety" before "and Security Services"), one word inside a name
    ("County" of "Park County", "Abe" of "Shinzo Abe"), or words cut before their noun
    ("Uvalde elementary" of "Uvalde elementary school")."""
    found: dict[tuple[str, ...], tuple[int, bool, bool]] = {}

    def add(gram: tuple[str, ...], start: int, whole: bool, aside: bool) -> None:
        at, was_whole, was_aside = found.get(gram, (start, False, True))
        found[gram] = (min(at, start), was_whole or whole, was_aside and aside)

    verb: int | None = None  # the sentence's first verb, once a clause has shown it
    at = 0
    for clause in _CLAUSE.split(text):
        words = [w.strip("'’") for w in _TOKEN.findall(clause)]
        verb = _first_verb(words, at) if verb is None else verb
        past = len(words) if verb is None else verb - at  # the clause's words past the verb
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                gram = tuple(words[i : i + n])
                ends = (gram[0].lower().rstrip("."), gram[-1].lower().rstrip("."))
                if ends[0] in _STOP or ends[1] in _STOP or any(e in _WEEKDAYS_MONTHS for e in ends):
                    continue
                if n == 1 and (len(gram[0]) < 4 or not gram[0][0].isupper()):
                    continue  # one ordinary word says too little to be a label
                lower = [w for w in gram if w[0].islower()]
                if any(re.search(r"(?:ed|ing)$", w) for w in lower) or len(lower) > 1:
                    continue  # a clause, not a name: "United Nations report issued"
                if lower and gram[-1] is not lower[0]:
                    continue  # a name's words end it: "Gaza ceasefire", not "Trump credit …"
                if any(
                    w[0].isdigit()
                    or w[0] in "$£€"
                    or re.search(r"['’](?:ll|m|ve|d|re|s)$|n't$", w)
                    and not w.endswith(("'s", "’s"))
                    for w in gram
                ):
                    continue  # a figure, or "I'll", is no part of a label
                if any(w.lower() in _STOP for w in gram) and not all(
                    w[0].isupper() or w.lower() in {"of", "the", "and", "for"} for w in gram
                ):
                    continue  # a clause, not a name ("IDF overnight against Hezbollah")
                after = words[i + n] if i + n < len(words) else ""
                goes_on = (
                    _capital(after) or _joins_an_institution(words, i + n)
                    if gram[-1][0].isupper()
                    else _continues_a_noun(after)
                ) or gram[-1].endswith(("'s", "’s"))  # "Florida’s" owns the noun after it
                # a piece of a longer name ("V rocket" of "Saturn V rocket"); the sentence's
                # first word may be capitalised only for opening it ("Give President …")
                inside = i > 0 and _capital(words[i - 1]) and (n == 1 or at + i > 1)
                add(gram, at + i, not goes_on and not inside, _aside(words, i, i > past))
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
                            or _joins_an_institution(words, j)
                        )
                    )
                )
            ):
                j += 1
            if j - i > longest and words[j - 1].lower() not in _STOP:
                add(tuple(words[i:j]), at + i, True, _aside(words, i, i > past))
            i = max(j, i + 1)
        at += len(words)
    return found


def _aside(words: list[str], at: int, past_the_verb: bool) -> bool:
    """Whether the phrase at `words[at]` is a preposition's object past the sentence's verb
    ("teams to London", "that of the Saturn V rocket"): where or next to what the news
    happened, not what it is about."""
    k = at - 1
    while k >= 0 and words[k].lower() in _DETERMINERS:
        k -= 1
    return past_the_verb and k >= 0 and words[k].lower() in _PREPOSITIONS


# a people's adjective opens a name as well as a sentence: "Israeli Defense Minister …"
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:i|an|ese|ish)$")


def capitalised_inside(texts: list[str]) -> set[str]:
    """Words written with a capital somewhere other than a sentence's first word: names, as
    far as the texts show ("Park" of "In Park County"), and not "Give" of "Give President…"."""
    found: set[str] = set()
    for text in texts:
        words = [w.strip("'’") for w in _TOKEN.findall(text)]
        found |= {w for w in words[1:] if w[:1].isupper()}
    return found


# a clause opening a sentence that sets the scene of its news ("Heading into Election Day,", "As
# the sun got ready to rise above the East Coast,"): what it names is when or amid what, not
# what the line is about, so it labels nothing. A place that opens a line ("In Park County,
# two homes collapsed") is often what it is about, so "In", "At" and "On" are not such clauses.
_SETTING = re.compile(
    r"^(?:As|Heading|After|Before|When|While|During|Since|With|Ahead|Following|Amid|Despite|"
    r"Throughout|Until)\b[^,.;:“”\"]{0,80},\s+"
)


def group_label(texts: list[str], topic: str = "", names: set[str] | None = None) -> str:
    """A short phrase the texts share, preferring names and longer phrases; words of the topic
    alone do not label a group (every group is about the topic), nor does a piece of a longer
    name ("County", "Park"), nor a phrase whose first word is capitalised only where it opens
    a sentence (`names`: words seen capitalised elsewhere, by default in `texts`), nor a name
    in the clause that sets a line's scene (`_SETTING`: "Heading into Election Day,"). Lines that
    share no such phrase are "Other points": a group is not named after one line's actor, nor
    after a name fewer than half its lines give. A one-line group is not labelled by a name
    that only stands after a preposition past its verb ("rushed teams to London", "matching
    the wind speed of Hurricane Charley"): what the line is about comes before."""
    topic_terms = terms(topic)
    names = capitalised_inside(texts) if names is None else names
    counts: dict[tuple[str, ...], int] = {}
    spelled: dict[tuple[str, ...], tuple[str, ...]] = {}
    first: dict[tuple[str, ...], int] = {}
    whole: set[tuple[str, ...]] = set()
    for text in texts:
        for gram, (at, stands_whole, aside) in _phrases(_SETTING.sub("", text, count=1)).items():
            if aside and len(texts) == 1:
                continue  # "… rushed teams to London": the line is not about London
            if at == 0 and gram[0] not in names and not _DEMONYM.search(gram[0]):
                continue  # capitalised for opening the sentence: "Give President Donald Trump"
            key = tuple(w.lower() for w in gram)
            counts[key] = counts.get(key, 0) + 1
            spelled.setdefault(key, gram)
            first[key] = min(first.get(key, at), at)
            if stands_whole:
                whole.add(key)

    def score(key: tuple[str, ...]) -> float:
        gram = spelled[key]
        capitals = sum(w[0].isupper() for w in gram)
        named = capitals / len(gram)
        shared = counts[key] if len(texts) > 1 else 1
        single = 0.5 if len(gram) == 1 else 1.0  # one word names little
        # a lower-case word lengthens a label by half a name's word: "Gaza ceasefire" beats
        # "Gaza", "President Donald Trump" beats "President Donald Trump credit"
        longer = (capitals - 1) + 0.5 * (len(gram) - capitals) if capitals else len(gram) - 1
        return shared * (1 + 0.35 * longer) * (1 + named) * single

    own = [k for k in counts if k in whole and not terms(" ".join(k)) <= topic_terms]
    # several lines: what at least two and at least half of them share (a name fewer lines
    # give is a passing mention: "Tesla" in two of eight lines on Musk's bid for Twitter);
    # one line: its own best name
    candidates = (
        [k for k in own if counts[k] > 1 and 2 * counts[k] >= len(texts)] if len(texts) > 1 else own
    )
    if not candidates:
        return OTHER
    best = max(candidates, key=lambda k: (score(k), len(k), -first[k], k))
    label = " ".join(spelled[best])
    return label[0].upper() + label[1:]


def group_lines(lines: list[Line], topic: str) -> list[tuple[str, list[Line]]]:
    """The lines in labelled groups, in order of each group's first line; lines that share no
    name go last, under one heading (`OTHER`), and groups labelled alike are one."""
    groups: list[list[Line]] = []
    for line in lines:
        home = next(
            (
                g
                for g in groups
                if cosine(g[0].sentences[0].vector, line.sentences[0].vector) >= GROUP_SIMILARITY
            ),
            None,
        )
        (home.append(line) if home is not None else groups.append([line]))
    names = capitalised_inside([ln.text for ln in lines])
    labelled = [(group_label([ln.text for ln in g], topic, names), g) for g in groups]
    whole = _whole_names(labelled)
    merged: dict[str, list[Line]] = {}  # in order of each label's first group
    for label, g in labelled:  # groups a reader would call by one name are one ("Abe" twice)
        merged.setdefault(whole.get(label, label), []).extend(g)
    for g in merged.values():  # within a sub-topic, newest article first
        g.sort(key=lambda ln: ln.sentences[0].date, reverse=True)
    other = merged.pop(OTHER, [])
    return list(merged.items()) + ([(OTHER, other)] if other else [])


def _whole_names(labelled: list[tuple[str, list[Line]]]) -> dict[str, str]:
    """A one-word label that is another label's last word, as someone's surname ("Arredondo"
    beside "Pedro Arredondo"): the label it stands for. A word its lines write after "the" is
    not a surname ("the House" beside "White House")."""
    labels = {label for label, _ in labelled}
    found: dict[str, str] = {}
    for label, group in labelled:
        if " " in label or label == OTHER:
            continue
        longer = [m for m in labels if m != label and m.split()[-1] == label]
        after_the = re.compile(rf"\b[Tt]he\s+{re.escape(label)}\b")
        if len(longer) == 1 and not any(after_the.search(ln.text) for ln in group):
            found[label] = longer[0]
    return found
