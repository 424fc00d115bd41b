"""`rag watch`: keep the store current from news feeds, and manage the watch list.

The command is registered by `rag.cli`; polling itself is `rag.ingest.watch.poll_feeds`.
This module parses what the command line gives (feed URLs, a feeds file, a duration) and
runs the loop: poll, print a line per feed, refresh the followed topics when the poll stored
something (`rag.following`), sleep, until told to stop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from rag.console import fail, open_assistant, quiet_libraries, say_problem, yield_cpu_to_answers

if TYPE_CHECKING:
    from rag.assistant import Assistant


def watch(
    feeds: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Feed URLs (RSS, Atom, JSON Feed); they join the watch list. None: poll the "
            "watch list (the feeds watched before, here or in the UI's Library tab)."
        ),
    ] = None,
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 1h.")] = "15m",
    feeds_file: Annotated[
        Optional[Path],
        typer.Option("--feeds", help="A file of feed URLs, one a line (# starts a comment)."),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
    polls: Annotated[
        Optional[int], typer.Option(help="Poll this many times, then exit.", min=1)
    ] = None,
    listing: Annotated[
        bool, typer.Option("--list", help="List the watched feeds and their last poll, then exit.")
    ] = False,
    remove: Annotated[
        Optional[list[str]],
        typer.Option(
            "--remove", help="Stop watching this feed (repeatable); its articles stay stored."
        ),
    ] = None,
) -> None:
    """Keep the store current from news feeds: poll, store what is new or changed, repeat."""
    quiet_libraries()
    import time

    from rag.ingest.watch import poll_feeds
    from rag.ingest.web import Fetcher

    if listing or remove:
        _watch_list(remove or [], show=listing)
        return
    given = _feed_list(feeds or [], feeds_file)
    interval = _duration(every)
    yield_cpu_to_answers()
    assistant = open_assistant()
    stored_list = not given  # re-read each poll: feeds added or removed meanwhile count
    urls = given or _watched(assistant)
    fetcher = Fetcher(assistant.settings)
    limit = 1 if once else polls
    refused = False
    number = 0
    typer.echo(
        f"Watching {len(urls)} feed(s){' (the watch list)' if stored_list else ''} "
        f"every {every}; store: {assistant.store.location}",
        err=True,
    )
    try:
        while True:
            number += 1
            if stored_list and number > 1:
                urls = list(assistant.watched_feeds())
            try:
                report = poll_feeds(
                    urls, assistant, fetcher, on_problem=say_problem, listed_only=stored_list
                )
            except ValueError as err:  # a damaged state file
                fail(str(err))
            for line in report.feeds:
                typer.echo(line.line(number))
            if any(f.new or f.updated for f in report.feeds):
                _refresh_topics(assistant)
            refused = refused or report.failed
            if limit is not None and number >= limit:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo(f"Stopped after {number} poll(s).", err=True)
    finally:
        fetcher.close()
    if refused:
        raise typer.Exit(1)


def _refresh_topics(assistant: Assistant) -> None:
    """After a poll that stored something: refresh every topic with new articles, a line each
    (`rag topic show NAME` shows what changed)."""
    from rag.following import Topics, refresh

    topics = Topics(assistant.settings.topics_dir)
    for topic in topics.list():
        typer.echo(refresh(assistant, topics, topic).summary)
    for problem in topics.problems:  # a damaged topic file: the others are refreshed
        typer.echo(f"warning: {problem}", err=True)


def _watched(assistant: Assistant) -> list[str]:
    """The stored watch list, or a clear error when there is none (or it is damaged)."""
    try:
        urls = list(assistant.watched_feeds())
    except ValueError as err:
        fail(str(err))
    if not urls:
        fail(
            "no feeds given and none watched yet; e.g. rag watch "
            "https://example.com/rss.xml, or --feeds FILE"
        )
    return urls


def _watch_list(remove: list[str], show: bool) -> None:
    """`rag watch --remove URL` and `rag watch --list`: the watch list, without polling."""
    assistant = open_assistant()
    try:
        for url in remove:
            if assistant.unwatch_feed(url):
                typer.echo(f"No longer watching {url}; its articles stay stored.")
            else:
                fail(f"{url} is not a watched feed; see rag watch --list")
        if show:
            watched = assistant.watched_feeds()
            for url, state in watched.items():
                counts = state.last_counts
                brought = (
                    (
                        f"{counts.get('new', 0)} new, {counts.get('updated', 0)} updated, "
                        f"{counts.get('unchanged', 0)} unchanged, "
                        f"{counts.get('failed', 0)} failed"
                    )
                    if state.polls
                    else "never polled"
                )
                typer.echo(
                    f"{url}\t{state.title or '(untitled)'}\tlast polled "
                    f"{state.last_poll or 'never'}: {state.last_result or '-'}; {brought}"
                )
            if not watched:
                typer.echo(
                    "No feeds are watched; add one with rag watch URL or in the UI's Library tab.",
                    err=True,
                )
    except ValueError as err:  # a damaged state file
        fail(str(err))


def _feed_list(given: list[str], listing: Optional[Path]) -> list[str]:
    """The feeds named on the command line and in the --feeds file, each once (may be none:
    then the stored watch list is polled)."""
    from rag.ingest.urls import is_url

    urls = list(given)
    if listing is not None:
        try:
            lines = listing.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            fail(f"{listing}: cannot be read ({err})")
        for number, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].strip()
            if line and not is_url(line):
                fail(f"{listing}:{number}: {line!r} is not an http(s) URL")
            if line:
                urls.append(line)
        if not urls:
            fail(f"{listing}: lists no feeds")
    for url in urls:
        if not is_url(url):
            fail(f"{url!r} is not a feed URL; give http(s) addresses")
    return list(dict.fromkeys(urls))


def _duration(text: str) -> float:
    """Seconds in '90', '30s', '15m' or '1h', or a clear error naming --every."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        fail(f"--every {text!r} is not a duration; use e.g. 30s, 15m or 1h")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
