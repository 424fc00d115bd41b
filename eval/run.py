"""Run a gold set through the assistant and write results, summary, report and gate.

Every question goes through `Assistant.ask`, the same code path as `rag ask --json`, on a
thread pool with a progress bar. With a corpus, the corpus is ingested into a collection of
its own (named after the corpus path), which incremental ingest reuses while it is unchanged.
Outputs in the run folder: `results.jsonl` (answer JSON + scores per question),
`summary.json` (figures, per-tag figures, run facts), `report.md`, `report.html`, `plots/`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eval.gold import GoldError, GoldItem, load_gold
from eval.metrics import lookup, score, squash, summarize
from rag import Assistant, Settings


def corpus_collection(corpus: Path) -> str:
    """A collection per corpus path, so eval corpora never mix with the user's articles."""
    digest = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    return f"eval-{digest}"


def git_revision() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, cwd=Path(__file__).parent)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def check_thresholds(summary: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """Each missed bar as a sentence; `thresholds` is {"min": {path: v}, "max": {path: v}}."""
    misses = []
    for bound, bars in thresholds.items():
        if bound not in ("min", "max"):
            raise ValueError(f"thresholds: unknown key {bound!r}; use 'min' and 'max'")
        for path, bar in bars.items():
            value = lookup(summary, path)
            if value is None:
                misses.append(f"{path} was not measured (bar {bound} {bar})")
            elif (bound == "min" and value < bar) or (bound == "max" and value > bar):
                misses.append(f"{path} = {value} misses the bar ({bound} {bar})")
    return misses


def check_evidence(store: Any, items: list[GoldItem], gold_path: Path) -> None:
    """Refuse gold whose evidence is not in the store, naming the gold file and line.

    Without this, gold citing a missing article or a quote the article does not contain ran
    to the end and reported citation precision 1.0 beside hit@k 0.0. Quotes are matched as
    the retrieval metrics match them (`metrics.squash`: case, curly quotes and whitespace
    folded), so gold the metrics can score is never refused ("The Tony Awards" in "the Tony
    Awards").
    """
    docs = {ev.doc for item in items for ev in item.evidence}
    texts = {doc: squash(text) for doc, text in store.article_texts(docs).items()}
    stored = store.article_records(sorted(docs))
    for item in items:
        for k, ev in enumerate(item.evidence):
            where = f"{gold_path}:{item.line} evidence[{k}]"
            if ev.doc not in stored or ev.doc not in texts:
                raise GoldError(f"{where}: cites {ev.doc!r}, which is not a stored article "
                                "(see `rag docs` for the ids the corpus was given)")
            if squash(ev.quote) not in texts[ev.doc]:
                raise GoldError(f"{where}: the quote “{ev.quote[:60]}” is not in {ev.doc}")


def _ask(assistant: Assistant, item: GoldItem, mode: str | None) -> dict[str, Any]:
    result = assistant.ask(item.question, mode=mode, as_of=item.as_of).to_json()
    gold = {"answers": list(item.answers), "answerable": item.answerable,
            "evidence": [{"doc": e.doc, "quote": e.quote} for e in item.evidence]}
    return {"id": item.id, "tags": list(item.tags), "gold": gold, **result,
            "scores": score(result, item)}


def run_eval(gold_path: Path, out_dir: Path, settings: Settings, corpus: Path | None = None,
             concurrency: int = 2, thresholds: dict[str, Any] | None = None,
             progress: bool = True, mode: str | None = None) -> dict[str, Any]:
    """Run the eval and write its files; returns the summary (with `gate` misses).

    `mode` is 'extractive' or 'llm' (default: the configured one, as `rag ask` would).
    """
    from tqdm import tqdm

    from eval.report import write_reports

    items = load_gold(gold_path)
    if corpus is not None:
        settings = settings.model_copy(update={"collection": corpus_collection(corpus)})
    assistant = Assistant.from_settings(settings)
    if corpus is not None:
        report = assistant.ingest([corpus], progress=progress)
        if report.problems:
            raise ValueError(f"corpus {corpus}: {len(report.problems)} file(s) could not be "
                             f"read, first: {report.problems[0]}")
    if not assistant.store.has_articles():
        raise ValueError("the store is empty: pass --corpus PATH or ingest articles first")
    check_evidence(assistant.store, items, gold_path)
    mode = mode or assistant.default_mode
    assistant.embed_model  # load once before the threads start
    assistant.retriever.bm25()
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        rows = list(tqdm(pool.map(lambda it: _ask(assistant, it, mode), items), total=len(items),
                         desc="Questions", unit="q", disable=not progress))
    summary = summarize(rows)
    tags = sorted({t for r in rows for t in r["tags"]})
    summary["by_tag"] = {t: summarize([r for r in rows if t in r["tags"]]) for t in tags}
    summary["run"] = {
        "gold": str(gold_path), "mode": mode,
        "model": settings.llm_model if mode == "llm" else "extractive (no LLM)",
        "answer_modes": dict(Counter(r["mode"] for r in rows)),
        "embedder": settings.embed_backend, "corpus": str(corpus) if corpus else None,
        "collection": settings.collection, "corpus_fingerprint": {k: v for k, v in assistant.store.fingerprint().items()
                               if k != "content_hashes"},
        "git_revision": git_revision(),
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": json.loads(settings.model_dump_json()),
    }
    summary["gate"] = check_thresholds(summary, thresholds) if thresholds else []
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    write_reports(out_dir, summary, rows)
    return summary
