"""The citation check's pure rules on hand-made claims: what counts as a hard fact, how dates
and figures are normalised, negation, the bar for short claims, prompt echoes."""

from __future__ import annotations

import pytest

from rag.answering.citecheck import (echoes_prompt, hard_facts, missing_facts, negated,
                                     normalise, ordinary_sentence, support_bar)


@pytest.mark.parametrize("a, b", [
    ("2024-01-04", "January 4, 2024"),
    ("2024-01-04", "4 Jan 2024"),
    ("$230 million", "230 million dollars"),
    ("$230 million", "230 million US dollars"),
    ("1,200", "1200"),
])
def test_dates_and_figures_read_the_same_however_written(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_an_iso_date_in_a_claim_is_found_in_a_passage_that_writes_it_out() -> None:
    claim = "Gallant met Hochstein in Tel Aviv (2024-01-04)."
    assert "2024-01-04" in hard_facts(claim)
    assert missing_facts(claim, "On January 4, 2024, Gallant met Hochstein in Tel Aviv.") == []
    assert missing_facts(claim, "On January 5, 2024, Gallant met Hochstein in Tel Aviv.") == [
        "2024-01-04"]


def test_a_figure_must_match_with_its_scale_and_not_inside_a_longer_number() -> None:
    assert missing_facts("The dock cost $230 million.", "The 230 million dollars dock.") == []
    assert missing_facts("The dock cost $230 billion.", "The $230 million dock.") == [
        "230 billion dollars"]
    assert missing_facts("At least 84 people died.", "In 1984 people died.") == ["84"]
    assert missing_facts("Some 1,200 people were killed.", "killing some 1200 people") == []


def test_weekdays_and_month_names_are_hard_facts() -> None:
    claim = "Gallant and Austin spoke by phone on Tuesday."
    passage = "Gallant spoke overnight Wednesday with his counterpart Lloyd Austin."
    assert "tuesday" in hard_facts(claim)
    assert missing_facts(claim, passage) == ["tuesday"]
    assert missing_facts("The pier opened in May.", "The pier opened in June.") == ["may"]
    assert "may" not in hard_facts("Israel may strike Hezbollah.")  # the verb, not the month
    assert "may" in hard_facts("The pier closes mid-May.")


def test_negation_is_seen_on_either_side() -> None:
    assert negated("The United States denied any role.")
    assert negated("Hamas did not respond.") and negated("It didn’t happen.")
    assert negated("Israel rejected the offer.") and negated("He never said it.")
    assert not negated("The United States said it did.")


def test_short_claims_must_reach_a_higher_bar() -> None:
    assert support_bar("The United States said it did.", 0.5) == pytest.approx(0.7)
    assert support_bar("Gallant and Austin discussed the release of the hostages held in "
                       "Gaza.", 0.5) == 0.5


@pytest.mark.parametrize("reply", [
    "Passages:\n[1] Gallant tells US envoy ...",
    "Passage:\n[1] Israeli Defense Minister ...",
    "The dock cost $230 million [1].\nQuestion: How much did the dock cost?",
    "Rules:\n- Use only what the passages say.",
])
def test_a_reply_that_echoes_the_prompt_is_recognised(reply: str) -> None:
    assert echoes_prompt(reply)


def test_an_ordinary_answer_is_not_an_echo() -> None:
    assert not echoes_prompt("The question of the pier was raised by Austin [1]. "
                             "The rules of engagement changed [2].")
    assert not echoes_prompt("Rules of engagement were loosened in May [2].")


@pytest.mark.parametrize("text, ordinary", [
    ("Rules:", False), ("Passages:", False), ("date 2024", False), ("[2]", False),
    ("Yes, it did.", True), ("Yes.", True), ("The articles do not say.", True),
    ("84 people died.", True),
])
def test_ordinary_sentences(text: str, ordinary: bool) -> None:
    assert ordinary_sentence(text) is ordinary
