"""The `rag` command line: ingest articles, ask questions, list what is stored.

Each command is a thin shell over `rag.assistant` / `rag.ingest`; heavy libraries are imported
inside the commands so `rag --help` is instant. Errors are one plain line on stderr saying
what happened and what to do, with a non-zero exit status.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Ask questions about news articles and get answers that cite them.")


def _quiet_libraries() -> None:
    """Keep third-party chatter (progress bars of model loading, debug logs) off the screen."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for noisy in ("bm25s", "chromadb", "httpx", "sentence_transformers", "transformers",
                  "llama_index"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _date_option(value: Optional[str], name: str) -> Optional[date]:
    if not value:
        return None
    from rag.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        _fail(f"{name} {value!r} is not a date; use YYYY-MM-DD")
    return parsed


def _assistant():  # type: ignore[no-untyped-def]
    from rag.assistant import Assistant
    from rag.settings import Settings
    from rag.store import StoreUnavailable

    try:
        return Assistant.from_settings(Settings())
    except StoreUnavailable as err:
        _fail(str(err))


def _say_problem(problem) -> None:  # type: ignore[no-untyped-def]
    from rag.parsing import ParseWarning

    kind = "warning" if isinstance(problem, ParseWarning) else "skipped"
    typer.echo(f"{kind} {problem}", err=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
    prune: Annotated[bool, typer.Option(help="Remove stored articles whose file is gone.")
                     ] = False,
) -> None:
    """Add or update articles (.txt .md .html .pdf .json .jsonl); unchanged ones are skipped."""
    _quiet_libraries()
    assistant = _assistant()
    from rag.ingest import ingest as run_ingest

    report = run_ingest(paths, assistant.settings, store=assistant.store, prune=prune,
                        progress=sys.stderr.isatty(),
                        on_problem=_say_problem)
    typer.echo(report.summary())
    typer.echo(f"Store: {assistant.store.location} (collection "
               f"{assistant.settings.collection!r})")
    if report.failed:
        typer.echo(f"{len(report.problems)} file(s) or record(s) could not be ingested; "
                   "see the lines above. Everything else was stored.", err=True)
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    top_k: Annotated[Optional[int], typer.Option(help="Passages to answer from.", min=1)
                     ] = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles dated on/after.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles dated on/before.")
                     ] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="Only this outlet (repeatable).")
                      ] = None,
) -> None:
    """Answer a question from the stored articles, citing the passages used."""
    _quiet_libraries()
    from rag.retrieval import Filters

    filters = Filters(since=_date_option(since, "--since"),
                      until=_date_option(until, "--until"), sources=tuple(source or ()))
    assistant = _assistant()
    if not assistant.store.has_articles():
        _fail("the store is empty; add articles first, e.g. `rag ingest seeds`", 1)
    answer = _answer(assistant, question, filters, top_k, stream=not as_json)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))


def _answer(assistant, question: str, filters, top_k: int | None,  # type: ignore[no-untyped-def]
            stream: bool):
    """Ask, streaming generated tokens to the terminal, then print the checked answer."""
    from rag.answer import render_text
    from rag.llm import LLMConfigError

    streamed: list[str] = []

    def on_token(token: str) -> None:
        streamed.append(token)
        if stream:
            sys.stdout.write(token)
            sys.stdout.flush()

    def on_retry(reason: str, wait: float) -> None:
        if streamed and stream:
            sys.stdout.write("\n")
        typer.echo(f"LLM endpoint: {reason}; trying again in {wait:.1f} s"
                   + (" (discarding the partial answer above)" if streamed else ""), err=True)
        streamed.clear()

    try:
        answer = assistant.ask(question, filters=filters, top_k=top_k, on_token=on_token,
                               on_retry=on_retry)
    except (ValueError, LLMConfigError) as err:
        _fail(str(err))
    if stream:
        text = render_text(answer)
        if streamed:
            sys.stdout.write("\n")
            if "".join(streamed).strip() != answer.answer.strip():
                typer.echo("\n── checked answer (replaces the streamed text) ──")
            else:
                text = text[len(answer.answer):].lstrip("\n")
        typer.echo(text)
    return answer


@app.command()
def brief(
    topic: Annotated[Optional[str], typer.Argument(help="What the briefing is about.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles dated on/after.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles dated on/before.")
                     ] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="Only this outlet (repeatable).")
                      ] = None,
    out: Annotated[Optional[Path], typer.Option(help="Write the Markdown here.")] = None,
    check: Annotated[Optional[Path], typer.Option(
        help="Re-verify that every quote of this briefing still stands in the articles.")
                     ] = None,
) -> None:
    """A cited briefing on a topic: summary, key points, timeline, disagreements, sources."""
    _quiet_libraries()
    from rag.briefing import build_briefing, check_briefing
    from rag.retrieval import Filters

    assistant = _assistant()
    if check is not None:
        if not check.exists():
            _fail(f"{check}: no such file")
        problems = check_briefing(assistant, check.read_text(encoding="utf-8"))
        for problem in problems:
            typer.echo(problem, err=True)
        if problems:
            typer.echo(f"{check}: {len(problems)} quote(s) no longer stand in the stored "
                       "articles.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{check}: every quoted span still stands in its article.")
        return
    if not topic:
        _fail("give a topic, e.g. rag brief \"Israel–Hezbollah border\"")
    if not assistant.store.has_articles():
        _fail("the store is empty; add articles first, e.g. `rag ingest seeds`", 1)
    filters = Filters(since=_date_option(since, "--since"),
                      until=_date_option(until, "--until"), sources=tuple(source or ()))
    try:
        markdown = build_briefing(assistant, topic, filters).to_markdown()
    except ValueError as err:
        _fail(str(err))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown, encoding="utf-8")
        typer.echo(f"Briefing written to {out}")
    else:
        typer.echo(markdown)


