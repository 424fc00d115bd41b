"""The `/ask` API's inputs are bounded before any work is done (rag.requests)."""

from __future__ import annotations

from datetime import date

import pytest

from rag import Filters, ask_request


def test_good_requests_pass_through() -> None:
    assert ask_request("  Who is Deif? ", "2024-01-01", "", ["Reuters"], 6) == (
        "Who is Deif?",
        Filters(since=date(2024, 1, 1), sources=("Reuters",)),
        6,
    )
    assert ask_request("q", None, None, None, 20.0)[2] == 20


@pytest.mark.parametrize(
    "args, message",
    [
        (("q", "", "", [], -1), "top_k: must be a whole number from 1 to 20 (got -1)"),
        (("q", "", "", [], 0), "top_k: must be a whole number from 1 to 20 (got 0)"),
        (("q", "", "", [], 100000), "top_k: must be a whole number from 1 to 20 (got 100000)"),
        (("q", "", "", [], "6"), "top_k: must be a whole number from 1 to 20 (got '6')"),
        (("q", "", "", [], True), "top_k: must be a whole number from 1 to 20 (got True)"),
        (("q", "", "", [], None), "top_k: must be a whole number from 1 to 20 (got None)"),
        (("", "", "", [], 6), "question: give a non-empty question about the articles"),
        (("   ", "", "", [], 6), "question: give a non-empty question about the articles"),
        ((["q"], "", "", [], 6), "question: give a non-empty question about the articles"),
        (("x" * 2001, "", "", [], 6), "question: 2001 characters is over the limit of 2000"),
        (("q", "last week", "", [], 6), "since: 'last week' is not a date; use YYYY-MM-DD"),
        (("q", "", 20240101, [], 6), "until: '20240101' is not a date; use YYYY-MM-DD"),
        (("q", "2024-02-01", "2024-01-01", [], 6), "since 2024-02-01 is after until 2024-01-01"),
        (("q", "", "", "Reuters", 6), "outlets: must be a list of outlet names (strings)"),
        (("q", "", "", [1, 2], 6), "outlets: must be a list of outlet names (strings)"),
        (("q", "", "", ["x"] * 51, 6), "outlets: at most 50 names of at most 200 characters"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(args: tuple, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        ask_request(*args)
    assert str(refused.value) == message
