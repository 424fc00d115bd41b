"""Load test: many clients ask through the UI's API while an ingest runs beside them.

Starts a `chroma run` server, stores the seeds, starts `rag serve` on it, records each
question's answer, then lets `--clients` threads ask through `/gradio_api/call/ask` for
`--seconds` while a separate `rag ingest` process adds `--articles` new articles (small
commit batches, so the store changes many times under the readers). It then records the
answers again and checks every answer given under load: no errors, and each one equal to the
answer before or after the ingest, or citing one of the new articles. Loopback only.

    python -m tests.helpers.load --seconds 60 --clients 20          # what CI runs (via test_load.py)
    python -m tests.helpers.load --seconds 3600 --articles 2000     # the soak

Figures (throughput, latency percentiles, how answers matched) print as a table and go to
`--out` as JSON. It measures; the caller decides what is acceptable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from tests.helpers import ROOT
from tests.helpers.servers import ChromaServer, start_ui

SEEDS = ROOT / "seeds"
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
TOWNS = ["Port Vale", "Kellmouth", "Arbridge", "Lundholm", "Osterby", "Rimford", "Tallon"]
TOPICS = [("ferry", "the ferry timetable", "passengers"), ("library", "the new library wing",
          "visitors"), ("orchard", "the apple harvest", "crates"), ("tram", "the tram extension",
          "riders"), ("marathon", "the city marathon", "runners")]


@dataclass
class Result:
    question: str
    seconds: float
    ok: bool
    answer: str = ""
    docs: tuple[str, ...] = ()
    error: str = ""


@dataclass
class Report:
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    throughput_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    ingest_seconds: float = 0.0
    ingest_overlap_s: float = 0.0
    new_articles: int = 0
    same_as_before: int = 0
    same_as_after: int = 0
    citing_new_articles: int = 0
    unexplained: list[dict] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def table(self) -> str:
        rows = [("clients", self.clients), ("window (s)", f"{self.seconds:.0f}"),
                ("answers", self.requests), ("errors", self.errors),
                ("throughput (answers/s)", f"{self.throughput_per_s:.2f}"),
                ("latency p50 / p95 / max (ms)",
                 f"{self.p50_ms:.0f} / {self.p95_ms:.0f} / {self.max_ms:.0f}"),
                ("ingest (s) / overlap with load (s)",
                 f"{self.ingest_seconds:.1f} / {self.ingest_overlap_s:.1f}"),
                ("new articles stored", self.new_articles),
                ("answers = before / = after / citing new",
                 f"{self.same_as_before} / {self.same_as_after} / {self.citing_new_articles}"),
                ("answers unexplained", len(self.unexplained))]
        return "\n".join(f"{k:40} {v}" for k, v in rows)


def new_articles(folder: Path, count: int, seed: int = 0) -> set[str]:
    """Articles on everyday local news, far from the seeds' subjects; returns their ids."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        town, (word, thing, people) = rng.choice(TOWNS), rng.choice(TOPICS)
        n = rng.randint(120, 9000)
        body = (f"{town} {word} update {i}\n\nDate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                f"\n\nOfficials in {town} said {thing} drew {n:,} {people} this season. "
                f"The council of {town} will review {thing} again in the autumn. "
                f"Local shops reported a busy week as {people} arrived from nearby villages. "
                f"A spokesperson said the figures for {thing} were the highest in {i % 9 + 2} "
                f"years and thanked volunteers for their work.")
        (folder / f"local_{i:05d}.txt").write_text(body)
    return {f"local_{i:05d}.txt" for i in range(count)}


def questions(limit: int) -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows][:limit]


