"""Who said or did what: the named agent of the speech and action verbs of a sentence.

The citation check uses it so that a claim cannot swap who said or did something: "Hochstein
told Gallant …" is not backed by "Gallant told Hochstein …". Rules over names and verbs, no
parser and no model (none is available offline):

- names are `rag.text.answer_kinds`' runs of capitalised words ("Defense Minister Yoav
  Gallant"); "X and Y" is two agents;
- the verbs are a fixed list. Speech verbs (say, tell, call, warn, stress, …) are one kind, as
  a faithful paraphrase may write "said" for "stressed"; action verbs are grouped by meaning
  (kill / assassinate, strike / attack, meet, speak / talk / discuss, …). Meeting and talking
  are symmetric: "Austin met Gallant" is "Gallant met Austin";
- the agent of a verb is the name right before it, past adverbs and auxiliaries, a
  parenthesis or an appositive ("Gallant, the defense minister, told"), or its owner ("Gallant’s
  office said"); the name after it in reported speech ("…,” said Gallant"); the name after "by"
  in the passive ("Hochstein was told by Gallant"); the clause's agent for a participle ("…,
  calling him") or a second verb of the same kind ("said … and warned"); the source in
  "according to X". The names after the verb, to the end of its clause, are its objects, less
  those that only qualify a noun ("US" in "US special envoy");
- in a passage, "he"/"she" stand for the last named agent before them, and "the (defense)
  minister" or "the Secretary" for the name that carried the title (else, as a pronoun, for
  the last named agent).

A form that is also a noun ("the call", "a strike", "the targeted raid", "Hezbollah targets
in …") counts as a verb only where an agent stands before it (an "-s" form also needs a name,
an article or a pronoun after it), or, for a past form, where no article does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.text.answer_kinds import _names  # the product's name finder
from rag.text.dates import MONTH_NUMBERS, WEEKDAYS
from rag.text.lexicon import STOPWORDS, missing_entities, question_entities

SPEECH = "speech"
_SPEECH_VERBS = (
    "say tell call warn announce stress add claim state declare insist urge ask confirm deny "
    "reiterate emphasize emphasise note explain describe accuse praise criticize criticise "
    "condemn threaten vow promise pledge write tweet brief update inform assure argue "
    "acknowledge admit suggest demand detail highlight reaffirm respond reply thank blame dub "
    "label hail slam report recall mention remark predict concede complain welcome express "
    "signal indicate maintain testify caution reveal disclose"
)
_ACTION_VERBS = {
    "kill": "kill assassinate eliminate murder",
    "strike": "strike attack bomb target hit shell raid invade shoot",
    "arrest": "arrest detain capture seize abduct kidnap",
    "order": "order command instruct authorize authorise",
    "meet": "meet",
    "talk": "speak talk discuss negotiate confer",
    "sign": "sign",
    "launch": "launch fire",
    "appoint": "appoint nominate hire",
    "dismiss": "dismiss sack oust",
    "visit": "visit tour",
    "release": "release free",
    "approve": "approve endorse",
    "reject": "reject veto",
    "defeat": "defeat beat",
    "sue": "sue",
    "invite": "invite",
}
SYMMETRIC = {"meet", "talk"}  # kinds where the one met (talked with) met the other too
# Verbs whose object is a party the claim must get right: whom Gallant told, whom Israel killed.
_ADDRESSED = {"tell", "inform", "brief", "update", "assure"}
_ADDRESSED_KINDS = {
    "kill",
    "strike",
    "arrest",
    "meet",
    "talk",
    "appoint",
    "dismiss",
    "visit",
    "release",
    "defeat",
    "sue",
    "invite",
}
_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "meet": ("met",),
    "speak": ("spoke", "spoken"),
    "strike": ("struck", "stricken"),
    "write": ("wrote", "written"),
    "shoot": ("shot",),
    "hit": ("hit",),
    "beat": ("beat", "beaten"),
    "seize": ("seized",),
}
_DOUBLED = {"admit", "slam", "hit", "dub", "label", "signal", "shoot"}

_SKIP = {
    "also",
    "later",
    "then",
    "reportedly",
    "previously",
    "recently",
    "repeatedly",
    "publicly",
    "privately",
    "personally",
    "separately",
    "further",
    "furthermore",
    "again",
    "once",
    "already",
    "still",
    "just",
    "even",
    "allegedly",
    "apparently",
    "formally",
    "officially",
    "directly",
    "initially",
    "subsequently",
    "immediately",
    "quickly",
    "finally",
    "earlier",
    "first",
    "has",
    "have",
    "had",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "not",
    "never",
    "been",
    "is",
    "are",
    "was",
    "were",
}
_BE = {"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got"}
# Words after which a verb form is a noun or an adjective ("the call", "a phone call").
_NOUN_MARKERS = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "our",
    "this",
    "that",
    "these",
    "those",
    "whose",
    "my",
    "your",
    "so-called",
    "any",
    "no",
    "each",
    "every",
    "recent",
    "latest",
    "new",
    "first",
    "last",
    "phone",
    "video",
}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
TITLES = (
    "minister|secretary|president|envoy|commander|chief|general|spokesman|spokeswoman|"
    "spokesperson|ambassador|premier|chancellor|leader|governor|senator|mayor|king|"
    "queen|prince|director|chairman|chairwoman|ceo|prosecutor|judge|counterpart"
)
# A quoted phrase, its words in group 1: what someone said, or what they called someone (the
# citation check keeps it as a fact; a bold answer never takes a piece out of it).
QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_TITLE_WORD = re.compile(rf"\b(?i:{TITLES})\b")
_TITLE_PHRASE = re.compile(
    rf"\b(?:[Tt]he)\s+((?:[\w.’'\-]+\s+){{0,3}}?)({TITLES}|(?i:{TITLES}))s?$"
)
# What follows an "-s" form used as a verb: a name, a quote, an article or a pronoun
# ("Gallant tells US envoy …", "Gallant says the …", "Gallant meets with …").
_S_FORM_FOLLOWER = re.compile(
    r"\s*(?:[A-Z“\"‘:,]|(?:the|a|an|his|her|their|its|that|this|"
    r"these|those|him|them|it|there|with)\b)"
)
_PREPOSITIONS = {
    "against",
    "amid",
    "into",
    "through",
    "via",
    "despite",
    "under",
    "without",
    "within",
    "across",
    "toward",
    "towards",
    "with",
    "from",
    "to",
    "of",
    "by",
}
_NEXT_WORD = re.compile(r"\.?\s+([a-z][\w’'\-]*)")
_BOUNDARY = re.compile(
    r"[,;:“”\"(]|\.\s*$|\b(?:that|who|which|about|after|before|while|"
    r"as|because|when|in|at|on|during|near|over|since|until|for)\b"
)
# Heads of organisation names: two names ending in "Ministry" are not the same one.
_GENERIC = {
    "ministry",
    "department",
    "office",
    "forces",
    "force",
    "army",
    "party",
    "council",
    "court",
    "house",
    "command",
    "government",
    "police",
    "agency",
    "committee",
    "union",
    "state",
    "states",
    "authority",
    "service",
    "group",
    "news",
    "times",
    "post",
}


def names_in(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name in `sentence`, calendar words left out (the finder
    keeps "Wednesday." when a full stop follows it)."""
    found = []
    for start, end, name in _names(sentence):
        name = name.rstrip(".")
        if name.lower() not in WEEKDAYS and name.lower() not in MONTH_NUMBERS:
            found.append((start, start + len(name), name))
    return found


