"""Ingest progress off a terminal: plain lines with chunks, articles, rate and time left."""

from __future__ import annotations

import io
import re

from rag.ingest.progress import IngestProgress


def test_lines_name_chunks_articles_rate_and_time_left() -> None:
    stream = io.StringIO()  # not a terminal: no bar, no carriage returns
    shown = IngestProgress(1000, 40, stream=stream, every_s=0)
    shown.update(250, 10)
    shown.update(250, 12)
    shown.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 3  # one per commit at every_s=0, and the last on close
    assert lines[1].startswith("embedding: 500/1,000 chunks (50%), 22/40 articles, ")
    assert re.search(r"\d+ chunks/s, about \d+ (s|min) left$", lines[1]), lines[1]


def test_what_is_to_come_then_quiet_within_the_minute_and_when_disabled() -> None:
    stream = io.StringIO()
    shown = IngestProgress(5000, 40, stream=stream)  # a line a minute
    shown.update(10, 1)
    shown.close()
    # what is to come, then nothing more for a run shorter than a minute
    assert stream.getvalue() == "embedding: 5,000 chunks of 40 articles; a line a minute\n"
    stream = io.StringIO()
    small = IngestProgress(1000, 40, stream=stream)  # a short run says nothing at all
    small.update(1000, 40)
    small.close()
    assert stream.getvalue() == ""
    stream = io.StringIO()
    off = IngestProgress(1000, 40, enabled=False, stream=stream, every_s=0)
    off.update(10, 1)
    off.close()
    assert stream.getvalue() == ""


def test_without_a_chunk_total_the_time_left_goes_by_articles() -> None:
    stream = io.StringIO()
    shown = IngestProgress(None, 7, stream=stream, every_s=0, label="Embedding on Ray")
    shown.update(30, 2)
    assert stream.getvalue().startswith("embedding on ray: 30 chunks, 2/7 articles, ")
    assert re.search(r"chunks/s, about \d+ s left\n$", stream.getvalue()), stream.getvalue()
    stream = io.StringIO()
    IngestProgress(None, 4712, stream=stream)  # a long run says first what is to come
    assert stream.getvalue() == "embedding: 4,712 articles; a line a minute\n"
