"""`rag watch` and `rag ingest URL…` as a user runs them, against a news server on 127.0.0.1.

The server runs in the test process; the commands run as subprocesses, so the watch state
really has to survive a restart (it lives in RAG_DATA_DIR).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import SEEDS, run_rag
from tests.helpers.news_server import NewsServer, NewsSite

LINE = re.compile(
    r"^\S+Z poll (\d+) (\S+): (.+?); (\d+) new, (\d+) updated, (\d+) unchanged, "
    r"(\d+) failed; (\d+) requests?, \d+ ms$"
)


def _lines(stdout: str, base: str) -> list[tuple]:
    parsed = []
    for line in stdout.splitlines():
        m = LINE.match(line)
        assert m, f"not a poll line: {line!r}"
        poll, url, result, *counts = m.groups()
        parsed.append((int(poll), url.removeprefix(base), result, *map(int, counts)))
    return parsed


def test_watch_three_polls_then_a_restart_then_an_answer(tmp_path: Path) -> None:
    with NewsServer(NewsSite(advance_after=2)) as news:  # poll 3 sees the site's changes
        watched = run_rag(
            "watch",
            news.base + "/world.rss",
            news.base + "/business.atom",
            "--every",
            "0s",
            "--polls",
            "3",
        )
        assert watched.returncode == 0, watched.stderr
        assert _lines(watched.stdout, news.base) == [
            # poll, feed, result, new, updated, unchanged, failed, requests
            (1, "/world.rss", "200", 2, 0, 0, 0, 1),
            (1, "/business.atom", "200", 2, 0, 1, 0, 4),
            (2, "/world.rss", "304 not modified", 0, 0, 2, 0, 1),
            (2, "/business.atom", "304 not modified", 0, 0, 3, 0, 1),
            (3, "/world.rss", "200", 1, 1, 1, 0, 1),
            (3, "/business.atom", "200", 0, 0, 2, 0, 1),
        ]
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(
            f"# the town's papers\n{news.base}/world.rss\n\n"
            f"{news.base}/business.atom  # summaries only\n"
        )
        restarted = run_rag("watch", "--feeds", str(feeds), "--once")
        assert restarted.returncode == 0, restarted.stderr
        assert [(r[1], r[2], r[-1]) for r in _lines(restarted.stdout, news.base)] == [
            ("/world.rss", "304 not modified", 1),
            ("/business.atom", "304 not modified", 1),
        ]

        asked = run_rag("ask", "--json", "What did the tram planners approve?")
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        assert "tram line linking Northport to its airport" in answer["answer"]
        assert answer["citations"][0]["url"] == f"{news.base}/news/tram.html"


def test_ingest_mixes_urls_and_paths_and_reports_each_bad_source(tmp_path: Path) -> None:
    bad = [
        "/bad/malformed.xml",
        "/bad/html-as-feed.xml",
        "/bad/missing.xml",
        "/bad/gone.xml",
        "/bad/loop",
        "/bad/slow.xml",
        "/bad/huge.xml",
        "/bad/latin1.xml",
        "/bad/nolinks.xml",
        "/bad/dupguids.xml",
    ]
    env = {"RAG_FETCH_TIMEOUT": "1", "RAG_FETCH_MAX_MB": "1"}
    with NewsServer() as news:
        done = run_rag(
            "ingest",
            news.base + "/world.rss",
            *[news.base + b for b in bad],
            str(SEEDS / "001_86b8b23eb7a99f56.txt"),
            news.base + "/news/bridge.html?utm_source=x",
            env=env,
        )
    assert done.returncode == 1
    said = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
    for path in bad:
        assert len([s for s in said if s.startswith(f"skipped {news.base}{path}: ")]) == 1, (
            path,
            done.stderr,
        )
    assert len(said) == len(bad)
    assert done.stdout.startswith("4 added, 0 updated")
    listed = json.loads(run_rag("docs", "--json").stdout)
    assert {d["doc"] for d in listed} == {
        "001_86b8b23eb7a99f56.txt",
        f"{news.base}/news/harbour.html",
        f"{news.base}/news/library.html",
        f"{news.base}/news/bridge.html",
    }


def test_watch_refuses_bad_arguments_in_one_line(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://example.com/rss\nexample.org/feed\n")
    cases = [
        (
            ["watch", "--feeds", str(listing), "--once"],
            f"error: {listing}:2: 'example.org/feed' is not an http(s) URL",
        ),
        (
            ["watch", "https://example.com/rss", "--every", "soon"],
            "error: --every 'soon' is not a duration; use e.g. 30s, 15m or 1h",
        ),
        (["watch"], "error: no feeds given"),
    ]
    for args, message in cases:
        done = run_rag(*args)
        assert done.returncode == 2 and done.stderr.strip().startswith(message), done.stderr


def test_feed_poll_bench_prints_its_figures() -> None:
    import subprocess
    import sys

    from tests.helpers import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "eval.bench.feed_poll", "--entries", "5", "--polls", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert figures["first_poll_new"].strip() == "5"
    assert figures["unchanged_304_requests"].strip() == "1"
    assert figures["unchanged_200_same_body_entries_seen_unchanged"].strip() == "5"
    assert float(figures["unchanged_304_ms_median"]) > 0
