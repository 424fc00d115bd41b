"""Who did what in a sentence: the named agents and objects of its speech and action verbs.

For each listed verb (`rag.text.verbs`) it picks how the sentence writes the agent
(`rag.text.agents`): before the verb; after it in reported speech ("…,” said Gallant"); after
"by" in the passive ("Hochstein was told by Gallant", whose object is Hochstein); the clause's
agent for a participle ("…, calling him") or a second verb of the same kind ("said … and
warned"); the source in "according to X". A form that is also a noun ("the call", "a strike",
"the targeted raid", "Hezbollah targets in …") counts as a verb only where an agent stands
before it (an "-s" form also needs a name, an article or a pronoun after it), or, for a past
form, where no article does. In a passage, "he" and "the minister" are resolved
(`rag.text.coreference`). What it leaves out: comparing a claim's roles with a passage's
(`rag.text.speakers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.text.agents import (
    agent_before,
    name_at,
    objects_after,
    passive_be,
    sentence_subject,
)
from rag.text.coreference import Context, Ref, resolve_alone
from rag.text.parties import names_in, split_parties
from rag.text.verbs import ADDRESSED_KINDS, ADDRESSED_LEMMAS, SPEECH, SYMMETRIC, VERB, VERB_FORMS

# Words after which a verb form is a noun or an adjective ("the call", "a phone call").
_NOUN_MARKERS = frozenset(
    "the a an his her its their our this that these those whose my your so-called any no each "
    "every recent latest new first last phone video".split()
)
# What follows an "-s" form used as a verb: a name, a quote, an article or a pronoun
# ("Gallant tells US envoy …", "Gallant says the …", "Gallant meets with …").
_S_FORM_FOLLOWER = re.compile(
    r"\s*(?:[A-Z“\"‘:,]|(?:the|a|an|his|her|their|its|that|this|"
    r"these|those|him|them|it|there|with)\b)"
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
        """Whether the one met (talked with) did it too."""
        return self.kind in SYMMETRIC

    @property
    def addressed(self) -> bool:
        """Whether the object is a party a claim must get right (whom one told or killed)."""
        return self.lemma in ADDRESSED_LEMMAS or self.kind in ADDRESSED_KINDS


@dataclass
class Sentence:
    """The roles of one sentence, and its subject (a name opening the sentence before a
    lower-case word): who the sentence is about when its verb is none of the listed ones."""

    roles: list[Role] = field(default_factory=list)
    subject: str | None = None


def sentence_roles(sentence: str, context: Context | None = None, offset: int = 0) -> Sentence:
    """The roles of the verbs in `sentence`. Without a `context` (a claim read alone) an
    agent written as "he" or "the minister" stays unnamed."""
    spans = names_in(sentence)
    ends = {e: name for _s, e, name in spans}
    subject = sentence_subject(sentence, spans)
    found = Sentence(subject=subject)

    if context is not None:
        context.learn(sentence, offset, spans)

    def resolve(ref: Ref | None, at: int) -> str | None:
        if context is not None:
            return context.resolve(ref, offset + at)
        return resolve_alone(ref)

    previous: tuple[str, ...] = ()
    previous_kind = ""
    for m in VERB.finditer(sentence):
        lemma, kind, tense = VERB_FORMS[m.group(1)]
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
        by_whom = name_at(sentence, m.end() + by.end(), ends) if by else None
        be = passive_be(raw_left)
        # reported speech puts the speaker after the verb: "…,” said Gallant"
        after = (
            name_at(sentence, m.end(), ends)
            if kind == SPEECH and tense in ("past", "s") and re.search(r"[,”\"]$", raw_left)
            else None
        )
        before_ref = agent_before(sentence, m.start(), ends)
        if tense == "past" and (by_whom or be is not None):
            # passive: "Hochstein was told by Gallant", "the raids launched by the IDF"
            agents = split_parties(resolve(by_whom, m.end()))
            if be is not None:
                patient = resolve(agent_before(sentence, be, ends), m.start())
                objects = list(split_parties(patient))
        elif after and (raw_left.endswith(("”", '"')) or before_ref is None):
            agents = split_parties(resolve(after, m.start()))
            objects = objects_after(sentence, m.end(), spans)[1:]
        elif tense == "ing" and (raw_left.endswith(",") or prior in ("by", "and")):
            # "…, calling him", "responded by striking targets and killing …"
            agents = previous or split_parties(subject)
            objects = objects_after(sentence, m.end(), spans)
        elif before_ref is None and prior == "and" and previous_kind == kind:
            agents = previous  # "Hochstein said … and warned …" (not "localized and targeted")
            objects = objects_after(sentence, m.end(), spans)
        else:
            if before_ref is None and tense != "past":
                continue  # a base, "-s" or "-ing" form with no agent before it: a noun
            agents = split_parties(resolve(before_ref, m.start()))
            objects = objects_after(sentence, m.end(), spans)
        role = Role(m.group(1), lemma, kind, agents, tuple(objects))
        found.roles.append(role)
        if agents:
            previous, previous_kind = agents, kind
    for acc in re.finditer(r"\baccording to\b", sentence):
        if (ref := name_at(sentence, acc.end(), ends)) and (who := resolve(ref, acc.start())):
            found.roles.append(Role("according to", "say", SPEECH, split_parties(who)))
    return found


def passage_roles(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """The roles of each sentence span of a passage, "he" and "the minister" resolved."""
    context = Context()
    found = []
    for start, end in spans:
        sentence = sentence_roles(text[start:end], context, start)
        named = [a for r in sentence.roles for a in r.agents]
        if named or sentence.subject:
            context.last = named[0] if named else sentence.subject
        found.append(sentence)
    return found


def claim_roles(claim: str) -> list[Role]:
    """The roles of a claim read alone: only agents it names count."""
    return sentence_roles(claim).roles
