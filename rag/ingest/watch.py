"""One poll of the watched feeds: fetch what changed, store it, remember, report a line each.

`poll_feeds` reads every feed with a conditional GET (its validators from `feed_state`),
skips a feed whose server asked to be left alone (Retry-After) until then, and reads only the
entries that are new or changed since the last poll (their article pages too, for
summary-only feeds). Feeds are read concurrently, but the shared `Fetcher` sends one request
at a time per host. What was read is stored in one ingest run (`Assistant.ingest`, so the
write lock, the registry and content-hash skipping apply as for files); then each feed's
state is saved. A feed that failed keeps its old validators and entries, so nothing is lost
and the next poll tries again; so does one whose article pages could not all be fetched.
An entry removed from a feed leaves its stored article alone (the news still happened).
`read_urls_remembering` gives one-shot `rag ingest URL…` the same savings (validators and
known entries), remembering a feed it reads without watching it. The loop, its schedule and
the command line are `rag watch` (rag.cli); the watch list's UI is the Library tab (ui.app).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Protocol, Sequence

from rag.index.store import Store
from rag.ingest.feed_state import FeedState, StateFile
from rag.ingest.problems import Limits, ParseProblem
from rag.ingest.readers import ParseResult
from rag.ingest.remote import SourceRead, read_source
from rag.ingest.report import IngestReport
from rag.ingest.web import Fetcher
from rag.settings import Settings

log = logging.getLogger(__name__)
MAX_PARALLEL_FEEDS = 4
MAX_PROBLEM_LINES = 5  # kept per feed for the UI; the log has them all


class Library(Protocol):
    """What a poll needs of the assistant (`rag.Assistant` is one): its settings, its store,
    and its ingest. Typed by shape, so this layer never imports the facade that calls it."""

    settings: Settings
    store: Store

    def ingest(
        self,
        paths: list[Path],
        prune: bool = False,
        progress: bool = True,
        on_problem: Callable[[ParseProblem], None] | None = None,
        protect_others: bool = False,
        urls: Sequence[str] = (),
        fetched: ParseResult | None = None,
    ) -> IngestReport: ...


@dataclass
class FeedPoll:
    """How one feed's poll went, for its log line."""

    url: str
    result: str = ""  # "200", "304 not modified", "skipped: …" or "failed: …"
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    requests: int = 0
    milliseconds: float = 0.0

    def line(self, poll: int) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{stamp} poll {poll} {self.summary()}"

    def summary(self) -> str:
        """What the read brought, without the time and poll number (`rag ingest FEED`)."""
        return (
            f"{self.url}: {self.result}; {self.new} new, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.failed} failed; "
            f"{self.requests} request{'s' if self.requests != 1 else ''}, "
            f"{self.milliseconds:.0f} ms"
        )


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


def read_feeds(
    urls: list[str],
    states: dict[str, FeedState],
    fetcher: Fetcher,
    limits: Limits,
    *,
    feed_only: bool,
    now: Callable[[], float] = time.time,
    honour_retry_at: bool = True,
) -> list[tuple[FeedPoll, SourceRead | None]]:
    """Read each URL once with its remembered validators and entries, concurrently.

    A feed whose server asked to be left alone is skipped (read None) while
    `honour_retry_at`; `feed_only=False` lets a URL be an article page (`rag ingest`).
    """

    def read_one(url: str) -> tuple[FeedPoll, SourceRead | None]:
        state = states.get(url, FeedState())
        line = FeedPoll(url)
        if honour_retry_at and state.retry_at > now():
            until = datetime.fromtimestamp(state.retry_at, timezone.utc)
            line.result = f"skipped: the server asked to wait until {until:%H:%M:%S} UTC"
            return line, None
        fetcher.start_counting()
        began = time.perf_counter()
        try:
            read = read_source(
                url,
                fetcher,
                limits,
                feed_only=feed_only,
                etag=state.etag,
                last_modified=state.last_modified,
                known=state.entries,
            )
        except Exception as err:  # a library's bug on one odd feed must not stop the watch
            log.debug("reading %s failed", url, exc_info=True)
            read = SourceRead(
                url,
                problems=[ParseProblem(url, f"could not be read ({type(err).__name__}: {err})")],
            )
        line.requests = fetcher.counted()
        line.milliseconds = (time.perf_counter() - began) * 1000
        return line, read

    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_FEEDS, len(urls)))) as pool:
        return list(pool.map(read_one, urls))


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


