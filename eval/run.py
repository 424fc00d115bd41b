"""Run a gold set through the assistant and write results, summary, report and gate.

Every question goes through `Assistant.ask`, the same code path as `rag ask --json`, on a
thread pool, saying on stderr how far it is (`eval.progress`). With a corpus, the corpus is
ingested into a collection of its own (named after the corpus path), which incremental ingest
reuses while it is unchanged. Outputs in the run folder: `results.jsonl` (answer JSON + scores
per question, appended as each is answered, so a run that stops can be resumed:
`eval.results`), `summary.json` (figures, per-tag figures, run facts), `report.md`,
`report.html`, `plots/`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

from eval.gold import GoldError, GoldItem, load_gold
from eval.metrics import score, squash
from eval.progress import QuestionProgress, say
from eval.results import RESULTS, ResultsFile, question_key, read_rows, reusable, run_key
from eval.summary import lookup, summarize
from rag import Assistant, Settings


def corpus_collection(corpus: Path) -> str:
    """A collection per corpus path, so eval corpora never mix with the user's articles."""
    digest = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    return f"eval-{digest}"


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).parent,
        )
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
    stored = store.registry.records(sorted(docs))
    for item in items:
        for k, ev in enumerate(item.evidence):
            where = f"{gold_path}:{item.line} evidence[{k}]"
            if ev.doc not in stored or ev.doc not in texts:
                raise GoldError(
                    f"{where}: cites {ev.doc!r}, which is not a stored article "
                    "(see `rag docs` for the ids the corpus was given)"
                )
            if squash(ev.quote) not in texts[ev.doc]:
                raise GoldError(f"{where}: the quote “{ev.quote[:60]}” is not in {ev.doc}")


def _ask(assistant: Assistant, item: GoldItem, mode: str, key: str) -> dict[str, Any]:
    """One gold question answered as a user would get it: a follow-up (`after`) is read in
    its chat the way the chat and the API read it (`Assistant.next_turn`)."""
    searched: list[str] = []
    for earlier in item.after:
        searched.append(assistant.next_turn(searched, earlier).searched)
    turn = assistant.next_turn(searched, item.question)
    answer = assistant.ask(turn.question, mode=mode, as_of=item.as_of, topic=turn.topic)
    result = answer.to_json()
    gold = {
        "answers": list(item.answers),
        "answerable": item.answerable,
        "evidence": [{"doc": e.doc, "quote": e.quote} for e in item.evidence],
    }
    return {
        "id": item.id,
        "tags": list(item.tags),
        **({"after": list(item.after)} if item.after else {}),
        "gold": gold,
        **result,
        "scores": score(result, item),
        "resume_key": key,
    }


def _ingest_corpus(assistant: Assistant, corpus: Path, progress: bool) -> None:
    """Ingest the eval corpus, saying so: on a large corpus this is most of the run."""
    say(
        f"ingesting {corpus} into collection {assistant.settings.collection} "
        "(articles already stored unchanged are skipped)",
        progress,
    )
    report = assistant.ingest([corpus], progress=progress)
    if report.problems:
        raise ValueError(
            f"corpus {corpus}: {len(report.problems)} file(s) could not be "
            f"read, first: {report.problems[0]}"
        )
    say(f"ingested: {report.summary()}", progress)


def _kept_rows(
    results: Path, keys: dict[str, str], fresh: bool, progress: bool
) -> dict[str, dict[str, Any]]:
    """The answers a previous run in this folder left that this run can reuse, by id."""
    if fresh:
        return {}
    before = read_rows(results)
    kept = reusable(before, keys)
    if kept:
        say(
            f"reused {len(kept)} of {len(keys)} answers already in {results} "
            "(same questions and settings; --fresh to start over)",
            progress,
        )
    if len(before) > len(kept):
        say(
            f"{len(before) - len(kept)} answer(s) in {results} were for other questions, "
            "settings or articles and are asked again",
            progress,
        )
    return kept


