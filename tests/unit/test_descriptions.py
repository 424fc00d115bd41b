""" "Who is X?" is answered by the sentence saying who X is: a role before the name or after it."""

from __future__ import annotations

import pytest

from rag.text.asked_kind import answer_kind
from rag.text.descriptions import asked_who_is, description_in


def _described(name: str, sentence: str) -> str | None:
    where = description_in(name, sentence)
    return sentence[where[0] : where[1]] if where else None


@pytest.mark.parametrize(
    ("name", "sentence", "role"),
    [
        # a role before the name, past its rank and first names
        (
            "kurilla",
            "Gallant briefed visiting U.S. Central Command Commander Gen. Dan Kurilla on Tuesday.",
            "U.S. Central Command Commander",
        ),
        (
            "Whitby",
            "Defense Minister Avi Tamar told US special envoy to the region Carl Whitby that time "
            "was short.",
            "US special envoy to the region",
        ),
        ("qassem", "The group warned, with senior member Naim Qassem saying so.", "senior member"),
        # an appositive after it
        (
            "Deif",
            "The strike targeted Mohammed Deif, the head of Hamas’s terror army, the army said.",
            "the head of Hamas’s terror army",
        ),
        (
            "Salameh",
            "The strike targeted Rafa’a Salameh, commander of the Khan Younis Brigade.",
            "commander of the Khan Younis Brigade",
        ),
        # in a list, the title after a comma belongs to the next person
        (
            "Orbach",
            "It was attended by Navy Chief of Staff Lt. Gen. Dana Orbach, Israel’s ambassador to "
            "the US Ruth Malkin, and other officials.",
            "Navy Chief of Staff",
        ),
        # named without a role: nothing; a verb before the name is not a role
        ("Kurilla", "In June, Kurilla visited Israel at the invitation of the army chief.", None),
        ("Whitby", "President Joe Biden dispatched Whitby to the region.", None),
        ("Tamar", "The talks went on, Tamar said.", None),
    ],
)
def test_the_role_a_sentence_gives_a_name(name: str, sentence: str, role: str | None) -> None:
    assert _described(name, sentence) == role


def test_who_is_asks_about_a_name_in_any_case_and_for_no_kind_of_answer() -> None:
    assert asked_who_is("who is deif") == "deif"
    assert asked_who_is("who's hochstein?") == "hochstein"
    assert asked_who_is("Who is Mohammed Deif?") == "Mohammed Deif"
    # a state, a holder or a longer question asks something else
    for question in ("who is responsible", "who is the lebanese foreign minister", "who is it"):
        assert asked_who_is(question) is None, question
    assert asked_who_is("who is leading the talks with hezbollah now") is None
    # "who is deif" asked for a person and got "Kurilla", named beside Deif; like "Who is
    # Mohammed Deif?" it asks for a description
    assert answer_kind("who is deif") is None
    assert answer_kind("who did deif meet") == "person"
