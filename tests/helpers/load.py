"""Load test: many clients ask through the UI's API while an ingest runs beside them.

Starts a `chroma run` server, stores the seeds, starts `rag serve` on it, records each
question's answer, then lets `--clients` threads ask through `/gradio_api/call/ask` for
`--seconds` while a separate `rag ingest` process adds `--articles` new articles (small
commit batches, so the store changes many times under the readers). It then records the
answers again and checks every answer given under load: no errors, and each one equal to the
answer before or after the ingest, or citing one of the new articles. Loopback only.

    python -m tests.helpers.load --seconds 60 --clients 20         # what CI runs (via test_load.py)
    python -m tests.helpers.load --seconds 3600 --articles 2000    # the soak
    python -m tests.helpers.load --workers 1,2                     # `--workers N` compared
    python -m tests.helpers.load --via gradio,openai               # the UI's API against /v1

`--via openai` asks through the OpenAI-compatible `/v1/chat/completions` (one request per
question, `ui.api.openai_chat`) instead of Gradio's `/gradio_api/call/ask`; given both, each
route gets a run of its own, compared as the worker counts are.

With `--workers` each count gets a run of its own (a fresh Chroma server, the same questions,
articles and ingest) against `rag serve --workers N`, warmed until every worker has answered;
the table then has one column per count and the throughput ratio to the first. Each client
keeps one connection, so the two requests of `/gradio_api/call/ask` reach the same worker
(Gradio's queue keeps an event in the process that took it; see `ui.workers`). The machine's
load average is printed with each run: on a shared machine the figures are only as quiet as it.

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
from tests.helpers.servers import ChromaServer, start_ui, start_workers, stop

SEEDS = ROOT / "seeds"
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
TOWNS = ["Port Vale", "Kellmouth", "Arbridge", "Lundholm", "Osterby", "Rimford", "Tallon"]
TOPICS = [
    ("ferry", "the ferry timetable", "passengers"),
    ("library", "the new library wing", "visitors"),
    ("orchard", "the apple harvest", "crates"),
    ("tram", "the tram extension", "riders"),
    ("marathon", "the city marathon", "runners"),
]


@dataclass
class Result:
    question: str
    seconds: float
    ok: bool
    answer: str = ""
    docs: tuple[str, ...] = ()
    error: str = ""
    served_by: str = ""  # the worker's pid (`X-Served-By`), when it says


@dataclass
class Report:
    clients: int
    seconds: float
    workers: int | None = None  # None: plain `rag serve` (Gradio's own server)
    via: str = "gradio"  # the route asked: Gradio's /ask, or "openai" (/v1/chat/completions)
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-min load average at start and end
    answers_per_worker: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    errors: int = 0
    throughput_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    ingest_seconds: float = 0.0
    ingest_overlap_s: float = 0.0
    server_cores: float = 0.0  # CPU seconds of the serving processes / window
    chroma_cores: float = 0.0  # … of the `chroma run` server
    ingest_cores: float = 0.0  # … of the concurrent ingest
    client_cores: float = 0.0  # … of this process (the clients)
    new_articles: int = 0
    same_as_before: int = 0
    same_as_after: int = 0
    citing_new_articles: int = 0
    unexplained: list[dict] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def table(self) -> str:
        return "\n".join(f"{k:40} {v}" for k, v in self.rows())

    def rows(self) -> list[tuple[str, object]]:
        return [
            ("workers", self.workers or "1 (gradio launch)"),
            ("asked through", self.via),
            ("clients", self.clients),
            ("window (s)", f"{self.seconds:.0f}"),
            ("answers", self.requests),
            ("errors", self.errors),
            ("throughput (answers/s)", f"{self.throughput_per_s:.2f}"),
            (
                "latency p50 / p95 / max (ms)",
                f"{self.p50_ms:.0f} / {self.p95_ms:.0f} / {self.max_ms:.0f}",
            ),
            (
                "ingest (s) / overlap with load (s)",
                f"{self.ingest_seconds:.1f} / {self.ingest_overlap_s:.1f}",
            ),
            (
                "cores: serving/chroma/ingest/clients",
                f"{self.server_cores:.2f}/{self.chroma_cores:.2f}/"
                f"{self.ingest_cores:.2f}/{self.client_cores:.2f}",
            ),
            ("new articles stored", self.new_articles),
            (
                "answers = before / = after / citing new",
                f"{self.same_as_before} / {self.same_as_after} / {self.citing_new_articles}",
            ),
            ("answers unexplained", len(self.unexplained)),
            (
                "answers per worker",
                " ".join(str(n) for n in sorted(self.answers_per_worker.values())) or "-",
            ),
            ("load average at start / end", "{:.2f} / {:.2f}".format(*self.load_average)),
        ]


def compared(reports: list["Report"]) -> str:
    """The runs side by side, and each run's throughput as a multiple of the first's."""
    rows = [r.rows() for r in reports]
    lines = [
        f"{k:40} " + "".join(f"{str(row[i][1]):>22}" for row in rows)
        for i, (k, _) in enumerate(rows[0])
    ]
    base = reports[0].throughput_per_s
    ratios = "".join(f"{(r.throughput_per_s / base if base else 0):>21.2f}x" for r in reports)
    return "\n".join([*lines, f"{'throughput vs first':40} {ratios}"])


def new_articles(folder: Path, count: int, seed: int = 0) -> set[str]:
    """Articles on everyday local news, far from the seeds' subjects; returns their ids."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        town, (word, thing, people) = rng.choice(TOWNS), rng.choice(TOPICS)
        n = rng.randint(120, 9000)
        body = (
            f"{town} {word} update {i}\n\nDate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            f"\n\nOfficials in {town} said {thing} drew {n:,} {people} this season. "
            f"The council of {town} will review {thing} again in the autumn. "
            f"Local shops reported a busy week as {people} arrived from nearby villages. "
            f"A spokesperson said the figures for {thing} were the highest in {i % 9 + 2} "
            f"years and thanked volunteers for their work."
        )
        (folder / f"local_{i:05d}.txt").write_text(body)
    return {f"local_{i:05d}.txt" for i in range(count)}