def _forms(lemma: str) -> dict[str, str]:
    """Each written form of `lemma`: 'base', 's', 'past' or 'ing'."""
    double = lemma + lemma[-1] if lemma in _DOUBLED else lemma
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past, ing = [lemma + "d"], (lemma[:-1] if not lemma.endswith("ee") else lemma) + "ing"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        past, ing = [lemma[:-1] + "ied"], lemma + "ing"
    else:
        past, ing = [double + "ed"], double + "ing"
    if lemma in ("label", "signal"):
        past.append(lemma + "ed")
    if lemma in _IRREGULAR:
        past = list(_IRREGULAR[lemma])
    forms = {lemma: "base", third: "s", ing: "ing"}
    forms.update({p: "past" for p in past})
    return forms


_VERB_FORMS: dict[str, tuple[str, str, str]] = {}  # form: (lemma, kind, tense)
for _kind, _lemmas in [(SPEECH, _SPEECH_VERBS), *_ACTION_VERBS.items()]:
    for _lemma in _lemmas.split():
        for _form, _tense in _forms(_lemma).items():
            _VERB_FORMS.setdefault(_form, (_lemma, _kind, _tense))
_VERB = re.compile(
    r"(?<![\w’'\-])(" + "|".join(sorted(_VERB_FORMS, key=len, reverse=True)) + r")(?![\w’'\-])"
)