def ask(client: httpx.Client, base: str, question: str) -> Result:
    started = time.perf_counter()
    try:
        event = client.post(f"{base}/gradio_api/call/ask",
                            json={"data": [question, "", "", [], 6]})
        event.raise_for_status()
        stream = client.get(f"{base}/gradio_api/call/ask/{event.json()['event_id']}")
        lines = stream.text.splitlines()
        kinds = [line[len("event: "):] for line in lines if line.startswith("event: ")]
        data = [line[len("data: "):] for line in lines if line.startswith("data: ")]
        if not kinds or kinds[-1] != "complete":
            raise RuntimeError(f"event {kinds[-1] if kinds else 'none'}: {data[-1:]}")
        answer = json.loads(data[-1])[0]
        return Result(question, time.perf_counter() - started, True, answer["answer"],
                      tuple(c["doc"] for c in answer["citations"]))
    except Exception as err:  # noqa: BLE001 - every failure is a counted error
        return Result(question, time.perf_counter() - started, False,
                      error=f"{type(err).__name__}: {err}")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def run(seconds: float, clients: int, articles: int, workdir: Path) -> Report:
    server = ChromaServer(workdir / "chroma").start()
    env = {**os.environ, "RAG_CHROMA_URL": server.url, "HF_HUB_OFFLINE": "1"}
    ui = None
    try:
        subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(SEEDS)], check=True,
                       env={**env, "RAG_DATA_DIR": str(workdir / "seed-client")}, cwd=ROOT,
                       capture_output=True, timeout=600)
        ui, url = start_ui(workdir / "ui-client", {"RAG_CHROMA_URL": server.url})
        base = url.rstrip("/")
        asked = questions(12)
        with httpx.Client(timeout=300) as client:
            before = {q: ask(client, base, q) for q in asked}
        assert all(r.ok for r in before.values()), [r.error for r in before.values()]
        fresh = new_articles(workdir / "new", articles)
        results: list[Result] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client_loop(index: int) -> None:
            with httpx.Client(timeout=300) as client:
                i = index
                while time.monotonic() < stop_at:
                    result = ask(client, base, asked[i % len(asked)])
                    with lock:
                        results.append(result)
                    i += 1

        load_start = time.monotonic()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "ingest", str(workdir / "new")], cwd=ROOT,
            env={**env, "RAG_DATA_DIR": str(workdir / "ingest-client"),
                 "RAG_INGEST_BATCH_CHUNKS": "8"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        out, err = ingest.communicate(timeout=seconds * 20 + 600)
        ingest_end = time.monotonic()
        for t in threads:
            t.join()
        load_end = time.monotonic()
        if ingest.returncode != 0:
            raise RuntimeError(f"the concurrent ingest failed: {err or out}")
        with httpx.Client(timeout=300) as client:
            after = {q: ask(client, base, q) for q in asked}
        assert all(r.ok for r in after.values()), [r.error for r in after.values()]
        return _report(results, before, after, fresh, clients, load_end - load_start,
                       ingest_end - load_start, min(ingest_end, load_end) - load_start)
    finally:
        if ui is not None:
            ui.terminate()
            ui.wait(timeout=30)
        server.stop()


def _report(results: list[Result], before: dict[str, Result], after: dict[str, Result],
            fresh: set[str], clients: int, window: float, ingest_s: float, overlap: float
            ) -> Report:
    report = Report(clients=clients, seconds=window, requests=len(results),
                    ingest_seconds=ingest_s, ingest_overlap_s=max(0.0, overlap))
    ok = [r for r in results if r.ok]
    report.errors = len(results) - len(ok)
    report.error_samples = sorted({r.error for r in results if not r.ok})[:5]
    report.throughput_per_s = len(ok) / window if window else 0.0
    millis = [r.seconds * 1000 for r in ok]
    report.p50_ms = statistics.median(millis) if millis else 0.0
    report.p95_ms = _percentile(millis, 0.95)
    report.max_ms = max(millis, default=0.0)
    report.new_articles = len(fresh)
    for r in ok:
        key = (r.answer, r.docs)
        if key == (before[r.question].answer, before[r.question].docs):
            report.same_as_before += 1
        elif key == (after[r.question].answer, after[r.question].docs):
            report.same_as_after += 1
        elif fresh & set(r.docs):
            report.citing_new_articles += 1
        else:
            report.unexplained.append({"question": r.question, "answer": r.answer,
                                       "docs": list(r.docs),
                                       "before": before[r.question].answer})
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rag-load-") as tmp:
        report = run(args.seconds, args.clients, args.articles, Path(tmp))
    print(report.table())
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(asdict(report), indent=2))
    sys.exit(1 if report.errors or report.unexplained else 0)


if __name__ == "__main__":
    main()
