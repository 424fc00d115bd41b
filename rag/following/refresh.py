"""Refreshing a topic: a new briefing version when articles it admits have arrived.

The store's registry says which article versions the topic's filters admit (ids and content
hashes); when none is new or changed since the last version, the refresh ends there, with no
model work. Otherwise the briefing is rebuilt and compared with the last version
(`rag.following.changes`); "What changed" goes at the top of its Markdown, and the version
is kept (`rag.following.topics`). What it leaves out: when refreshes happen (`rag topic
refresh`, `rag watch` after a poll that stored something).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from rag.briefing import Briefing, build_briefing, render_markdown
from rag.briefing.model import Change, Line
from rag.following.changes import arrived_lines, mentions, what_changed
from rag.following.topics import Mention, Topic, Topics, Version
from rag.retrieval import Filters

if TYPE_CHECKING:
    from rag.assistant import Assistant
    from rag.index.registry_records import ArticleRecord


@dataclass
class Refreshed:
    """What a refresh did: `status` is "first" (the topic's first briefing), "changed",
    "nothing new" (articles arrived, none added a fact), "no new articles" or "no articles"
    (none stored within its dates and outlets)."""

    topic: Topic
    status: str
    arrived: int = 0  # articles within its dates and outlets, new or changed since
    cited: int = 0  # of those, how many the new briefing cites
    changes: list[Change] = field(default_factory=list)
    # lines of the new briefing all of whose articles arrived: what "new" was chosen from
    candidates: list[Line] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for a terminal or a log."""
        name = self.topic.name
        if self.status == "no articles":
            return f"{name}: no stored article is within its dates and outlets yet"
        if self.status == "no new articles":
            return f"{name}: no new articles since the last briefing"
        if self.status == "first":
            return f"{name}: first briefing made"
        kinds = {k: sum(c.kind == k for c in self.changes) for k in ("new", "moved", "event")}
        said = ", ".join(
            f"{n} {word}"
            for n, word in (
                (kinds["new"], "new fact(s)"),
                (kinds["moved"], "figure(s) moved"),
                (kinds["event"], "new timeline event(s)"),
            )
            if n
        )
        return f"{name}: {self.cited} of {self.arrived} new article(s) on it; " + (
            said or "nothing new on the topic"
        )


MENTIONS_KEPT = 400  # lines a topic remembers having said, newest first


def remembered(briefing: Briefing, last: Version | None) -> list[Mention]:
    """What the topic has said: this briefing's lines, then the earlier versions' lines it
    no longer shows (a fact pushed out by newer ones is still not news when repeated)."""
    now = mentions(briefing)
    shown = {m.text for m in now}
    earlier = [m for m in (last.mentions if last else []) if m.text not in shown]
    return (now + earlier)[:MENTIONS_KEPT]


def _first_arrived_day(library: dict[str, ArticleRecord], arrived: set[str]) -> date | None:
    """The date of the oldest dated article that arrived: where the news begins."""
    days = [library[d].date for d in arrived if library[d].date]
    return date.fromisoformat(min(days)) if days else None


def _newer(topic: Topic, since: date | None) -> Filters | None:
    """The topic's filters from `since`, the day the news that arrived begins: what the
    briefing leans towards, so the news of the week is read even when older articles rank
    higher on the topic as a whole (None: no arrived article is dated)."""
    if since is None:
        return None
    base = topic.filters
    return Filters(since=since, until=base.until, sources=base.sources)


def refresh(assistant: Assistant, topics: Topics, topic: Topic, force: bool = False) -> Refreshed:
    """Rebuild `topic`'s briefing if articles it admits arrived since its last version (or
    `force`), keep the new version, and say what changed."""
    library = assistant.library()
    seen = {d: r.content_hash for d, r in library.items() if topic.filters.admits(r)}
    last = topic.latest
    arrived = {d for d, h in seen.items() if last is None or last.articles.get(d) != h}
    if not seen:
        return Refreshed(topic, "no articles")
    if last is not None and not arrived and not force:
        return Refreshed(topic, "no new articles")
    news_since = _first_arrived_day(library, arrived)
    briefing = build_briefing(
        assistant,
        topic.words,
        topic.filters,
        prefer=_newer(topic, news_since) if last else None,
    )
    candidates = arrived_lines(briefing, arrived) if last else []
    changes = what_changed(briefing, last.mentions, candidates, news_since) if last else []
    if last is not None:
        briefing.changes, briefing.changed_since = changes, last.made_at
        cited = {(f.doc, f.text): n for n, f in enumerate(briefing.footnotes, start=1)}
        for change in changes:  # the old figure's quote is a footnote (its own, if need be)
            if change.was is not None:
                quote = change.was.sentences[0]
                if (quote.doc, quote.text) not in cited:
                    briefing.footnotes.append(quote)
                    cited[(quote.doc, quote.text)] = len(briefing.footnotes)
                change.was.numbers = [cited[(quote.doc, quote.text)]]
    version = Version(
        made_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        articles=seen,
        markdown=render_markdown(briefing),
        mentions=remembered(briefing, last),
        changes=[c.kind for c in changes],
    )
    # as it is on disk now: a reader may have opened it, or another refresh kept a version
    kept = topics.change(topic.name, lambda t: t.versions.append(version))
    if kept is not None:
        topic.versions, topic.read_by = kept.versions, kept.read_by
    status = "first" if last is None else "changed" if changes else "nothing new"
    on_it = len({s.doc for s in briefing.footnotes} & arrived)
    return Refreshed(topic, status, len(arrived), on_it, changes, candidates)