@dataclass(frozen=True)
class Role:
    """One speech or action verb: who did it (`agents`) and to whom (`objects`), as named."""

    form: str  # the verb as written ("told")
    lemma: str  # "tell"
    kind: str  # SPEECH, or the action's group ("kill", "meet", …)
    agents: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()

    @property
    def symmetric(self) -> bool:
        return self.kind in SYMMETRIC


@dataclass
class Sentence:
    """The roles of one sentence, and its subject (a name opening the sentence before a
    lower-case word): who the sentence is about when its verb is none of the listed ones."""

    roles: list[Role] = field(default_factory=list)
    subject: str | None = None


# An agent as found before the context resolves it: a name, a pronoun or a title phrase.
_Ref = tuple[str, str]  # ("name", "Gallant") | ("pronoun", "he") | ("title", "defense minister")


class _Context:
    """What "he" and "the minister" stand for in a passage: the last named agent, and the
    names written with a title ("Defense Minister Yoav Gallant", "envoy Amos Hochstein")."""

    def __init__(self) -> None:
        self.last: str | None = None
        self.titled: list[tuple[int, str, str]] = []  # (where, title word, name)

    def learn(self, sentence: str, offset: int, names: list[tuple[int, int, str]]) -> None:
        """Take note of the titled names of a sentence starting at `offset`."""
        starts = {s: name for s, _, name in names}
        for s, _e, written in names:
            for name in _split(written):  # "Secretary Austin and Minister Gallant"
                for m in _TITLE_WORD.finditer(name):
                    if name[m.end() :].strip():
                        self.titled.append((offset + s, m.group(0).lower(), name))
        for m in re.finditer(rf"\b((?i:{TITLES}))((?:\s+[a-z]+){{0,3}}?)\s+(?=[A-Z])", sentence):
            if any(w in _VERB_FORMS for w in m.group(2).split()):
                continue  # "the minister told Amos Hochstein": a verb, not a title, between
            if (titled := starts.get(m.end())) is not None:
                self.titled.append((offset + m.start(), m.group(1).lower(), titled))

    def resolve(self, ref: _Ref | None, at: int) -> str | None:
        if ref is None:
            return None
        kind, value = ref
        if kind == "name":
            if _TITLE_WORD.fullmatch(value):  # "The Secretary said"
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


def _agent_before(sentence: str, end: int, names: dict[int, str]) -> _Ref | None:
    """The agent written right before position `end`: a name, a pronoun or "the minister"."""
    left = sentence[:end]
    appositive = True
    while True:
        left = left.rstrip().rstrip('“”"‘').rstrip()
        word = re.search(r"(?<![\w’'\-])([a-z][a-z’'\-]*)$", left)
        if word and word.group(1) in _SKIP:
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


def _name_at(sentence: str, start: int, names: dict[int, str]) -> _Ref | None:
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


def _objects(sentence: str, start: int, spans: list[tuple[int, int, str]]) -> list[str]:
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


