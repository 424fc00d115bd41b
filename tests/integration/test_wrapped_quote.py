"""A hard-wrapped plain-text article is quoted on one line (found using the UI: the chat
showed the line break inside the quote, and in a list of figures it would end the item)."""

from __future__ import annotations

from pathlib import Path

from rag import Assistant, Settings


def test_a_wrapped_sentence_is_quoted_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bridge.txt").write_text(
        "---\ntitle: Northport harbour bridge to reopen\ndate: 2024-03-01\n---\n"
        "The Northport harbour bridge will reopen on March 3, city engineers said on Friday, "
        "after\nrepairs that cost 4.2 million dollars and took eleven weeks.\n"
        "Traffic will be limited to one lane in each direction until April.\n",
        encoding="utf-8",
    )
    # bold bar 0: the short answer is always shown, so its span is checked for the break too
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "store", bold_bar=0.0))
    assistant.ingest([folder], progress=False)
    answer = assistant.ask("How much did the Northport bridge repairs cost?")
    assert answer.short_answer == "4.2 million"
    assert "after repairs that cost 4.2 million dollars" in answer.answer
    assert "\n" not in answer.answer.split("\n\n")[0]
    assert "after\nrepairs" in answer.citations[0].quote  # the citation quotes the article as is