def questions(limit: int) -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows][:limit]


def ask(client: httpx.Client, base: str, question: str, via: str = "gradio") -> Result:
    started = time.perf_counter()
    if via == "openai":
        return _ask_openai(client, base, question, started)
    try:
        event = client.post(f"{base}/gradio_api/call/ask", json={"data": [question, "", "", [], 6]})
        event.raise_for_status()
        stream = client.get(f"{base}/gradio_api/call/ask/{event.json()['event_id']}")
        lines = stream.text.splitlines()
        kinds = [line[len("event: ") :] for line in lines if line.startswith("event: ")]
        data = [line[len("data: ") :] for line in lines if line.startswith("data: ")]
        if not kinds or kinds[-1] != "complete":
            raise RuntimeError(f"event {kinds[-1] if kinds else 'none'}: {data[-1:]}")
        answer = json.loads(data[-1])[0]
        return Result(
            question,
            time.perf_counter() - started,
            True,
            answer["answer"],
            tuple(c["doc"] for c in answer["citations"]),
            served_by=stream.headers.get("x-served-by", ""),
        )
    except Exception as err:  # noqa: BLE001 - every failure is a counted error
        return Result(
            question, time.perf_counter() - started, False, error=f"{type(err).__name__}: {err}"
        )


def _ask_openai(client: httpx.Client, base: str, question: str, started: float) -> Result:
    """One question through `/v1/chat/completions` (no key: the server is on loopback)."""
    try:
        reply = client.post(
            f"{base}/v1/chat/completions",
            json={"model": "news", "messages": [{"role": "user", "content": question}],
                  "footnotes": False},
        )  # fmt: skip
        reply.raise_for_status()
        data = reply.json()
        return Result(
            question,
            time.perf_counter() - started,
            True,
            data["choices"][0]["message"]["content"],
            tuple(s["article_id"] for s in data["sources"]),
            served_by=reply.headers.get("x-served-by", ""),
        )
    except Exception as err:  # noqa: BLE001 - every failure is a counted error
        return Result(
            question, time.perf_counter() - started, False, error=f"{type(err).__name__}: {err}"
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def warm(
    base: str, workers: int, question: str, wait_s: float = 600, via: str = "gradio"
) -> set[str]:
    """Ask on new connections until every worker has answered once (each loads its embedder
    and BM25 on its first question, which must not be timed); returns the pids seen."""
    seen: set[str] = set()
    deadline = time.monotonic() + wait_s
    while len(seen) < workers and time.monotonic() < deadline:
        with httpx.Client(timeout=300) as client:
            result = ask(client, base, question, via)
        if not result.ok:
            raise RuntimeError(f"warming up: {result.error}")
        seen.add(result.served_by)
    if len(seen) < workers:
        raise RuntimeError(f"only {len(seen)} of {workers} workers answered in {wait_s:.0f} s")
    return seen


def run(
    seconds: float,
    clients: int,
    articles: int,
    workdir: Path,
    workers: int | None = None,
    seeded: Path | None = None,
    via: str = "gradio",
) -> Report:
    """One load run; `workers` None serves with plain `rag serve`, else `--workers N`;
    questions go through `via` ("gradio": `/gradio_api/call/ask`; "openai": `/v1`).

    `seeded`: a data dir already holding the seeds (the tests pass a copy of their session's
    seeded store, `chroma run` serves its Chroma folder); without it the seeds are ingested
    into a fresh server first."""
    server = ChromaServer(seeded / "chroma" if seeded else workdir / "chroma").start()
    env = {**os.environ, "RAG_CHROMA_URL": server.url, "HF_HUB_OFFLINE": "1"}
    ui = None
    try:
        if seeded is None:
            subprocess.run(
                [sys.executable, "-m", "rag.cli", "ingest", str(SEEDS)],
                check=True,
                env={**env, "RAG_DATA_DIR": str(workdir / "seed-client")},
                cwd=ROOT,
                capture_output=True,
                timeout=600,
            )
        if workers is None:
            ui, url = start_ui(workdir / "ui-client", {"RAG_CHROMA_URL": server.url})
        else:
            ui, url = start_workers(workdir / "ui-client", workers, {"RAG_CHROMA_URL": server.url})
        base = url.rstrip("/")
        asked = questions(12)
        warm(base, workers or 1, asked[0], via=via)  # first answers load the models: untimed
        with httpx.Client(timeout=300) as client:
            before = {q: ask(client, base, q, via) for q in asked}
        assert all(r.ok for r in before.values()), [r.error for r in before.values()]
        fresh = new_articles(workdir / "new", articles)
        results: list[Result] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client_loop(index: int) -> None:
            with httpx.Client(timeout=300) as client:
                i = index
                while time.monotonic() < stop_at:
                    result = ask(client, base, asked[i % len(asked)], via)
                    with lock:
                        results.append(result)
                    i += 1

        load_start = time.monotonic()
        load_at_start = os.getloadavg()[0]
        assert server.proc is not None
        served_cpu, chroma_cpu = cpu_seconds(ui.pid), cpu_seconds(server.proc.pid)
        children_cpu, own_cpu = _children_cpu(), time.process_time()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "ingest", str(workdir / "new")],
            cwd=ROOT,
            env={
                **env,
                "RAG_DATA_DIR": str(workdir / "ingest-client"),
                "RAG_INGEST_BATCH_CHUNKS": "8",
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        out, err = ingest.communicate(timeout=seconds * 20 + 600)
        ingest_end = time.monotonic()
        ingest_cpu = _children_cpu() - children_cpu
        for t in threads:
            t.join()
        load_end = time.monotonic()
        served_cpu = cpu_seconds(ui.pid) - served_cpu
        chroma_cpu = cpu_seconds(server.proc.pid) - chroma_cpu
        own_cpu = time.process_time() - own_cpu
        if ingest.returncode != 0:
            raise RuntimeError(f"the concurrent ingest failed: {err or out}")
        with httpx.Client(timeout=300) as client:
            after = {q: ask(client, base, q, via) for q in asked}
        assert all(r.ok for r in after.values()), [r.error for r in after.values()]
        report = _report(
            results,
            before,
            after,
            fresh,
            clients,
            load_end - load_start,
            ingest_end - load_start,
            min(ingest_end, load_end) - load_start,
        )
        report.workers, report.load_average = workers, (load_at_start, os.getloadavg()[0])
        report.via = via
        window = load_end - load_start
        report.server_cores, report.chroma_cores = served_cpu / window, chroma_cpu / window
        report.ingest_cores, report.client_cores = ingest_cpu / window, own_cpu / window
        return report
    finally:
        if ui is not None:
            stop(ui)
        server.stop()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process `pid` and all its descendants, from /proc: what
    the serving processes spent, workers included (0.0 where /proc is missing)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def _children_cpu() -> float:
    """CPU time of this process's children that have been waited for (the finished ingest)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report(
    results: list[Result],
    before: dict[str, Result],
    after: dict[str, Result],
    fresh: set[str],
    clients: int,
    window: float,
    ingest_s: float,
    overlap: float,
) -> Report:
    report = Report(
        clients=clients,
        seconds=window,
        requests=len(results),
        ingest_seconds=ingest_s,
        ingest_overlap_s=max(0.0, overlap),
    )
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
        if r.served_by:
            report.answers_per_worker[r.served_by] = (
                report.answers_per_worker.get(r.served_by, 0) + 1
            )
    for r in ok:
        key = (r.answer, r.docs)
        if key == (before[r.question].answer, before[r.question].docs):
            report.same_as_before += 1
        elif key == (after[r.question].answer, after[r.question].docs):
            report.same_as_after += 1
        elif fresh & set(r.docs):
            report.citing_new_articles += 1
        else:
            report.unexplained.append(
                {
                    "question": r.question,
                    "answer": r.answer,
                    "docs": list(r.docs),
                    "before": before[r.question].answer,
                }
            )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--workers", default=None, help="comma-separated worker counts to compare, e.g. 1,2"
    )
    parser.add_argument(
        "--via", default="gradio", help="comma-separated routes to compare: gradio, openai"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")] if args.workers else [None]
    routes = args.via.split(",")
    if not set(routes) <= {"gradio", "openai"}:
        parser.error(f"--via {args.via!r}: use gradio, openai or both")
    reports = []
    for count in counts:
        for via in routes:
            with tempfile.TemporaryDirectory(prefix="rag-load-") as tmp:
                reports.append(
                    run(args.seconds, args.clients, args.articles, Path(tmp), count, via=via)
                )
            print(reports[-1].table() + "\n", flush=True)
    if len(reports) > 1:
        print(compared(reports))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        data = [asdict(r) for r in reports]
        args.out.write_text(json.dumps(data if len(data) > 1 else data[0], indent=2))
    sys.exit(1 if any(r.errors or r.unexplained for r in reports) else 0)


if __name__ == "__main__":
    main()
