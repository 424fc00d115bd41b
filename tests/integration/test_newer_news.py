"""A question naming no time is about the news as it stands: asked in the days after a
newer report, the answer leads with it; older reports still follow, with their dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rag import Assistant
from rag.settings import Settings

RECORDS = [
    {
        "id": "cup-2021",
        "title": "Lightning win the Stanley Cup Final again",
        "date": "2021-07-08",
        "source": "icewire.example",
        "text": "The Tampa Bay Lightning won the Stanley Cup Final on Wednesday, beating the "
        "Montreal Canadiens 1-0 in Game 5. It is the second year running that Tampa Bay has "
        "won the Stanley Cup Final, and the team paraded the Cup through Tampa on Saturday.",
    },
    {
        "id": "cup-2022",
        "title": "Avalanche are champions",
        "date": "2022-06-27",
        "source": "icewire.example",
        "text": "The Colorado Avalanche beat the Tampa Bay Lightning 2-1 in Game 6 on Sunday to "
        "win the Stanley Cup, their first title since 2001. Cale Makar was named the most "
        "valuable player of the playoffs.",
    },
]


def test_the_newer_report_leads_in_its_days_and_the_older_one_still_follows(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "cup.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ingest([feed], progress=False)
    question = "who won the stanley cup"

    then = assistant.ask(question, as_of=date(2022, 6, 29))
    assert then.passages[0].doc == "cup-2022"
    assert [c.doc for c in then.citations][:2] == ["cup-2022", "cup-2021"]
    assert "Colorado Avalanche" in then.citations[0].quote
    # months later neither article is from the days before the question: read as undated
    later = assistant.ask(question, as_of=date(2022, 9, 1))
    anytime = assistant.ask(question)
    assert [c.quote for c in later.citations] == [c.quote for c in anytime.citations]
