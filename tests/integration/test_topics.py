"""Following a story: a topic's refresh says exactly what the new day's articles added.

Day one stores two articles on a ferry; day two brings a figure that moved (passengers
48,213 → 212,400), a new dated event (a second ferry on June 14), a restatement of a day-one
fact and a syndicated copy of a day-one article. The refresh lists the moved figure and the
event, each cited, and nothing the first briefing already said; a refresh with no new
article does no model work; the briefing's quotes all verify against the store.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rag import Assistant, Filters, check_briefing
from rag.following import Topic, Topics, refresh
from rag.settings import Settings
from tests.helpers import run_rag

DAY_ONE = {
    "ferry_opens.txt": """Quillhaven ferry opens to crowds

Date: 2024-05-02

The new Quillhaven ferry carried 48,213 passengers in its first week, the harbour board said.
Officials in Quillhaven said the crossing to the island now takes eleven minutes.
The ferry replaced an older vessel that had served the island since 1998, the board said.
Harbour master Elin Varga said the ferry would run every half hour until the end of summer.
""",
    "ferry_fares.txt": """Quillhaven ferry fares set by council

Date: 2024-05-03

The Quillhaven council set the ferry's adult fare at 4 pounds on Friday, after a long debate.
Councillors said the Quillhaven ferry fares would be reviewed in the autumn.
Harbour master Elin Varga said the ferry had been full on most crossings since it opened.
""",
}
DAY_TWO = {
    "ferry_month.txt": """Quillhaven ferry passenger numbers climb

Date: 2024-05-30

The Quillhaven ferry has carried 212,400 passengers since it opened, the harbour board said.
The harbour board said a second Quillhaven ferry will enter service on June 14.
""",
    # a syndicated copy of a day-one article: old news under a new id
    "ferry_fares_wire.txt": """Council sets Quillhaven ferry fares

Date: 2024-05-29

