"""A question asking for a country or a US state is answered by one, not by its leader."""

from __future__ import annotations

from rag.text.answer_kinds import answer_spans
from rag.text.asked_kind import asked_place
from rag.text.places import is_place_of, places_in
from rag.text.question import Question


def test_the_noun_after_which_says_a_country_or_a_state_is_asked_for() -> None:
    assert asked_place("The prime minister of which European nation stepped down?") == "country"
    assert asked_place("In which country did the quake strike?") == "country"
    assert asked_place("Which island nation plunged into chaos in recent days?") == "country"
    assert asked_place("Which state has the most confirmed cases of monkeypox?") == "state"
    # the context before the asking sentence does not decide
    assert asked_place("A nation mourns. Which city held the funeral?") is None
    # a possessive asks for another thing; other places are not on the lists
    assert asked_place("Which state's governor signed the law?") is None
    assert asked_place("Which Japanese island erupted?") is None
    assert asked_place("Who is the prime minister?") is None
    # "what" asking on its own, "state" qualifying a noun after it
    assert asked_place("What had state officials used to build the wall?") is None


def test_countries_and_states_by_the_names_news_writes() -> None:
    for name in ("Japan", "the Philippines", "U.S.", "Britain", "North Korea", "united kingdom"):
        assert is_place_of(name, "country"), name
    for name in ("Jordan and Saudi Arabia", "Trinidad and Tobago", "Israel, Jordan and Egypt"):
        assert is_place_of(name, "country"), name  # "What countries did Blinken tour?"
    assert not is_place_of("Japan and Kyushu", "country")
    for name in ("New York", "California", "Washington, D.C."):
        assert is_place_of(name, "state"), name
    for name in ("Shinzo Abe", "Kyushu", "Japanese", "Commission", "Singapore Airlines"):
        assert not is_place_of(name, "country"), name
    assert not is_place_of("Japan", "state") and not is_place_of("Atlanta", "state")


def test_a_place_is_taken_from_a_comma_separated_part_of_a_name_not_from_inside_it() -> None:
    def named(name: str, of: str) -> list[str]:
        return [name[a:b] for a, b in places_in(name, of)]

    assert named("Palm Beach, Florida", "state") == ["Florida"]
    assert named("Rome, Italy", "country") == ["Italy"]
    assert named("Washington, D.C.", "state") == ["Washington, D.C."]
    assert named("U.S. Geological Survey", "country") == []  # an agency


def test_a_country_question_is_answered_only_by_a_country_named_in_the_sentence() -> None:
    """RealTime QA: "A former prime minister of which nation was killed…" got **Shinzo Abe**,
    "Which country declared victory against Covid-19?" got **Kim Jong Un**."""
    nation = Question("A former prime minister of which nation was killed after being shot?")
    spans = answer_spans(
        "Former Prime Minister Shinzo Abe was shot in Nara, Japan.", "place", nation
    )
    assert [s[2] for s in spans] == ["Japan"]
    leader = "North Korean leader Kim Jong Un declared victory over the virus."
    assert answer_spans(leader, "place", Question("Which country declared victory?")) == []
    # a place question naming no country or state keeps every name
    city = Question("Which city hosted the summit?")
    assert [s[2] for s in answer_spans("The leaders met in Madrid, Spain.", "place", city)] == [
        "Madrid",
        "Spain",
    ]