def _answer_all(
    assistant: Assistant,
    todo: list[GoldItem],
    mode: str,
    keys: dict[str, str],
    concurrency: int,
    file: ResultsFile,
    bar: QuestionProgress,
) -> list[dict[str, Any]]:
    """Answer `todo`, `concurrency` questions at a time, writing each row the moment it is
    done.

    A question starts only when one in flight has finished and been written, so a failed
    question stops the run (its error goes on) with every answer finished before it written
    and nothing queued behind it."""
    rows: list[dict[str, Any]] = []
    waiting = iter(todo)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:

        def start(n: int) -> set[Future]:
            return {
                pool.submit(_ask, assistant, it, mode, keys[it.id]) for it in islice(waiting, n)
            }

        running = start(max(1, concurrency))
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            failed = [f for f in done if f.exception() is not None]
            for future in done.difference(failed):
                rows.append(future.result())
                file.append(rows[-1])
                bar.update(rows[-1])
            if failed:
                failed[0].result()  # raises the question's error
            running |= start(len(done))
    return rows


def _run_facts(
    gold_path: Path,
    corpus: Path | None,
    settings: Settings,
    mode: str,
    rows: list[dict[str, Any]],
    fingerprint: dict[str, Any],
    reused: int,
) -> dict[str, Any]:
    """What `summary.json` records about how the run was made."""
    return {
        "gold": str(gold_path),
        "mode": mode,
        "model": settings.llm_model if mode == "llm" else "extractive (no LLM)",
        "answer_modes": dict(Counter(r["mode"] for r in rows)),
        "embedder": settings.embed_backend,
        "corpus": str(corpus) if corpus else None,
        "collection": settings.collection,
        "corpus_fingerprint": {k: v for k, v in fingerprint.items() if k != "content_hashes"},
        "git_revision": git_revision(),
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "reused": reused,
        "settings": json.loads(settings.model_dump_json()),
    }


def run_eval(
    gold_path: Path,
    out_dir: Path,
    settings: Settings,
    corpus: Path | None = None,
    concurrency: int = 2,
    thresholds: dict[str, Any] | None = None,
    progress: bool = True,
    mode: str | None = None,
    fresh: bool = False,
) -> dict[str, Any]:
    """Run the eval and write its files; returns the summary (with `gate` misses).

    `mode` is 'extractive' or 'llm' (default: the configured one, as `rag ask` would).
    `progress` says on stderr what is happening (ingest, each question, reused answers).
    Answers already in `out_dir/results.jsonl` for the same questions and settings are
    reused (see `eval.results`) unless `fresh`.
    """
    from eval.report import write_reports

    items = load_gold(gold_path)
    if corpus is not None:
        settings = settings.model_copy(update={"collection": corpus_collection(corpus)})
    assistant = Assistant.from_settings(settings)
    if corpus is not None:
        _ingest_corpus(assistant, corpus, progress)
    if not assistant.store.has_articles():
        raise ValueError("the store is empty: pass --corpus PATH or ingest articles first")
    check_evidence(assistant.store, items, gold_path)
    mode = mode or assistant.default_mode
    fingerprint = assistant.store.fingerprint()
    run = run_key(settings, mode, fingerprint["sha256"])
    keys = {item.id: question_key(run, item) for item in items}
    results = out_dir / RESULTS
    kept = _kept_rows(results, keys, fresh, progress)
    (out_dir / "summary.json").unlink(missing_ok=True)  # stale until this run ends
    file = ResultsFile(results, list(kept.values()))
    todo = [item for item in items if item.id not in kept]
    say(
        f"answering {len(todo)} question(s) in {mode} mode; each is written to {results} "
        "as it is answered",
        progress and bool(todo),
    )
    assistant.warm_up()  # load once before the threads start
    bar = QuestionProgress(len(items), list(kept.values()), enabled=progress)
    try:
        answered = {
            r["id"]: r for r in _answer_all(assistant, todo, mode, keys, concurrency, file, bar)
        }
    except BaseException:
        say(
            f"stopped; the answers so far are in {results}: run the same command again "
            "to go on from there",
            progress,
        )
        raise
    finally:
        bar.close()
        file.close()
    rows = [kept.get(item.id) or answered[item.id] for item in items]
    file.finish(rows)
    summary = summarize(rows)
    tags = sorted({t for r in rows for t in r["tags"]})
    summary["by_tag"] = {t: summarize([r for r in rows if t in r["tags"]]) for t in tags}
    summary["run"] = _run_facts(gold_path, corpus, settings, mode, rows, fingerprint, len(kept))
    summary["gate"] = check_thresholds(summary, thresholds) if thresholds else []
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    write_reports(out_dir, summary, rows)
    return summary
