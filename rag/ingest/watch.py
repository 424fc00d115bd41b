"""One poll of the watched feeds: fetch what changed, store it, remember, report a line each.

`poll_feeds` reads every feed as cheaply as what was remembered of it allows (a conditional
GET, only new or changed entries: `rag.ingest.feed_reads`, their article pages too, for
summary-only feeds). Feeds are read concurrently, but the shared `Fetcher` sends one request
at a time per host. What was read is stored in one ingest run (`Assistant.ingest`, so the
write lock, the registry and content-hash skipping apply as for files); then each feed's
state is saved (`feed_reads.remember`). An entry removed from a feed leaves its stored
article alone (the news still happened).
`read_urls_remembering` gives one-shot `rag ingest URL…` the same savings (validators and
known entries), remembering a feed it reads without watching it. The loop, its schedule and
the command line are `rag watch` (rag.cli); the watch list's UI is the Library tab (ui.app).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from rag.index.registry_records import ArticleRecord
from rag.index.store import Store
from rag.ingest.feed_reads import FeedPoll, read_feeds, remember
from rag.ingest.feed_state import FeedState, StateFile
from rag.ingest.problems import Limits, ParseProblem
from rag.ingest.readers import ParseResult
from rag.ingest.remote import SourceRead
from rag.ingest.report import IngestReport
from rag.ingest.web import Fetcher
from rag.settings import Settings

log = logging.getLogger(__name__)


class Library(Protocol):
    """What a poll needs of the assistant (`rag.Assistant` is one): its settings, its store,
    and its ingest. Typed by shape, so this layer never imports the facade that calls it."""

    settings: Settings
    store: Store

    def ingest(  # the arguments a poll passes; the assistant's ingest takes more
        self,
        paths: list[Path],
        *,
        progress: bool = True,
        on_problem: Callable[[ParseProblem], None] | None = None,
        fetched: ParseResult | None = None,
    ) -> IngestReport: ...


def _stored_elsewhere(record: ArticleRecord, feed: str) -> bool:
    """Whether a stored article came from another feed or a file (a record that names no
    path at all, written before paths were kept, counts as from elsewhere)."""
    return "path" in record.absent or record.path not in ("", feed)


@dataclass
class PollReport:
    feeds: list[FeedPoll] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(f.result.startswith("failed") for f in self.feeds)


def poll_feeds(
    urls: list[str],
    assistant: Library,
    fetcher: Fetcher,
    on_problem: Callable[[ParseProblem], None] | None = None,
    now: Callable[[], float] = time.time,
    listed_only: bool = False,
) -> PollReport:
    """Poll each feed once and store what is new or changed (see the module docstring).

    Every feed polled becomes (or stays) watched. `listed_only`: the URLs are the stored
    watch list, so a feed removed from it while this poll ran (in the UI) is not put back.
    """
    started = time.perf_counter()
    settings = assistant.settings
    state_file = StateFile(settings.data_dir)
    states = state_file.load()
    report = PollReport()
    results = read_feeds(urls, states, fetcher, _limits(assistant), feed_only=True, now=now)

    fetched = ParseResult()
    feed_failures: list[ParseProblem] = []  # said on the feed's poll line, not again
    owner: dict[str, str] = {}  # article id -> the feed that brought it in this poll
    elsewhere = _stored_through_other_feeds(results, states, assistant)
    for line, read in results:
        if read is None:
            continue
        if read.feed is None and not read.not_modified:
            feed_failures += read.problems
            continue
        fetched.problems += read.problems
        fetched.warnings += read.warnings
        for doc in read.documents:
            if doc.doc_id not in owner and doc.doc_id not in elsewhere.get(line.url, ()):
                owner[doc.doc_id] = line.url  # one article through two feeds: stored once
                fetched.documents.append(doc)
    if fetched.documents:
        ingested = assistant.ingest([], progress=False, on_problem=on_problem, fetched=fetched)
    else:  # nothing to store: no need to open a write (an unchanged poll stays cheap)
        ingested = IngestReport(problems=fetched.problems, warnings=fetched.warnings)
        for problem in [*fetched.problems, *fetched.warnings]:
            (on_problem or (lambda p: log.error("%s", p)))(problem)
    report.problems = feed_failures + ingested.problems
    report.feeds = remember(
        state_file,
        results,
        ingested,
        owner,
        now(),
        watch=True,
        listed_only=listed_only,
        elsewhere=elsewhere,
    )
    report.seconds = time.perf_counter() - started
    return report


def read_urls_remembering(
    urls: list[str], assistant: Library, fetcher: Fetcher
) -> tuple[ParseResult, Callable[[IngestReport], list[FeedPoll]]]:
    """`rag ingest URL…`: read feeds and pages, a feed as cheaply as its last read allows.

    A feed read before (by `rag watch`, the UI or an earlier `rag ingest`) is fetched with
    its validators, so an unchanged feed is one 304, and its entries already stored are not
    read again (no article page fetched). Returns what was read and the function to call with
    the ingest's report, which remembers each feed (not watched, unless it already was) and
    returns a line per feed. An article page leaves no state.
    """
    state_file = StateFile(assistant.settings.data_dir)
    try:
        states = state_file.load()
        damaged = False
    except ValueError as err:  # read everything in full, and leave the file for its owner
        log.warning("%s; the feeds are read in full and not remembered", err)
        states, damaged = {}, True
    results = read_feeds(
        urls, states, fetcher, _limits(assistant), feed_only=False, honour_retry_at=False
    )
    fetched = ParseResult()
    owner: dict[str, str] = {}
    for line, read in results:
        if read is None:  # not so: retry_at is not honoured here
            continue
        fetched.problems += read.problems
        fetched.warnings += read.warnings
        for doc in read.documents:
            if doc.doc_id not in owner:  # one article through two feeds: the first copy
                owner[doc.doc_id] = line.url
                fetched.documents.append(doc)
    feeds = [
        (line, read)
        for line, read in results
        if read is not None and (read.feed is not None or read.not_modified)
    ]

    def after(ingested: IngestReport) -> list[FeedPoll]:
        if damaged:  # the warning said so; no per-feed line without the state behind it
            return []
        return (
            remember(state_file, feeds, ingested, owner, time.time(), watch=False) if feeds else []
        )

    return fetched, after


def _limits(assistant: Library) -> Limits:
    return Limits(assistant.settings.max_file_mb, assistant.settings.max_article_chars)


def _stored_through_other_feeds(
    results: list[tuple[FeedPoll, SourceRead | None]],
    states: dict[str, FeedState],
    assistant: Library,
) -> dict[str, set[str]]:
    """Per feed, the articles it shows for the first time that another feed already stored.

    The same article reached through a second feed is the same article: the second feed's
    view of it (its title, its date) must not replace the stored one back and forth. Only an
    entry this feed has shown before and now changed is an update.
    """
    first_seen: dict[str, set[str]] = {}  # feed -> articles it shows for the first time
    for line, read in results:
        if read is None:
            continue
        known = states.get(line.url, FeedState()).entries
        first_seen[line.url] = {
            doc_id for key, doc_id in read.entry_ids.items() if key not in known
        }
    wanted = sorted(set().union(*first_seen.values())) if first_seen else []
    if not wanted:
        return {}
    records = assistant.store.registry.records(wanted)
    return {
        feed: {d for d in ids if d in records and _stored_elsewhere(records[d], feed)}
        for feed, ids in first_seen.items()
    }
