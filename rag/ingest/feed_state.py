"""What `rag watch` remembers about each feed between polls and across restarts.

Kept in `<data_dir>/feeds.json`: per feed URL whether it is watched (a feed read once by
`rag ingest FEED` is remembered, so the next read is cheap, but not watched), its title, its
validators (ETag, Last-Modified) for the next conditional GET, when it was last polled and how that
went, running totals, until when a server asked to be left alone (Retry-After), the last poll's
problem lines, and the fingerprint of every entry already stored (so an entry the feed repeats
unchanged is neither fetched nor embedded again). The file is replaced atomically (write a temporary
file, then rename) under a lock, so a crash or a second watcher never leaves half a file. It fetches
and stores no articles itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

STATE_FILE = "feeds.json"


@dataclass
class FeedState:
    watched: bool = True  # polled by `rag watch` with no FEED arguments, listed in the UI
    title: str = ""  # the feed's own title, from its last full read
    etag: str = ""
    last_modified: str = ""
    last_poll: str = ""  # ISO time (UTC) of the last poll
    last_result: str = ""  # "200", "304 not modified", or the failure's message
    last_counts: dict[str, int] = field(default_factory=dict)
    last_problems: list[str] = field(default_factory=list)  # the last poll's, a line each
    totals: dict[str, int] = field(default_factory=dict)
    polls: int = 0
    retry_at: float = 0.0  # epoch seconds; polls before then are skipped
    entries: dict[str, str] = field(default_factory=dict)  # entry key -> fingerprint

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FeedState":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class StateFile:
    """The watched feeds' state in one JSON file under the data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / STATE_FILE

    def load(self) -> dict[str, FeedState]:
        """Every feed's state; a missing file is an empty state, a damaged one an error."""
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {url: FeedState.from_json(s) for url, s in data.get("feeds", {}).items()}
        except (ValueError, AttributeError, TypeError) as err:
            raise ValueError(
                f"{self.path}: damaged watch state ({err}); delete it to start "
                "over (every feed is then fetched in full once)"
            ) from None

    def watched(self) -> dict[str, FeedState]:
        """The watched feeds' states, in the order they were first watched."""
        return {url: state for url, state in self.load().items() if state.watched}

    def forget(self, url: str) -> bool:
        """Stop watching `url` and drop what is remembered of it; False if it was not
        watched. Its stored articles are not touched (they are the store's, not the feed's)."""
        with self.updating() as feeds:
            if url not in feeds or not feeds[url].watched:
                return False
            del feeds[url]
            return True

    @contextmanager
    def updating(self) -> Iterator[dict[str, FeedState]]:
        """Load, let the caller change, and save atomically, holding the state's lock."""
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=60):
            feeds = self.load()
            yield feeds
            self._save(feeds)

    def _save(self, feeds: dict[str, FeedState]) -> None:
        payload = json.dumps(
            {"version": 1, "feeds": {u: asdict(s) for u, s in feeds.items()}},
            ensure_ascii=False,
            indent=1,
        )
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".feeds-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