The Quillhaven council set the ferry's adult fare at 4 pounds on Friday, after a long debate.
Councillors said the Quillhaven ferry fares would be reviewed in the autumn.
""",
}


def write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def followed(settings: Settings, tmp_path: Path) -> tuple[Assistant, Topics, Topic]:
    assistant = Assistant.from_settings(settings)
    assistant.ingest([write(tmp_path / "day1", DAY_ONE)], progress=False)
    topics = Topics(settings.data_dir / "topics")
    topic = topics.add(Topic(name="Quillhaven ferry", words="Quillhaven ferry"))
    first = refresh(assistant, topics, topic)
    assert first.status == "first" and first.changes == []
    return assistant, topics, topic


def test_a_refresh_lists_what_the_new_day_added_and_nothing_said_before(
    followed: tuple[Assistant, Topics, Topic], settings: Settings, tmp_path: Path
) -> None:
    assistant, topics, topic = followed
    assistant.ingest([write(tmp_path / "day2", DAY_TWO)], progress=False)
    done = refresh(assistant, topics, topics.get("Quillhaven ferry") or topic)
    assert done.status == "changed" and done.arrived == 2
    kinds = [(c.kind, c.before, c.after) for c in done.changes]
    assert ("moved", "48,213", "212,400") in kinds
    moved = next(c for c in done.changes if c.kind == "moved")
    assert moved.what == "passengers"
    assert moved.was is not None and moved.was.sentences[0].doc == "ferry_opens.txt"
    assert moved.line.sentences[0].doc == "ferry_month.txt"
    event = next(c for c in done.changes if c.kind == "event")
    assert "June 14" in event.line.text and event.what.startswith("2024-06-14")
    # nothing from the syndicated copy, nothing the first briefing said
    for change in done.changes:
        assert all(s.doc == "ferry_month.txt" for s in change.line.sentences), change.line.text
        assert "fare" not in change.line.text
    assert len(done.changes) == 2
    # the version is kept, its Markdown opens with what changed, each line cited
    kept = topics.get("Quillhaven ferry")
    assert kept is not None and len(kept.versions) == 2 and kept.unread()
    markdown = kept.versions[-1].markdown
    section = markdown.split("## What changed since ")[1].split("## Summary")[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("- ")]
    assert len(lines) == 2
    assert lines[0].startswith("- Moved, passengers: **48,213** [")
    assert "→ **212,400** [" in lines[0]
    assert lines[1].startswith("- New on the timeline: The harbour board said a second")
    assert lines[1].endswith("] — 2024-06-14 (June 14)")
    # every quote, the old figure's included, stands in its stored article
    assert check_briefing(assistant.store, markdown) == []


def test_a_refresh_with_no_new_article_does_no_model_work(
    followed: tuple[Assistant, Topics, Topic], settings: Settings
) -> None:
    _, topics, topic = followed
    fresh = Assistant.from_settings(settings)  # as a new `rag topic refresh` process
    done = refresh(fresh, topics, topics.get(topic.name) or topic)
    assert done.status == "no new articles" and done.changes == []
    assert "embed_model" not in vars(fresh)  # the embedder was never loaded
    assert len((topics.get(topic.name) or topic).versions) == 1


def test_a_repeated_fact_from_a_new_article_is_not_news(
    followed: tuple[Assistant, Topics, Topic], tmp_path: Path
) -> None:
    assistant, topics, topic = followed
    copy = {"ferry_opens_wire.txt": DAY_ONE["ferry_opens.txt"].replace("2024-05-02", "2024-05-04")}
    assistant.ingest([write(tmp_path / "wire", copy)], progress=False)
    done = refresh(assistant, topics, topics.get(topic.name) or topic)
    assert done.status == "nothing new" and done.arrived == 1
    markdown = (topics.get(topic.name) or topic).versions[-1].markdown
    assert "Nothing new on this topic: the articles that arrived repeat what it said." in markdown


def test_topics_are_kept_by_name_and_refuse_clashes(settings: Settings) -> None:
    topics = Topics(settings.data_dir / "topics")
    topics.add(Topic(name="Hurricane Ian", words="Hurricane Ian damage", since="2022-09-25"))
    with pytest.raises(ValueError, match="exists already"):
        topics.add(Topic(name="hurricane ian", words="other"))
    with pytest.raises(ValueError, match="topic name '../x'"):
        topics.add(Topic(name="../x", words="x"))
    with pytest.raises(ValueError, match="give the words"):
        topics.add(Topic(name="Empty", words="  "))
    topics.add(Topic(name="Ukraine · war", words="Ukraine war"))
    assert [t.name for t in topics.list()] == ["Hurricane Ian", "Ukraine · war"]
    ian = topics.get("HURRICANE IAN")
    assert ian is not None and ian.filters.since is not None and not ian.unread()
    assert topics.remove("Hurricane Ian") and not topics.remove("Hurricane Ian")
    folder = settings.data_dir / "topics"
    assert len(list(folder.glob("*.json"))) == 1 and not list(folder.glob(".topic-*"))


def test_each_reader_has_their_own_news_and_no_write_loses_another(
    followed: tuple[Assistant, Topics, Topic], tmp_path: Path
) -> None:
    assistant, topics, topic = followed
    assert topic.unread("ana") and topic.unread("ben")  # the first briefing is news to all
    topics.mark_read(topic.name, "ana")
    assistant.ingest([write(tmp_path / "day2", DAY_TWO)], progress=False)
    # a reader opens the topic while the refresh is writing its briefing
    stale = topics.get(topic.name) or topic
    topics.mark_read(topic.name, "ben")
    refresh(assistant, topics, stale)
    now = topics.get(topic.name)
    assert now is not None and len(now.versions) == 2
    assert set(now.read_by) == {"ana", "ben"}  # ben's mark survived the refresh's write
    assert now.unread("ana") and now.unread("ben") and now.unread("cy")
    topics.mark_read(topic.name, "ana")
    now = topics.get(topic.name)
    assert now is not None and not now.unread("ana") and now.unread("ben")


def test_a_damaged_topic_file_is_named(settings: Settings) -> None:
    topics = Topics(settings.data_dir / "topics")
    topics.add(Topic(name="Ferry", words="ferry"))
    path = topics.path("Ferry")
    path.write_text(json.dumps({"name": "Ferry"})[:-3], encoding="utf-8")
    with pytest.raises(ValueError, match=f"{path}: not a topic file"):
        topics.get("Ferry")
    topics.add(Topic(name="Ian", words="Hurricane Ian"))
    assert [t.name for t in topics.list()] == ["Ian"]  # one bad file hides no other topic
    assert len(topics.problems) == 1 and topics.problems[0].startswith(f"{path}: not a topic")


@pytest.mark.slow  # another process writes the store
def test_articles_another_process_stored_are_found_by_a_filtered_search(
    followed: tuple[Assistant, Topics, Topic], tmp_path: Path
) -> None:
    """Embedded Chroma's engine in this process had not loaded the vectors `rag ingest` added
    in another process: a question whose dates reach only them failed ("Error finding id"),
    and so did a topic's refresh, which leans towards the new articles."""
    assistant, topics, topic = followed
    done = run_rag("ingest", str(write(tmp_path / "day2", DAY_TWO)))
    assert done.returncode == 0, done.stderr
    answer = assistant.ask(
        "How many passengers has the Quillhaven ferry carried since it opened?",
        Filters(since=date(2024, 5, 20)),
    )
    assert "212,400" in answer.answer and answer.citations[0].doc == "ferry_month.txt"
    refreshed = refresh(assistant, topics, topics.get(topic.name) or topic)
    assert refreshed.status == "changed" and refreshed.arrived == 2


