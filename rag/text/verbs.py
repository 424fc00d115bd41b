"""The speech and action verbs whose agent a claim must get right, and their written forms.

A fixed list, no model. Speech verbs (say, tell, call, warn, stress, …) are one kind, as a
faithful paraphrase may write "said" for "stressed"; action verbs are grouped by meaning
(kill / assassinate, strike / attack, meet, speak / talk / discuss, …). Meeting and talking
are symmetric: "Austin met Gallant" is "Gallant met Austin". Each lemma is known in its base,
"-s", past and "-ing" forms. `FINITE` is the other list: the words that make a verb of a
sentence's own ("was", "said", "took", any "-ed"), which tell a clause's verb from the names
and nouns around it. What it leaves out: telling a verb from a noun of the same spelling
("the call") and finding who did it (`rag.text.roles`).
"""

from __future__ import annotations

import re

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
ADDRESSED_LEMMAS = {"tell", "inform", "brief", "update", "assure"}
ADDRESSED_KINDS = {
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


def _verb_forms() -> dict[str, tuple[str, str, str]]:
    """Every written form of every listed verb: (lemma, kind, tense); a form two lemmas
    share ("hit", "beat") belongs to the first listed."""
    found: dict[str, tuple[str, str, str]] = {}
    for kind, lemmas in [(SPEECH, _SPEECH_VERBS), *_ACTION_VERBS.items()]:
        for lemma in lemmas.split():
            for form, tense in _forms(lemma).items():
                found.setdefault(form, (lemma, kind, tense))
    return found


VERB_FORMS = _verb_forms()  # form: (lemma, kind, tense)
# A listed verb form as a whole word, in group 1 (longest forms first).
VERB = re.compile(
    r"(?<![\w’'\-])(" + "|".join(sorted(VERB_FORMS, key=len, reverse=True)) + r")(?![\w’'\-])"
)

# A verb of a sentence's own (a finite verb, or one of the little words that make one), as a
# whole word: irregular pasts news writes most, as a fixed list, and any "-ed" word. It reads
# "the documents seized" as a verb too; callers look at where it stands.
FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|could|can|may|might|has|have|had|remains?|appears?|"
    r"shows?|says?|said|told|took|rose|fell|came|went|began|became|grew|saw|gave|got|made|led|"
    r"left|won|lost|hit|ran|sank|stood|held|kept|sent|put|set|brought|found|met|paid|sold|"
    r"spent|built|struck|fought|caught|chose|drove|flew|wrote|spoke|broke|shot|fled|threw|"
    r"knew|drew|sought|\w+ed)\b"
)
