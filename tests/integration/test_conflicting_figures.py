"""Disagreeing figures are set side by side only when they count the same thing: a ferry
crossing's minutes are not a death toll, and people displaced are not people killed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rag import Assistant, Filters, Settings

ARTICLES = {
    "ferry.txt": "Harbour ferry timetable changes\ndate 2024-05-02\n\nThe new ferry crossing "
    "from Lindholm to the harbour now takes 40 minutes, the operator said.\n"
    "Ferries will leave every hour from the harbour terminal from June.\n",
    "capsized.txt": "Ferry capsizes near harbour\ndate 2024-05-10\n\nThe ferry crossing to the "
    "harbour ended in disaster when 12 people died after the ferry capsized, "
    "officials said.\nMany homes near the harbour were damaged by the storm.\n",
    "floods_killed.txt": "Floods in Norland\ndate 2024-05-03\n\nAt least 30 people were killed "
    "by the floods in Norland, the regional government said.\nRescue teams "
    "were still searching the valley on Friday.\n",
    "floods_displaced.txt": "Norland flood shelters fill\ndate 2024-05-06\n\nMore than 5,000 "
    "people were displaced by the floods in Norland, aid agencies said.\n"
    "Schools in the valley have been turned into shelters.\n",
    "floods_toll.txt": "Norland flood toll rises\ndate 2024-05-08\n\nThe floods in Norland have "
    "now killed 41 people, the regional government said on Wednesday.\n"
    "Roads into the valley remain closed.\n",
    "poll.txt": "Ostland longevity poll\ndate 2024-05-04\n\nA poll of 1,527 Ostland adults "
    "asked them whether they would like to live to 100, the pollster said.\n",
    "poll_method.txt": "How the Ostland longevity survey was done\ndate 2024-05-09\n\nThe "
    "survey of 810 Ostland adults on whether they would like to live to 100 was conducted by "
    "phone.\n",
    "sale.txt": "Borealis buys Ostland Telecom\ndate 2024-05-05\n\nBorealis Capital "
    "completed its $44 billion purchase of Ostland Telecom on Tuesday, the company said.\n",
    "sale_price.txt": "A record price for Ostland Telecom\ndate 2024-05-07\n\nBorealis "
    "Capital paid $44,000,000,000 for Ostland Telecom, the largest purchase of an Ostland "
    "company.\n",
}
MAY = Filters(since=date(2024, 5, 1), until=date(2024, 5, 31))


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder: Path = tmp_path_factory.mktemp("figures-articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path_factory.mktemp("store")))
    report = assistant.ingest([folder], progress=False)
    assert len(report.added) == len(ARTICLES) and not report.problems
    return assistant


def test_minutes_are_not_set_beside_a_death_toll(assistant: Assistant) -> None:
    answer = assistant.ask("How long is the ferry crossing to the harbour?", MAY)
    assert not answer.abstained and answer.conflicts == []
    assert "different figures" not in answer.answer and "40" in answer.answer
    assert all(c.doc == "ferry.txt" for c in answer.citations)


def test_people_displaced_are_not_set_beside_people_killed(assistant: Assistant) -> None:
    answer = assistant.ask("How many people were affected by the floods in Norland?", MAY)
    assert not answer.abstained
    # Two death tolls may disagree (41 against at least 30); a toll beside people displaced may not.
    for figures in answer.conflicts:
        assert not {"floods_displaced.txt", "floods_killed.txt"} <= {f.doc for f in figures}


def test_two_death_tolls_still_disagree(assistant: Assistant) -> None:
    answer = assistant.ask("How many people were killed by the floods in Norland?", MAY)
    assert answer.answer.startswith("The articles give different figures")
    assert [f.doc for f in answer.conflicts[0]] == ["floods_toll.txt", "floods_killed.txt"]


def test_a_share_asked_for_is_not_set_beside_counts(assistant: Assistant) -> None:
    """RealTime QA: "What percentage of UK adults would like to live to 100?" listed 1,527 and
    810 (the polls' sizes) as disagreeing figures; a count cannot answer "what percentage"."""
    answer = assistant.ask("What percentage of Ostland adults would like to live to 100?", MAY)
    assert answer.conflicts == [] and "different figures" not in answer.answer


def test_one_figure_written_two_ways_is_not_a_disagreement(assistant: Assistant) -> None:
    """Asked how much Musk paid for Twitter, the answer said the articles gave different
    figures: "$44 billion" and "$44,000,000,000" (its values were read without "billion")."""
    answer = assistant.ask("How much did Borealis Capital pay for Ostland Telecom?", MAY)
    assert not answer.abstained and answer.conflicts == []
    assert "different figures" not in answer.answer and "44" in answer.answer
