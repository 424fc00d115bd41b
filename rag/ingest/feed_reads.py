"""Reading feeds with what was remembered of them, and remembering what each read did.

`read_feeds` reads every URL once, concurrently, with a conditional GET (the validators
saved in `feed_state`) and only the entries that are new or changed since the last read;
a feed whose server asked to be left alone (Retry-After) is skipped until then. `remember`
saves what a read did to each feed's state and fills its `FeedPoll`, the line `rag watch`
and `rag ingest FEED` print. A feed that failed keeps its old validators and entries, so
nothing is lost and the next read tries again; so does one whose article pages could not
all be fetched. What this leaves out: storing the articles read and the watch loop
(`rag.ingest.watch`).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

from rag.ingest.feed_state import FeedState, StateFile
from rag.ingest.problems import Limits, ParseProblem
from rag.ingest.remote import SourceRead, read_source
from rag.ingest.report import IngestReport
from rag.ingest.web import Fetcher

log = logging.getLogger(__name__)
MAX_PARALLEL_FEEDS = 4
MAX_PROBLEM_LINES = 5  # kept per feed for the UI; the log has them all


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