@app.command()
def delete(
    doc_ids: Annotated[list[str], typer.Argument(help="Article ids, as `rag docs` lists them.")],
) -> None:
    """Remove articles and their chunks from the store (their files are left alone)."""
    _quiet_libraries()
    assistant = _assistant()
    missing = [d for d in doc_ids if not assistant.delete(d)]
    for doc_id in doc_ids:
        if doc_id not in missing:
            typer.echo(f"deleted {doc_id}")
    if missing:
        _fail(f"not stored: {', '.join(missing)} (see `rag docs` for the ids)", code=1)


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--repair", help="Fix what is found.")] = False,
) -> None:
    """Check the store: chunks present once per article, no leftovers, BM25 in step."""
    _quiet_libraries()
    from rag.doctor import diagnose, repair

    store = _assistant().store
    problems = diagnose(store)
    for problem in problems:
        typer.echo(problem)
    if not problems:
        typer.echo(f"The store at {store.location} is consistent.")
        return
    if not fix:
        typer.echo(f"{len(problems)} problem(s); run `rag doctor --repair` to fix them.",
                   err=True)
        raise typer.Exit(1)
    for action in repair(store):
        typer.echo(action)
    left = diagnose(store)
    if left:
        for problem in left:
            typer.echo(f"still: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("Repaired; the store is consistent.")


@app.command()
def bench(
    articles: Annotated[int, typer.Option(help="Seed variants in the generated corpus.")] = 200,
    corpus: Annotated[Optional[Path], typer.Option(help="A JSONL corpus instead.")] = None,
    scales: Annotated[str, typer.Option(help="Synthetic store sizes for query timing.")
                      ] = "10000,100000",
    cold: Annotated[bool, typer.Option(help="Also time a cold `rag ask`.")] = True,
    out: Annotated[Optional[Path], typer.Option(help="Write the JSON here.")] = None,
) -> None:
    """Measure ingest, embedder efficiency, retrieval at scale and answer latency."""
    from rag.bench import render_table, run_bench

    try:
        result = run_bench(articles, corpus, [int(s) for s in scales.split(",") if s.strip()],
                           cold=cold, echo=lambda m: typer.echo(m, err=True))
    except RuntimeError as err:
        _fail(str(err), 1)
    typer.echo(render_table(result))
    if out:
        out.write_text(json.dumps(result, indent=2))
        typer.echo(f"JSON: {out}")


@app.command()
def chat(
    top_k: Annotated[Optional[int], typer.Option(help="Passages to answer from.", min=1)
                     ] = None,
) -> None:
    """A conversation in the terminal; follow-up questions keep their context. Ctrl-D ends."""
    _quiet_libraries()
    from rag.retrieval import Filters

    assistant = _assistant()
    if not assistant.store.has_articles():
        _fail("the store is empty; add articles first, e.g. `rag ingest seeds`", 1)
    mode = "LLM " + assistant.settings.llm_model if assistant.settings.use_llm else "extractive"
    typer.echo(f"Ask about the {len(assistant.store.article_records())} stored articles "
               f"({mode} mode). Empty line or Ctrl-D to quit.")
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            break
        if not question or question.lower() in {"exit", "quit"}:
            break
        standalone = assistant.standalone(history, question)
        if standalone != question:
            typer.echo(f"(searching for: {standalone})")
        answer = _answer(assistant, standalone, Filters(), top_k, stream=True)
        history.append((question, answer.answer))


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List stored articles with their dates, newest first."""
    _quiet_libraries()
    records = _assistant().store.article_records()
    rows = sorted(records.items(), key=lambda kv: (kv[1].get("date") or "", kv[0]),
                  reverse=True)
    if as_json:
        typer.echo(json.dumps([{"doc": k, **v} for k, v in rows], ensure_ascii=False,
                              indent=2))
        return
    if not rows:
        typer.echo("No articles stored yet; add some with `rag ingest PATH`.")
    for doc_id, rec in rows:
        title = rec.get("title") or ""
        title = title if len(title) <= 70 else title[:69] + "…"
        typer.echo(f"{rec.get('date') or 'undated':10}  {rec.get('source') or '-':18.18}  "
                   f"{rec.get('chunks', 0):>3} chunks  {doc_id}  {title}")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts and where the store lives."""
    _quiet_libraries()
    assistant = _assistant()
    records = assistant.store.article_records()
    dates = sorted(r["date"] for r in records.values() if r.get("date"))
    info = {
        "store": assistant.store.location,
        "collection": assistant.settings.collection,
        "articles": len(records),
        "chunks": assistant.store.chunks.count(),
        "undated_articles": sum(1 for r in records.values() if not r.get("date")),
        "sources": sorted({r["source"] for r in records.values() if r.get("source")}),
        "date_range": [dates[0], dates[-1]] if dates else None,
        "embedder": assistant.settings.embed_backend,
    }
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:17} {value}")


def _load_plugins() -> None:
    """Commands other packages register under the `rag.commands` entry point (e.g. `eval`)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="rag.commands"):
        try:
            app.add_typer(entry.load(), name=entry.name)
        except Exception as err:  # a broken plugin must not take the core commands down
            typer.echo(f"warning: command {entry.name!r} unavailable ({err})", err=True)


def main() -> None:
    from rag.store import StoreUnavailable

    _load_plugins()
    try:
        app()
    except StoreUnavailable as err:  # the server went away mid-command: one line, not a trace
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
