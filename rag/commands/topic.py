"""`rag topic`: follow a story — saved briefings that say what changed since last time.

`add` saves a topic (its words, outlets and dates) under a name; `refresh` rebuilds the
briefing of each topic (or one) that has new articles and prints what changed; `show` prints
the newest briefing and marks it read; `list` says which topics have news; `remove` forgets
one. Registered by `rag.cli`; topics themselves are `rag.following`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from rag.console import (
    Since,
    Sources,
    Until,
    fail,
    filters_from_options,
    load_settings,
    open_assistant,
    quiet_libraries,
)
from rag.text.dates import minute_utc

if TYPE_CHECKING:
    from rag.following import Topic, Topics

topic_app = typer.Typer(
    no_args_is_help=True,
    help="Follow a story: saved briefings that say what changed since you last read them.",
)


def _topics() -> Topics:
    from rag.following import Topics

    return Topics(load_settings().topics_dir)


def _get(topics: Topics, name: str) -> Topic:
    """The topic named so, or one error line: none by that name, or its file is damaged."""
    try:
        topic = topics.get(name)
    except ValueError as err:
        fail(str(err))
    return topic or fail(f"no topic named {name!r} (see `rag topic list`)")


@topic_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="What to call the topic, e.g. 'Hurricane Ian'.")],
    words: Annotated[
        Optional[str], typer.Argument(help="What its briefing is about (default: the name).")
    ] = None,
    since: Since = None,
    until: Until = None,
    source: Sources = None,
) -> None:
    """Save a topic to follow; `rag topic refresh NAME` makes its first briefing."""
    from rag.following import Topic

    filters = filters_from_options(since, until, source)  # checks the dates
    topic = Topic(
        name=name.strip(),
        words=(words or name).strip(),
        since=filters.since.isoformat() if filters.since else "",
        until=filters.until.isoformat() if filters.until else "",
        sources=list(filters.sources),
    )
    try:
        _topics().add(topic)
    except ValueError as err:
        fail(str(err))
    typer.echo(f"Following {topic.name!r}; `rag topic refresh` makes its first briefing.")


@topic_app.command("list")
def list_topics() -> None:
    """The topics, with their last briefing and whether it has news you have not read."""
    kept = _topics()
    topics = kept.list()
    for problem in kept.problems:
        typer.echo(f"warning: {problem}", err=True)
    if not topics:
        typer.echo('No topics yet: `rag topic add "Hurricane Ian"` starts one.')
        return
    for t in topics:
        last = t.latest
        when = minute_utc(last.made_at) if last else "no briefing yet"
        flag = "new  " if t.unread() else "     "
        scope = ", ".join(
            p for p in (t.since and f"since {t.since}", t.until and f"until {t.until}") if p
        )
        typer.echo(f"{flag}{t.name}  ·  {t.words}  ·  {when}" + (f"  ·  {scope}" if scope else ""))


@topic_app.command("show")
def show(name: Annotated[str, typer.Argument(help="The topic's name.")]) -> None:
    """Print the topic's newest briefing (with what changed) and mark it read."""
    topics = _topics()
    topic = _get(topics, name)
    if topic.latest is None:
        fail(f"{name!r} has no briefing yet; `rag topic refresh {name!r}` makes one", 1)
    typer.echo(topic.latest.markdown)
    topics.mark_read(topic.name)


@topic_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The topic's name.")]) -> None:
    """Stop following a topic (its briefings go with it; articles stay stored)."""
    if not _topics().remove(name):
        fail(f"no topic named {name!r} (see `rag topic list`)", 1)
    typer.echo(f"Stopped following {name!r}.")


@topic_app.command("refresh")
def refresh(
    name: Annotated[Optional[str], typer.Argument(help="One topic (default: every topic).")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even when no article arrived.")] = False,
) -> None:
    """Rebuild the briefing of each topic that has new articles; say what changed."""
    quiet_libraries()
    from rag.following import refresh as refresh_topic

    topics = _topics()
    chosen = [_get(topics, name)] if name else topics.list()
    for problem in topics.problems:
        typer.echo(f"warning: {problem}", err=True)
    if not chosen:
        fail('no topics yet: `rag topic add "Hurricane Ian"` starts one', 1)
    assistant = open_assistant(need_articles=True)
    for topic in chosen:
        done = refresh_topic(assistant, topics, topic, force=force)
        typer.echo(done.summary)
        if done.changes:
            typer.echo(f"  `rag topic show {topic.name!r}` shows the briefing and what changed.")
