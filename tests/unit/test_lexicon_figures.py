"""The shared vocabulary: content words, names in questions, question kinds, figures."""

from __future__ import annotations

from rag.text.figures import figure_mentions, has_figure
from rag.text.lexicon import akin, counted_terms, question_entities, question_type, terms


def test_terms_are_stemmed_content_words_and_numbers() -> None:
    assert terms("The pier cost $230,000 to build") == {"pier", "cost", "230000", "build"}
    assert terms("the of and what") == set()


def test_question_entities_skip_question_words_and_sentence_starts() -> None:
    assert question_entities("What did Gallant tell Hochstein?") == ["Gallant", "Hochstein"]
    assert question_entities("How many Israelis were displaced?") == ["Israelis"]
    assert question_entities("Who is the head of Hamas's terror army?") == ["Hamas"]


def test_question_kinds() -> None:
    assert question_type("How much did the pier cost?") == "quantity"
    assert question_type("When did Gallant meet Hochstein?") == "date"
    assert question_type("Who is Mohammed Deif?") == "person"
    assert question_type("Why did the pier close?") is None
    assert counted_terms("How many Israeli soldiers were wounded?") == terms("Israeli soldiers")


def test_akin_joins_stems_the_stemmer_keeps_apart() -> None:
    assert akin("isra", "israel") and akin("north", "northern") and not akin("pier", "pie")


def test_figures_skip_years_and_days_of_dates() -> None:
    found = figure_mentions("On January 4, 2024, at least 63,500 Israelis had fled; $230 "
                            "million was spent in 2023.")
    assert [f.text for f in found] == ["at least 63,500", "$230 million"]
    assert found[0].value == 63500 and found[0].unit == "isra"
    assert not has_figure("It happened in 2024.") and has_figure("It cost 5 dollars.")
