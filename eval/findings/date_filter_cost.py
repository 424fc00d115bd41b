"""What a date filter costs retrieval on a large store: the dense search unfiltered, as of a
day and over ten days, each filter searched every way `rag.retrieval` knows (Chroma's `where`
clause, the ids the filter admits, the nearest chunks looked through), with how often each
way's candidates equal the `where` clause's; then a whole retrieval as of a day, with the
question's news days searched again. Interleaved in one process so caches and load are
shared; medians and their ratio.

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
from rag import Assistant, Filters, HybridRetriever, Question, Settings

WAYS = {  # how each way is forced: (narrow_ids, fetch_limit) of `HybridRetriever`
    "where": (0, 0),
    "by ids": (10**9, 0),
    "among nearest": (0, 10**9),
}


def _timed(times: dict[str, list[float]], name: str, run: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = run()
    times.setdefault(name, []).append(time.perf_counter() - started)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--n", type=int, default=40, help="questions timed")
    args = parser.parse_args(argv)
    assistant = Assistant.from_settings(Settings())
    retriever = assistant.retriever
    forced = {
        way: HybridRetriever(assistant.store, assistant.settings, assistant.embed_model, *limits)
        for way, limits in WAYS.items()
    }
    times: dict[str, list[float]] = {}
    same: dict[str, list[bool]] = {}
    items = [g for g in load_gold(args.gold) if g.as_of][: args.n]
    for item in items:
        day = item.as_of
        assert day is not None
        bundle = QueryBundle(item.question)
        as_of = Filters(published_by=day)
        window = Filters(since=day - timedelta(days=10), until=day)
        unfiltered = retriever._fused(Filters(), 6)._retrievers[0]  # the dense half alone
        unfiltered.retrieve(bundle)  # the question's vector is embedded once, then cached
        _timed(times, "dense search, unfiltered", lambda: unfiltered.retrieve(bundle))
        for name, filters in (("as of", as_of), ("ten days", window)):
            found: dict[str, list[str]] = {}
            for way in WAYS:
                dense = forced[way]._fused(filters, 6)._retrievers[0]
                nodes = _timed(
                    times, f"dense search, {name}, {way}", lambda: dense.retrieve(bundle)
                )
                found[way] = [n.node.node_id for n in nodes]
                same.setdefault(f"dense search, {name}, {way}", []).append(
                    found[way] == found["where"]
                )
        days = Question.parse(item.question, day).news_days
        prefer = replace(as_of, since=days.since, until=days.until)
        _timed(times, "retrieval as of", lambda: retriever.search(bundle, as_of, 6))
        for way, forced_retriever in forced.items():
            _timed(
                times,
                f"retrieval as of, news days searched again, {way}",
                lambda: forced_retriever.search(bundle, as_of, 6, prefer=prefer),
            )
    base = statistics.median(times["retrieval as of"])
    for name, spent in times.items():
        p50 = statistics.median(spent)
        agree = (
            f", same candidates as where {sum(same[name])}/{len(same[name])}"
            if name in same
            else ""
        )
        print(f"{name}: p50 {p50 * 1000:.1f} ms (x{p50 / base:.2f} of retrieval as of){agree}")
    print(f"{len(items)} questions, each timed once per line")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
