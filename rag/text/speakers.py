"""Whether passage sentences give a claim's named agents the roles the claim gives them.

The citation check uses it so that a claim cannot swap who said or did something: "Hochstein
told Gallant …" is not backed by "Gallant told Hochstein …", while "Defense Minister Yoav
Gallant told" backs "Gallant said" (speech verbs are one kind) and "Austin met Gallant" backs
"Gallant met Austin" (meeting is symmetric). Rules over names and verbs, no parser and no
model (none is available offline). What it leaves out: reading the roles of a sentence
(`rag.text.roles`, with `rag.text.verbs`, `rag.text.agents`, `rag.text.coreference`) and
telling names of one party apart (`rag.text.parties`).
"""

from __future__ import annotations

from rag.text.parties import has_party, same_party
from rag.text.roles import Role, Sentence, claim_roles
from rag.text.verbs import SPEECH


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
                p
                for p in same
                if has_party(agent, p.agents) or (p.symmetric and has_party(agent, p.objects))
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
                not s.roles and s.subject and has_party(agent, (s.subject,)) for s in sentences
            ):
                continue  # "Gallant maintained …": a speech verb the list does not hold
            return f"names “{agent}” as the one who {role.form}, unlike"
    return None


def _object_conflict(agent: str, role: Role, hits: list[Role]) -> str | None:
    """Whom the agent told (met, killed): a claim naming another than the passage does."""
    wanted = [o for o in role.objects if not has_party(o, role.agents)]
    if not wanted or not role.addressed:
        return None
    for p in hits:
        theirs = tuple(
            n for n in (*p.objects, *(p.agents if p.symmetric else ())) if not same_party(n, agent)
        )
        if not theirs or any(has_party(o, theirs) for o in wanted):
            return None
    named = [n for n in hits[0].objects if not same_party(n, agent)] or ["someone else"]
    return f"names “{wanted[0]}” as the one {agent} {role.form} where it is “{named[0]}” in"
