"""How an answer says when it is from: the newest cited date, and undated sources named."""

from __future__ import annotations

from rag.answer import Answer, Citation


def _cite(n: int, doc: str, date: str) -> Citation:
    return Citation(n=n, doc=doc, title="", date=date, source="", url="", quote="q", score=1.0)


def test_as_of_names_the_newest_date_and_does_not_hide_undated_sources() -> None:
    dated = Answer(
        "q",
        "a",
        False,
        "extractive",
        citations=[_cite(1, "a", "2024-01-04"), _cite(2, "b", "2024-10-01")],
    )
    assert dated.as_of == "2024-10-01"
    assert dated.as_of_note == "As of 2024-10-01 (the newest article cited)."
    mixed = Answer(
        "q", "a", False, "extractive", citations=[_cite(1, "a", "2024-01-04"), _cite(2, "c", "")]
    )
    assert mixed.as_of_note == (
        "As of 2024-01-04, the newest dated article cited; 1 cited "
        "article gives no date and may be newer."
    )
    undated = Answer(
        "q", "a", False, "extractive", citations=[_cite(1, "c", ""), _cite(2, "d", "")]
    )
    assert undated.as_of == "" and undated.as_of_note == (
        "None of the 2 cited articles gives a date."
    )
    assert Answer("q", "a", True, "extractive").as_of_note == ""


def test_terminal_text_loses_escape_codes_and_direction_overrides() -> None:
    from rag.answer_text import for_terminal, render_text

    title = "Harmless\x1b[2J\x1b]0;pwned\x07 title \u202eevil\u202c"
    assert for_terminal(title) == "Harmless title evil"
    cite = Citation(
        n=1, doc="a", title=title, date="", source="\x1b[31mRed", url="", quote="q\x07", score=1.0
    )
    shown = render_text(Answer("q", "It is so [1]", False, "extractive", citations=[cite]))
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "Harmless title evil" in shown


def test_an_answer_kept_before_short_sure_existed_reads_its_short_answer_as_bold() -> None:
    """Kept conversations and eval rows written when a short answer was only ever given in
    bold load with `short_sure` set; a new answer keeps what it says."""
    new = Answer("q", "Amos Hochstein met Gallant. [1]", False, "extractive")
    new.short_answer = "Amos Hochstein"
    data = new.to_json()
    assert data["short_sure"] is False and Answer.from_json(data).short_sure is False
    old = {k: v for k, v in data.items() if k != "short_sure"}
    assert Answer.from_json(old).short_sure is True
    assert Answer.from_json({**old, "short_answer": None}).short_sure is False
