"""`rag eval stories`: grouping a corpus file as ingest would, with the figures it prints."""

from __future__ import annotations

import json
from pathlib import Path

from eval.stories import report

BODY = (
    "The council voted on Tuesday to build a water treatment plant on the east bank of the "
    "river, ending a three-year dispute over the site, and the mayor thanked the residents "
    "who had campaigned for cleaner water for years. Work begins in spring."
)
OTHER = (
    "A freight train derailed near Millbrook on Sunday night, spilling grain across two "
    "fields but injuring no one, the rail company said, and crews cleared the line by "
    "Monday while buses replaced the passenger trains for the day."
)


def test_copies_counted_largest_listed_and_pairs_laid_out(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "title": "Plant approved",
            "date": "2022-06-01",
            "source": "ap.org",
            "text": BODY,
        },
        {
            "id": "b",
            "title": "Council backs plant",
            "date": "2022-06-02",
            "source": "star.com",
            "text": "By AP. " + BODY,
        },
        {
            "id": "c",
            "title": "Train derails",
            "date": "2022-06-02",
            "source": "ap.org",
            "text": OTHER,
        },
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    figures, pairs = report(corpus, pairs=5)
    assert "articles: 3" in figures and "stories: 2" in figures
    assert "stories with copies: 1 holding 2 articles" in figures
    assert "2 × a ap.org 2022-06-01 'Plant approved'" in figures
    assert pairs.count("\n") == 2 and "| a ap.org 2022-06-01" in pairs and "b star.com" in pairs
