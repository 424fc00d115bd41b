"""The bench's topic phase: what following a story costs as news arrives.

The bench corpus is stored in two halves: the first half's articles, a
topic over them and its first briefing; a refresh with nothing new (no model work: the
registry is read and compared); then the second half arrives and the topic is refreshed again
(a briefing rebuilt and compared with the last). What it leaves out: whether the changes it
lists are right (`eval/findings/briefing-eval.md`, round 3, judged that on real news).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.bench.memory import peak_mb
from eval.bench.settings import bench_settings

TOPIC = "displaced Israelis and the Hezbollah border"


def phase_topic(corpus: Path) -> dict[str, Any]:
    from rag import Assistant, Topic, Topics, ingest_paths, refresh_topic

    folder = Path(tempfile.mkdtemp())
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    halves = records[: len(records) // 2], records[len(records) // 2 :]
    paths = []
    for n, half in enumerate(halves):
        path = folder / f"half{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in half), encoding="utf-8")
        paths.append(path)
    settings = bench_settings(folder / "data")
    ingest_paths([paths[0]], settings, progress=False)
    topics = Topics(folder / "topics")
    topic = topics.add(Topic(name="bench", words=TOPIC))

    def timed(assistant: Assistant) -> tuple[float, Any]:
        started = time.perf_counter()
        done = refresh_topic(assistant, topics, topics.get("bench") or topic)
        return time.perf_counter() - started, done

    first_s, _ = timed(Assistant.from_settings(settings))
    quiet = Assistant.from_settings(settings)  # as a new process after a poll with no news
    nothing_s, nothing = timed(quiet)
    ingest_paths([paths[1]], settings, progress=False)
    news_s, news = timed(Assistant.from_settings(settings))
    return {
        "phase": "topic-refresh",
        "articles": len(records),
        "first_briefing_s": round(first_s, 2),
        "no_news_ms": round(nothing_s * 1000, 1),
        "no_news_loaded_model": "embed_model" in vars(quiet),
        "with_news_s": round(news_s, 2),
        "arrived": news.arrived,
        "changes": len(news.changes),
        "p50_ms": round(news_s * 1000, 1),
        "peak_mb": peak_mb(),
        "status": [nothing.status, news.status],
    }