def remember(
    state_file: StateFile,
    results: Sequence[tuple[FeedPoll, SourceRead | None]],
    ingested: IngestReport,
    owner: dict[str, str],
    at: float,
    *,
    watch: bool,
    listed_only: bool = False,
    elsewhere: dict[str, set[str]] | None = None,
) -> list[FeedPoll]:
    """Save what each feed's read did to its state and fill its log line.

    `watch`: the feeds become watched; otherwise a feed not known before is remembered
    unwatched (and a watched one stays watched). `listed_only`: feeds no longer in the
    state (removed meanwhile) are left out.
    """
    stored = set(ingested.added) | set(ingested.updated) | set(ingested.skipped)
    lines: list[FeedPoll] = []
    with state_file.updating() as saved:
        for line, read in results:
            if listed_only and line.url not in saved:
                continue
            state = saved.setdefault(line.url, FeedState(watched=watch))
            state.watched = state.watched or watch
            if read is not None:
                _account(
                    line,
                    read,
                    state,
                    ingested,
                    owner,
                    stored | (elsewhere or {}).get(line.url, set()),
                    at,
                )
            lines.append(line)
    return lines


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
        feed: {d for d in ids if d in records and records[d].path not in ("", feed)}
        for feed, ids in first_seen.items()
    }


def _account(
    line: FeedPoll,
    read: SourceRead,
    state: FeedState,
    ingested: IngestReport,
    owner: dict[str, str],
    stored: set[str],
    at: float,
) -> None:
    """Fill the feed's log line and update its saved state from what this poll did.

    An article another feed brought in this same poll counts as unchanged here.
    """
    mine = {doc_id for doc_id, url in owner.items() if url == line.url}
    changed = mine & (set(ingested.added) | set(ingested.updated))
    line.new = len(mine & set(ingested.added))
    line.updated = len(mine & set(ingested.updated))
    line.failed = len(read.problems)
    state.polls += 1
    state.last_poll = datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds")
    if read.fetched is None or read.feed is None and not read.not_modified:
        line.result = "failed: " + (read.problems[0].message if read.problems else "unknown")
        state.retry_at = read.retry_at or 0.0
    elif read.not_modified:
        line.result = "304 not modified"
        line.unchanged = len(state.entries)
        state.retry_at = 0.0
    else:
        assert read.feed is not None  # a fetch that is not 304 and did not fail read a feed
        line.result = str(read.fetched.status)
        state.title = read.feed.title or state.title
        current = {e.key: e.fingerprint for e in read.feed.entries}
        kept = {k: fp for k, fp in state.entries.items() if current.get(k) == fp}
        landed = {key: current[key] for key, doc_id in read.entry_ids.items() if doc_id in stored}
        line.unchanged = read.unchanged + sum(
            1 for doc_id in read.entry_ids.values() if doc_id in stored and doc_id not in changed
        )
        state.entries = {**kept, **landed}
        everything_read = not read.page_failed and len(landed) == len(read.entry_ids)
        # validators only when every entry is in: else the next poll must fetch in full
        state.etag = read.fetched.headers.get("etag", "") if everything_read else ""
        state.last_modified = (
            read.fetched.headers.get("last-modified", "") if everything_read else ""
        )
        state.retry_at = 0.0
    state.last_result = line.result
    state.last_problems = [p.message for p in read.problems][:MAX_PROBLEM_LINES]
    state.last_counts = {
        "new": line.new,
        "updated": line.updated,
        "unchanged": line.unchanged,
        "failed": line.failed,
    }
    for key, value in state.last_counts.items():
        state.totals[key] = state.totals.get(key, 0) + value