def test_background_the_news_retells_and_views_are_not_what_changed(
    followed: tuple[Assistant, Topics, Topic], tmp_path: Path
) -> None:
    """The refresh lists facts of the news that arrived: a line dated before the oldest new
    article is background, and a remark mostly in quotes or an analyst's take is a view; they
    stay candidates (they are in the new briefing) but not changes. An economist's amount is a
    figure of the news, and listed."""
    assistant, topics, topic = followed
    day_two = {
        "ferry_second.txt": """Second Quillhaven ferry ordered

Date: 2024-05-30

The harbour board said a second Quillhaven ferry will enter service on June 14.
The first Quillhaven ferry made its trial crossing to the island on April 20, the board said.
"The ferry is the best thing to happen to Quillhaven in fifty years," Elin Varga said.
Transport analyst Maren Holt said the Quillhaven ferry timetable looked too ambitious for winter.
The Quillhaven ferry will bring in 3 million pounds a year, said Olaf Brandt, an economist.
"""
    }
    assistant.ingest([write(tmp_path / "day2", day_two)], progress=False)
    done = refresh(assistant, topics, topics.get(topic.name) or topic)
    candidates = [c.text for c in done.candidates]
    assert any("trial crossing" in c for c in candidates), candidates
    assert any("best thing to happen" in c for c in candidates), candidates
    assert any("too ambitious" in c for c in candidates), candidates
    changed = [c.line.text for c in done.changes]
    assert any("June 14" in c for c in changed), changed
    assert any("3 million pounds" in c for c in changed), changed  # an amount is a figure
    assert not any(
        "trial crossing" in c or "best thing" in c or "too ambitious" in c for c in changed
    ), changed


def test_what_changed_puts_events_first_then_each_articles_lead(
    followed: tuple[Assistant, Topics, Topic], tmp_path: Path
) -> None:
    """New timeline events come before other new lines (on the replays they were news far
    more often), and within each kind a line nearer its article's top comes first: news
    leads, what it adds follows. Which lines are listed does not depend on it."""
    assistant, topics, topic = followed
    day_two = {
        "ferry_winter.txt": """Quillhaven ferry to keep running through winter

Date: 2024-05-30

The harbour board said the Quillhaven ferry will keep its half-hourly crossings all winter.
The Quillhaven ferry crew will grow to twenty-two sailors, the board's report said.
The board said a new Quillhaven ferry pier will open to passengers on June 21.
"""
    }
    assistant.ingest([write(tmp_path / "day2", day_two)], progress=False)
    done = refresh(assistant, topics, topics.get(topic.name) or topic)
    listed = [(c.kind, c.line.text) for c in done.changes]
    kinds = [kind for kind, _ in listed]
    assert kinds == sorted(kinds, key=["moved", "event", "new"].index), listed
    assert kinds[0] == "event" and "June 21" in listed[0][1], listed
    new = [text for kind, text in listed if kind == "new"]
    assert any("all winter" in t for t in new) and any("twenty-two" in t for t in new), listed
    assert new.index(next(t for t in new if "all winter" in t)) < new.index(
        next(t for t in new if "twenty-two" in t)
    ), listed
