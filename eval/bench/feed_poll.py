"""What an unchanged poll of a 100-entry feed costs: `python -m eval.bench.feed_poll`.

Serves one RSS 2.0 feed of N full-text entries from 127.0.0.1, stores it with a first poll,
then times unchanged polls (the whole `poll_feeds` call: state read, conditional GET, state
written) two ways: a server that answers 304 to the ETag, and one that ignores validators
and sends the whole feed again (entries are then recognised by their fingerprints, so no
article is re-read or re-embedded). Also times a one-shot `rag ingest FEED` of the same
unchanged feed (`Assistant.ingest(urls=…)`, which reuses the remembered validators).
Prints the figures; times are medians over --polls.
It measures nothing of answering or of embedding beyond the first poll's total.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TOPICS = [
    "harbour",
    "council",
    "railway",
    "school",
    "hospital",
    "museum",
    "market",
    "bridge",
    "library",
    "stadium",
]


def make_feed(entries: int, base: str) -> bytes:
    """An RSS 2.0 feed whose entries carry distinct full texts."""
    items = []
    for i in range(entries):
        topic = TOPICS[i % len(TOPICS)]
        text = (
            f"The {topic} project number {i} in district {i % 7} was discussed on day "
            f"{i % 28 + 1}. Officials said it would cost {i * 13 % 97 + 3} million euros. "
            f"Residents of ward {i % 11} asked for a public hearing before work starts. "
            f"A decision on the {topic} plan is expected within {i % 9 + 2} weeks."
        )
        items.append(
            f"<item><title>{topic.title()} project {i}</title>"
            f"<link>{base}/news/{i}.html?utm_source=rss</link><guid>{base}/news/{i}"
            f"</guid><pubDate>Mon, 01 Jun 2026 08:00:00 GMT</pubDate>"
            f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bench Gazette</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


class FeedServer:
    """One feed at /feed.xml; `honour_etag` decides whether a matching ETag gets a 304."""

    def __init__(self, entries: int) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.requests += 1
                tag = server.etag
                if server.honour_etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                server.bytes_sent += len(server.body)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", tag)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.body = make_feed(entries, self.base)
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
        self.honour_etag = True
        self.requests = 0
        self.bytes_sent = 0
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def measure(entries: int, polls: int) -> dict[str, float]:
    from rag import Assistant, Fetcher, Settings, poll_feeds

    server = FeedServer(entries)
    url = server.base + "/feed.xml"
    figures: dict[str, float] = {
        "entries": entries,
        "polls": polls,
        "feed_kb": round(len(server.body) / 1024, 1),
    }
    with tempfile.TemporaryDirectory() as data:
        assistant = Assistant.from_settings(Settings(data_dir=Path(data)))
        fetcher = Fetcher(assistant.settings)
        started = time.perf_counter()
        first = poll_feeds([url], assistant, fetcher)
        figures["first_poll_s"] = round(time.perf_counter() - started, 2)
        figures["first_poll_new"] = first.feeds[0].new
        for honour, name in ((True, "304"), (False, "200_same_body")):
            server.honour_etag = honour
            times, sent, unchanged = [], [], []
            for _ in range(polls):
                before = server.requests
                began = time.perf_counter()
                report = poll_feeds([url], assistant, fetcher)
                times.append((time.perf_counter() - began) * 1000)
                sent.append(server.requests - before)
                unchanged.append(report.feeds[0].unchanged)
                assert report.feeds[0].new == report.feeds[0].updated == 0
            figures[f"unchanged_{name}_ms_median"] = round(statistics.median(times), 1)
            figures[f"unchanged_{name}_ms_max"] = round(max(times), 1)
            figures[f"unchanged_{name}_requests"] = statistics.mean(sent)
            figures[f"unchanged_{name}_entries_seen_unchanged"] = statistics.mean(unchanged)
        server.honour_etag = True
        times, sent = [], []
        for _ in range(polls):
            before = server.requests
            began = time.perf_counter()
            ingested = assistant.ingest([], progress=False, urls=[url])
            times.append((time.perf_counter() - began) * 1000)
            sent.append(server.requests - before)
            assert not ingested.added and not ingested.updated
        figures["unchanged_ingest_feed_ms_median"] = round(statistics.median(times), 1)
        figures["unchanged_ingest_feed_requests"] = statistics.mean(sent)
        fetcher.close()
    server.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args()
    from rag import quiet_libraries

    quiet_libraries()
    for key, value in measure(args.entries, args.polls).items():
        print(f"{key:48} {value}")


if __name__ == "__main__":
    main()