def _split(name: str | None) -> tuple[str, ...]:
    """ "Secretary Austin and Minister Gallant" is two agents."""
    if not name:
        return ()
    return tuple(p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", name) if p.strip())


def _subject(sentence: str, spans: list[tuple[int, int, str]]) -> str | None:
    """The name that opens the sentence (after an opening phrase and a comma) when a
    lower-case word or an inserted phrase follows it: "Gallant maintained …", "On Monday,
    Gallant stressed …", "Netanyahu, according to reports, pushed back …"."""
    for s, e, name in spans:
        lead = sentence[:s].strip(' “"‘')
        if lead and not re.fullmatch(r"[^,]{1,60},", lead):
            return None
        return name if re.match(r"(?:\s*\([^)]*\))?(?:\s+[a-z]|,\s+[a-z])", sentence[e:]) else None
    return None


def sentence_roles(sentence: str, context: _Context | None = None, offset: int = 0) -> Sentence:
    """The roles of the verbs in `sentence`. Without a `context` (a claim read alone) an
    agent written as "he" or "the minister" stays unnamed."""
    spans = names_in(sentence)
    ends = {e: name for _s, e, name in spans}
    subject = _subject(sentence, spans)
    found = Sentence(subject=subject)

    if context is not None:
        context.learn(sentence, offset, spans)

    def resolve(ref: _Ref | None, at: int) -> str | None:
        if context is not None:
            return context.resolve(ref, offset + at)
        return ref[1] if ref and ref[0] == "name" and not _TITLE_WORD.fullmatch(ref[1]) else None

    previous: tuple[str, ...] = ()
    previous_kind = ""
    for m in _VERB.finditer(sentence):
        lemma, kind, tense = _VERB_FORMS[m.group(1)]
        if tense == "s" and not _S_FORM_FOLLOWER.match(sentence, m.end()):
            continue  # "Hezbollah targets in Lebanon", "Hamas attacks on Israel": nouns
        before = re.search(r"([\w’'\-]+)\W*$", sentence[: m.start()])
        prior = before.group(1).lower() if before else ""
        if prior in _NOUN_MARKERS:
            continue  # "the call", "a strike", "the targeted raid": a noun or an adjective
        if re.search(r"[A-Z][\w\-]*[’']s?\s+$", sentence[: m.start()]):
            continue  # "Gallant’s meeting", "Hezbollah’s attack infrastructure": nouns
        raw_left = sentence[: m.start()].rstrip()
        agents: tuple[str, ...] = ()
        objects: list[str] = []
        by = re.match(r"\s+(?:[a-z]+ly\s+)?by\s+", sentence[m.end() :])
        by_whom = _name_at(sentence, m.end() + by.end(), ends) if by else None
        strip_adverbs = raw_left
        while (w := re.search(r"(?<![\w’'\-])([a-z]+)$", strip_adverbs)) and w.group(
            1
        ) in _SKIP - _BE:
            strip_adverbs = strip_adverbs[: w.start()].rstrip()
        be = re.search(r"(?<![\w’'\-])([a-z]+)$", strip_adverbs)
        # reported speech puts the speaker after the verb: "…,” said Gallant"
        after = (
            _name_at(sentence, m.end(), ends)
            if kind == SPEECH and tense in ("past", "s") and re.search(r"[,”\"]$", raw_left)
            else None
        )
        before_ref = _agent_before(sentence, m.start(), ends)
        if tense == "past" and (by_whom or (be and be.group(1) in _BE)):
            # passive: "Hochstein was told by Gallant", "the raids launched by the IDF"
            agents = _split(resolve(by_whom, m.end()))
            if be and be.group(1) in _BE:
                patient = resolve(_agent_before(sentence, be.start(), ends), m.start())
                objects = list(_split(patient))
        elif after and (raw_left.endswith(("”", '"')) or before_ref is None):
            agents = _split(resolve(after, m.start()))
            objects = _objects(sentence, m.end(), spans)[1:]
        elif tense == "ing" and (raw_left.endswith(",") or prior in ("by", "and")):
            # "…, calling him", "responded by striking targets and killing …"
            agents = previous or _split(subject)
            objects = _objects(sentence, m.end(), spans)
        elif before_ref is None and prior == "and" and previous_kind == kind:
            agents = previous  # "Hochstein said … and warned …" (not "localized and targeted")
            objects = _objects(sentence, m.end(), spans)
        else:
            if before_ref is None and tense != "past":
                continue  # a base, "-s" or "-ing" form with no agent before it: a noun
            agents = _split(resolve(before_ref, m.start()))
            objects = _objects(sentence, m.end(), spans)
        role = Role(m.group(1), lemma, kind, agents, tuple(objects))
        found.roles.append(role)
        if agents:
            previous, previous_kind = agents, kind
    for acc in re.finditer(r"\baccording to\b", sentence):
        if (ref := _name_at(sentence, acc.end(), ends)) and (who := resolve(ref, acc.start())):
            found.roles.append(Role("according to", "say", SPEECH, _split(who)))
    return found


def passage_roles(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """The roles of each sentence span of a passage, "he" and "the minister" resolved."""
    context = _Context()
    found = []
    for start, end in spans:
        sentence = sentence_roles(text[start:end], context, start)
        named = [a for r in sentence.roles for a in r.agents]
        if named or sentence.subject:
            context.last = named[0] if named else sentence.subject
        found.append(sentence)
    return found


def _key(name: str) -> set[str]:
    words = [re.sub(r"[’']s?$", "", w) for w in name.split()]
    return {w.lower() for w in words if w[:1].isupper()}


def _surname(name: str) -> str:
    words = [re.sub(r"[’']s?$", "", w) for w in name.split(" of ")[0].split()]
    capital = [w for w in words if w[:1].isupper()]
    return capital[-1].lower() if capital else ""


def same_party(a: str, b: str) -> bool:
    """Whether two names are one person or body: "Gallant" / "Defense Minister Yoav Gallant",
    "Secretary Austin" / "Lloyd Austin", "IDF" / "Israel Defense Forces"."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka <= kb or kb <= ka:
        return True
    if (last := _surname(a)) and last == _surname(b) and last not in _GENERIC:
        return True
    return any(
        question_entities(f"x {x}") and not missing_entities(f"x {x}", y)
        for x, y in ((a, b), (b, a))
    )


def _addressed(role: Role) -> bool:
    return role.lemma in _ADDRESSED or role.kind in _ADDRESSED_KINDS


def _has(party: str, names: tuple[str, ...]) -> bool:
    return any(same_party(party, n) for n in names)


def claim_roles(claim: str) -> list[Role]:
    """The roles of a claim read alone: only agents it names count."""
    return sentence_roles(claim).roles


def speaker_conflict(claim: str | list[Role], sentences: list[Sentence]) -> str | None:
    """Why `sentences` (the passage sentences that back the claim) do not give the claim's
    named agents their roles, or None when they do.

    The agent of the claim's first named verb must be an agent of a verb of the same kind in
    those sentences (or, for meeting and talking, the one met); a speech verb the list lacks
    ("Gallant maintained") passes when the agent opens a sentence with no listed verb. For a
    later verb ("Gallant said Austin called …") only a different named agent of that kind is a
    conflict. Whom an agent told, met or killed must match too, where both name one. The
    reason reads "names “Hochstein” as the one who told where it is “Gallant” in"; the caller
    adds the passage number."""
    roles = claim_roles(claim) if isinstance(claim, str) else claim
    first = next((i for i, r in enumerate(roles) if r.agents), -1)
    for i, role in enumerate(roles):
        main = i == first
        same = [p for s in sentences for p in s.roles if p.kind == role.kind]
        for agent in role.agents:
            hits = [
                p for p in same if _has(agent, p.agents) or (p.symmetric and _has(agent, p.objects))
            ]
            if hits:
                if (why := _object_conflict(agent, role, hits)) is not None:
                    return why
                continue
            named = [p for p in same if p.agents]
            if named:
                other = next((p for p in named if p.lemma == role.lemma), named[0])
                return (
                    f"names “{agent}” as the one who {role.form} where it is “{other.agents[0]}” in"
                )
            if not main:
                continue
            if role.kind == SPEECH and any(
                not s.roles and s.subject and _has(agent, (s.subject,)) for s in sentences
            ):
                continue  # "Gallant maintained …": a speech verb the list does not hold
            return f"names “{agent}” as the one who {role.form}, unlike"
    return None


def _object_conflict(agent: str, role: Role, hits: list[Role]) -> str | None:
    """Whom the agent told (met, killed): a claim naming another than the passage does."""
    wanted = [o for o in role.objects if not _has(o, role.agents)]
    if not wanted or not _addressed(role):
        return None
    for p in hits:
        theirs = tuple(
            n for n in (*p.objects, *(p.agents if p.symmetric else ())) if not same_party(n, agent)
        )
        if not theirs or any(_has(o, theirs) for o in wanted):
            return None
    named = [n for n in hits[0].objects if not same_party(n, agent)] or ["someone else"]
    return f"names “{wanted[0]}” as the one {agent} {role.form} where it is “{named[0]}” in"
