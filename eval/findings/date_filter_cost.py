"""What a date filter costs retrieval on a large store: the dense search unfiltered, as of a
day and over ten days, and a whole retrieval with and without the ten days searched again,
interleaved in one process so caches and load are shared; medians and their ratio.

    RAG_DATA_DIR=… RAG_COLLECTION=… python -m eval.findings.date_filter_cost GOLD [--n 40]

GOLD is a gold file whose questions carry their day (RealTime QA's). It reads the store the
settings name and writes nothing. What it leaves out: the reader and the answerer.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from llama_index.core.schema import QueryBundle

from eval.gold import load_gold
from rag import Assistant, Filters, Question, Settings


def _timed(times: dict[str, list[float]], name: str, run: Callable[[], Any]) -> None:
    started = time.perf_counter()
    run()
    times.setdefault(name, []).append(time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--n", type=int, default=40, help="questions timed")
    args = parser.parse_args(argv)
    assistant = Assistant.from_settings(Settings())
    retriever, times = assistant.retriever, {}  # type: ignore[var-annotated]
    items = [g for g in load_gold(args.gold) if g.as_of][: args.n]
    for item in items:
        day = item.as_of
        assert day is not None
        bundle = QueryBundle(item.question)
        days = Question.parse(item.question, day).news_days
        as_of = Filters(published_by=day)
        window = Filters(since=day - timedelta(days=10), until=day)
        for name, filters in (("unfiltered", Filters()), ("as of", as_of), ("ten days", window)):
            dense = retriever._fused(filters, 6)._retrievers[0]  # the dense half alone
            dense.retrieve(bundle)  # the question's vector is embedded once, then cached
            _timed(times, f"dense search, {name}", lambda: dense.retrieve(bundle))
        prefer = replace(as_of, since=days.since, until=days.until)
        _timed(times, "retrieval as of", lambda: retriever.search(bundle, as_of, 6))
        _timed(
            times,
            "retrieval as of, ten days searched again",
            lambda: retriever.search(bundle, as_of, 6, prefer=prefer),
        )
        _timed(
            times,
            "retrieval as of, ten days among the candidates",
            lambda: retriever.search(bundle, as_of, 6, prefer=prefer, search_preferred=False),
        )
    base = statistics.median(times["retrieval as of"])
    for name, spent in times.items():
        p50 = statistics.median(spent)
        print(f"{name}: p50 {p50 * 1000:.1f} ms (x{p50 / base:.2f} of retrieval as of)")
    print(f"{len(items)} questions, each timed once per line")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
