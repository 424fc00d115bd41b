"""How far an ingest is: a bar on a terminal, one plain line a minute anywhere else.

A 4,712-article archive takes minutes to embed; `rag ingest` and `rag eval` used to draw a
bar even into log files (a smear of carriage returns) and say nothing of articles or time
left. What it leaves out: the reading and chunking before embedding (seconds, not minutes).
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

EVERY_S = 60.0  # seconds between lines when not on a terminal
LONG = 2000  # chunks (half a minute or more) that make a run say first what is to come
LONG_ARTICLES = 150  # the same in articles (about 13 chunks each), when chunks are not known


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


class IngestProgress:
    """Chunks and articles committed so far, the rate, and the time left."""

    def __init__(
        self,
        chunks: int | None,
        articles: int,
        enabled: bool = True,
        stream: TextIO | None = None,
        every_s: float = EVERY_S,
        label: str = "Embedding",
    ) -> None:
        self.chunks, self.articles = chunks, articles
        self.done_chunks = self.done_articles = 0
        self.enabled, self.every_s, self.label = enabled, every_s, label
        self.stream = stream or sys.stderr
        self.started = self._said = time.monotonic()
        self._bar = self._make_bar() if enabled and self.stream.isatty() else None
        long = (chunks or 0) >= LONG or (chunks is None and articles >= LONG_ARTICLES)
        if enabled and self._bar is None and long:  # a long run says first what is to come
            what = f"{chunks:,} chunks of " if chunks else ""
            print(
                f"{label.lower()}: {what}{articles:,} articles; a line a minute",
                file=self.stream,
                flush=True,
            )

    def _make_bar(self) -> Any:
        from tqdm import tqdm

        if self.chunks is None:  # counted in articles, chunks/s beside
            return tqdm(total=self.articles, unit="article", desc=self.label, file=self.stream)
        return tqdm(total=self.chunks, unit="chunk", desc=self.label, file=self.stream)

    def line(self) -> str:
        """'7,899/68,081 chunks (12%), 520/4,712 articles, 106 chunks/s, about 9 min left'."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done_chunks / elapsed
        parts = [f"{self.done_chunks:,}" + (f"/{self.chunks:,}" if self.chunks else "") + " chunks"]
        if self.chunks:
            parts[0] += f" ({self.done_chunks / self.chunks:.0%})"
        parts.append(f"{self.done_articles:,}/{self.articles:,} articles")
        parts.append(f"{rate:.0f} chunks/s")
        if self.chunks and rate > 0:
            parts.append(f"about {_duration((self.chunks - self.done_chunks) / rate)} left")
        elif self.done_articles:  # chunks not known ahead: by the articles' rate
            left = (self.articles - self.done_articles) * elapsed / self.done_articles
            parts.append(f"about {_duration(left)} left")
        return f"{self.label.lower()}: " + ", ".join(parts)

    def update(self, chunks: int, articles: int) -> None:
        """Count one commit of `chunks` chunks of `articles` articles."""
        self.done_chunks += chunks
        self.done_articles += articles
        if self._bar is not None and self.chunks is None:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self._bar.set_postfix_str(f"{self.done_chunks / elapsed:.0f} chunks/s", False)
            self._bar.update(articles)
        elif self._bar is not None:
            self._bar.set_postfix_str(f"{self.done_articles}/{self.articles} articles", False)
            self._bar.update(chunks)
        elif self.enabled and time.monotonic() - self._said >= self.every_s:
            self._said = time.monotonic()
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar, or say the last line when lines were said."""
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self._said > self.started:
            print(self.line(), file=self.stream, flush=True)
