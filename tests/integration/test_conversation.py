"""A conversation over the seeds, offline: a topic switch stays on its own topic, a pronoun
follow-up and an elliptical one are read with the question before them."""

from __future__ import annotations



def _ask_in_turn(seeded, questions: list[str]) -> list[tuple[str, object]]:
    history: list[str] = []
    out = []
    for question in questions:
        searched = seeded.standalone(history, question)
        out.append((searched, seeded.ask(searched, mode="extractive")))
        history.append(searched)
    return out


def test_topic_switch_pronoun_and_ellipsis(seeded) -> None:
    turns = _ask_in_turn(seeded, [
        "How much did the temporary Gaza pier cost?",
        "Who is Mohammed Deif?",            # a new topic: never joined to the pier
        "What did Gallant call him?",       # "him" is Deif
        "and what did Austin confirm?",     # elliptical: leans on the turn before
    ])
    (q1, pier), (q2, deif), (q3, called), (q4, austin) = turns
    assert "$230 million" in pier.answer and pier.short_answer == "$230 million"
    assert q2 == "Who is Mohammed Deif?"
    assert "head of Hamas’s terror army" in deif.answer and "pier" not in deif.answer
    assert q3 == "Who is Mohammed Deif? What did Gallant call him?"
    assert "Osama bin Laden of Gaza" in called.answer
    assert q4.endswith("and what did Austin confirm?") and q4.startswith(q3)
    assert not austin.abstained
