"""Stories: a wire copy under two outlets is one story cited with both; an update replaces the
old version and stays in its story; `rag docs` shows stories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.index.stories import group
from rag.settings import Settings
from tests.helpers import run_rag

WIRE = (
    "The city council of Ashford voted on Tuesday to build a new water treatment plant "
    "on the east bank of the river, ending a three-year dispute over the site. The new plant "
    "will cost $48 million and is expected to open in 2027, according to the "
    "council's budget office. Mayor Helen Ruiz said the vote was the most important the "
    "council had taken in a decade and thanked residents who had campaigned for cleaner "
    "water. Opponents had argued that the east bank site floods every few years and that "
    "a plant on the hill north of town would be safer, though more expensive. The council "
    "said engineers had found ways to raise the building above the flood line. Work is "
    "scheduled to begin in the spring once the state approves the permits."
)
OTHER = (
    "A freight train derailed near Millbrook on Sunday night, spilling grain across two "
    "fields but injuring no one, the rail company said. Crews worked through Monday to "
    "clear the line, and passenger services between Millbrook and Dover were replaced by "
    "buses for the day. The company said it was investigating whether a broken rail had "
    "caused the derailment and that the line would reopen on Tuesday morning. Farmers "
    "whose fields were covered in grain said they had not yet been told who would pay "
    "for the clean-up, which could take a week."
)


def _feed(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _wire_records() -> list[dict]:
    return [
        {
            "id": "ap-1",
            "title": "Ashford votes for water plant",
            "date": "2026-03-03",
            "source": "apnews.com",
            "url": "https://apnews.com/ashford-water",
            "text": WIRE,
        },
        {
            "id": "star-1",
            "title": "Council backs east bank plant",
            "date": "2026-03-04",
            "source": "ashfordstar.com",
            "url": "https://ashfordstar.com/news/water",
            "text": "By The Associated Press\n\n" + WIRE + "\n\nRead more local news here.",
        },
        {
            "id": "rail-1",
            "title": "Freight train derails",
            "date": "2026-03-02",
            "source": "dovernews.com",
            "url": "https://dovernews.com/train",
            "text": OTHER,
        },
    ]


@pytest.mark.slow
def test_wire_copy_under_two_outlets_is_one_story_cited_twice(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.jsonl", _wire_records())
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ingest([feed], progress=False)
    records = assistant.library()
    assert records["ap-1"].story == records["star-1"].story == "ap-1"
    assert records["rail-1"].story == "rail-1"

    answer = assistant.ask("How much will the Ashford water treatment plant cost?")
    assert not answer.abstained and "48 million" in answer.answer
    # one copy's passages, the other outlet riding along: never both copies as passages
    assert len({p.doc for p in answer.passages} & {"ap-1", "star-1"}) == 1
    cited = next(c for c in answer.citations if "48 million" in c.quote)
    assert cited.outlets == ["apnews.com", "ashfordstar.com"] or cited.outlets == [
        "ashfordstar.com",
        "apnews.com",
    ]
    assert (
        "also reported by"
        in run_rag(
            "ask",
            "How much will the Ashford water plant cost?",
            env={"RAG_DATA_DIR": str(tmp_path / "data")},
        ).stdout
    )

    listing = run_rag("docs", env={"RAG_DATA_DIR": str(tmp_path / "data")})
    assert listing.returncode == 0, listing.stderr
    assert "story ap-1: 2 copies (apnews.com, ashfordstar.com)" in listing.stdout
    listed = json.loads(
        run_rag("docs", "--json", env={"RAG_DATA_DIR": str(tmp_path / "data")}).stdout
    )
    assert {r["doc"]: r["story"] for r in listed} == {
        "ap-1": "ap-1",
        "star-1": "ap-1",
        "rail-1": "rail-1",
    }
    assert not any("minhash" in r for r in listed)  # a signature is no reading matter


def test_updated_version_replaces_the_old_one_and_stays_in_its_story(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assistant = Assistant.from_settings(Settings(data_dir=data))
    records = _wire_records()
    feed = _feed(tmp_path / "feed.jsonl", records)
    assistant.ingest([feed], progress=False)
    # the outlet re-posts its story, updated, under a new url: same title, a day later
    updated = (
        WIRE.replace("$48 million", "$52 million")
        + " Update: the state approved the permits on Thursday."
    )
    second = _feed(
        tmp_path / "update.jsonl",
        [
            {
                "id": "ap-2",
                "title": "Ashford votes for water plant",
                "date": "2026-03-05",
                "source": "apnews.com",
                "url": "https://apnews.com/ashford-water?v=2",
                "text": updated,
            }
        ],
    )
    assistant.ingest([second], progress=False)
    stored = assistant.library()
    assert stored["ap-2"].story == "ap-1"  # stays in its story
    assert stored["ap-1"].superseded_by == "ap-2"
    answer = assistant.ask("How much will the Ashford water treatment plant cost?")
    assert "ap-1" not in {p.doc for p in answer.passages}
    assert "52 million" in answer.answer and "48 million" not in answer.answer
    # asked as of a day before the update existed, the older version still answers
    earlier = assistant.ask(
        "How much will the Ashford water treatment plant cost?", as_of=date(2026, 3, 4)
    )
    assert "48 million" in earlier.answer and "52 million" not in earlier.answer

    # the same article id edited in place keeps its story too
    records[1]["text"] = records[1]["text"].replace("Mayor Helen Ruiz", "Mayor Helen R. Ruiz")
    _feed(feed, records)
    report = assistant.ingest([feed], progress=False)
    assert report.updated == ["star-1"]
    assert assistant.library()["star-1"].story == "ap-1"

    # deleting the update brings the older version back
    assert assistant.delete("ap-2")
    assert not assistant.library()["ap-1"].superseded_by
    # and undoing the delete makes the update the current version again
    assert assistant.restore("ap-2")
    assert assistant.library()["ap-1"].superseded_by == "ap-2"
    again = assistant.ask("How much will the Ashford water treatment plant cost?")
    assert "52 million" in again.answer and "48 million" not in again.answer


def test_grouping_tells_copies_from_different_reports() -> None:
    stories = group(
        [
            ("a", WIRE, "2026-03-03"),
            ("b", "AP — " + WIRE + " Follow us for more.", "2026-03-04"),
            ("c", OTHER, "2026-03-04"),
            ("d", "too short to judge", "2026-03-04"),
        ]
    )
    assert stories == {"a": "a", "b": "a", "c": "c", "d": "d"}


def test_a_shared_template_weeks_apart_is_not_a_copy() -> None:
    """Two daily newsletters sharing their boilerplate half: a copy only within days."""
    template = WIRE
    monday = template + " " + OTHER
    later = (
        template
        + " "
        + OTHER.replace("freight", "coal")
        .replace("Millbrook", "Ashby")
        .replace("grain", "coal dust")
        .replace("Dover", "Kent")
    )
    near = group([("m", monday, "2026-03-02"), ("t", later, "2026-03-04")])
    far = group([("m", monday, "2026-03-02"), ("t", later, "2026-04-20")])
    assert near["t"] == "m" and far["t"] == "t"


def test_an_article_bridging_two_stories_joins_them_whatever_the_order() -> None:
    """The same articles make the same stories in any arrival order (32 articles
    made 5 stories serially and 6 concurrently). A copy of both a Monday and a following
    Wednesday report joins them, though the two are too far apart to be copies directly."""
    import itertools
    import random

    rng = random.Random(23)
    words = [f"w{rng.randrange(10_000)}" for _ in range(400)]
    core, before, after = words[:200], words[200:300], words[300:400]
    monday = ("mon", " ".join(before + core), "2026-03-02")
    friday = ("fri", " ".join(core), "2026-03-06")  # within days of both
    later = ("tue", " ".join(core + after), "2026-03-10")  # 8 days after Monday
    for order in itertools.permutations([monday, friday, later]):
        assert group(list(order)) == {"mon": "fri", "fri": "fri", "tue": "fri"}, order
    assert group([monday, later]) == {"mon": "mon", "tue": "tue"}  # no bridge: apart
