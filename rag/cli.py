"""The `rag` command line: ingest articles, ask questions, list what is stored.

Each command is a thin shell over `rag.assistant` (and `rag.console`, which the other command
lines share); heavy libraries are imported inside the commands so `rag --help` is instant. Errors
are one plain line on stderr saying what happened and what to do, with a non-zero exit status.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from rag.console import (
    ask_and_print,
    date_option,
    fail,
    filters_from_options,
    load_settings,
    open_assistant,
    quiet_libraries,
    say_problem,
)

if TYPE_CHECKING:
    from rag.assistant import Assistant

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Ask questions about news articles and get answers that cite them.")


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Files or folders of articles, or URLs of feeds (RSS, Atom, JSON Feed) and "
        "article pages.")],
    prune: Annotated[bool, typer.Option(help="Remove stored articles whose file is gone.")
                     ] = False,
    engine: Annotated[Optional[str], typer.Option(
        help="Where chunking and embedding run: 'local' (this process, the default) or "
        "'ray' (a Ray cluster at RAY_ADDRESS, else a local Ray; needs rag-news[ray]).")
    ] = None,
    ray_cpus: Annotated[Optional[int], typer.Option(
        help="CPUs of the local Ray started by --engine ray (default RAG_RAY_NUM_CPUS).",
        min=1)] = None,
) -> None:
    """Add or update articles (.txt .md .html .pdf .json .jsonl, feed and page URLs);
    unchanged ones are skipped."""
    quiet_libraries()
    from rag.ingest.urls import is_url

    if engine is not None and engine not in ("local", "ray"):
        fail(f"--engine {engine!r}: use 'local' or 'ray'")
    _yield_cpu()
    assistant = open_assistant()
    if engine is not None:
        assistant.settings.ingest_engine = engine  # type: ignore[assignment]
    if ray_cpus is not None:
        assistant.settings.ray_num_cpus = ray_cpus
    report = assistant.ingest([Path(p) for p in paths if not is_url(p)], prune=prune,
                              progress=sys.stderr.isatty(), on_problem=say_problem,
                              urls=[p for p in paths if is_url(p)])
    typer.echo(report.summary())
    for line in report.feeds:  # what each feed brought; an unchanged one costs one request
        typer.echo(line)
    typer.echo(f"Store: {assistant.store.location} (collection "
               f"{assistant.settings.collection!r})")
    if report.failed:
        typer.echo(f"{len(report.problems)} file(s) or record(s) could not be ingested; "
                   "see the lines above. Everything else was stored.", err=True)
        raise typer.Exit(1)


@app.command()
def watch(
    feeds: Annotated[Optional[list[str]], typer.Argument(
        help="Feed URLs (RSS, Atom, JSON Feed); they join the watch list. None: poll the "
             "watch list (the feeds watched before, here or in the UI's Library tab).")] = None,
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 1h.")] = "15m",
    feeds_file: Annotated[Optional[Path], typer.Option(
        "--feeds", help="A file of feed URLs, one a line (# starts a comment).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
    polls: Annotated[Optional[int], typer.Option(help="Poll this many times, then exit.",
                                                 min=1)] = None,
    listing: Annotated[bool, typer.Option(
        "--list", help="List the watched feeds and their last poll, then exit.")] = False,
    remove: Annotated[Optional[list[str]], typer.Option(
        "--remove", help="Stop watching this feed (repeatable); its articles stay stored.")
                      ] = None,
) -> None:
    """Keep the store current from news feeds: poll, store what is new or changed, repeat."""
    quiet_libraries()
    import time

    from rag.ingest.watch import poll_feeds
    from rag.ingest.web import Fetcher

    if listing or remove:
        _watch_list(remove or [], show=listing)
        return
    given = _feed_list(feeds or [], feeds_file)
    interval = _duration(every)
    _yield_cpu()
    assistant = open_assistant()
    stored_list = not given  # re-read each poll: feeds added or removed meanwhile count
    urls = given or _watched(assistant)
    fetcher = Fetcher(assistant.settings)
    limit = 1 if once else polls
    refused = False
    number = 0
    typer.echo(f"Watching {len(urls)} feed(s){' (the watch list)' if stored_list else ''} "
               f"every {every}; store: {assistant.store.location}", err=True)
    try:
        while True:
            number += 1
            if stored_list and number > 1:
                urls = list(assistant.watched_feeds())
            try:
                report = poll_feeds(urls, assistant, fetcher, on_problem=say_problem,
                                    listed_only=stored_list)
            except ValueError as err:  # a damaged state file
                fail(str(err))
            for line in report.feeds:
                typer.echo(line.line(number))
            refused = refused or report.failed
            if limit is not None and number >= limit:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo(f"Stopped after {number} poll(s).", err=True)
    finally:
        fetcher.close()
    if refused:
        raise typer.Exit(1)


def _watched(assistant: Assistant) -> list[str]:
    """The stored watch list, or a clear error when there is none (or it is damaged)."""
    try:
        urls = list(assistant.watched_feeds())
    except ValueError as err:
        fail(str(err))
    if not urls:
        fail("no feeds given and none watched yet; e.g. rag watch "
             "https://example.com/rss.xml, or --feeds FILE")
    return urls


def _watch_list(remove: list[str], show: bool) -> None:
    """`rag watch --remove URL` and `rag watch --list`: the watch list, without polling."""
    assistant = open_assistant()
    try:
        for url in remove:
            if assistant.unwatch_feed(url):
                typer.echo(f"No longer watching {url}; its articles stay stored.")
            else:
                fail(f"{url} is not a watched feed; see rag watch --list")
        if show:
            watched = assistant.watched_feeds()
            for url, state in watched.items():
                counts = state.last_counts
                brought = (f"{counts.get('new', 0)} new, {counts.get('updated', 0)} updated, "
                           f"{counts.get('unchanged', 0)} unchanged, "
                           f"{counts.get('failed', 0)} failed") if state.polls else "never polled"
                typer.echo(f"{url}\t{state.title or '(untitled)'}\tlast polled "
                           f"{state.last_poll or 'never'}: {state.last_result or '-'}; {brought}")
            if not watched:
                typer.echo("No feeds are watched; add one with rag watch URL or in the UI's "
                           "Library tab.", err=True)
    except ValueError as err:  # a damaged state file
        fail(str(err))


def _yield_cpu() -> None:
    """Let a server answering on these cores go first (`RAG_INGEST_NICE`); see
    `rag.ingest.priority`. Runs before the embedder starts its threads."""
    from rag.ingest.priority import yield_cpu

    yield_cpu(load_settings().ingest_nice)


def _feed_list(given: list[str], listing: Optional[Path]) -> list[str]:
    """The feeds named on the command line and in the --feeds file, each once (may be none:
    then the stored watch list is polled)."""
    from rag.ingest.urls import is_url

    urls = list(given)
    if listing is not None:
        try:
            lines = listing.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            fail(f"{listing}: cannot be read ({err})")
        for number, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].strip()
            if line and not is_url(line):
                fail(f"{listing}:{number}: {line!r} is not an http(s) URL")
            if line:
                urls.append(line)
        if not urls:
            fail(f"{listing}: lists no feeds")
    for url in urls:
        if not is_url(url):
            fail(f"{url!r} is not a feed URL; give http(s) addresses")
    return list(dict.fromkeys(urls))


def _duration(text: str) -> float:
    """Seconds in '90', '30s', '15m' or '1h', or a clear error naming --every."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        fail(f"--every {text!r} is not a duration; use e.g. 30s, 15m or 1h")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    top_k: Annotated[Optional[int], typer.Option(help="Passages to answer from (1-50).",
                                                 min=1, max=50)] = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles dated on/after.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles dated on/before.")
                     ] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="Only this outlet (repeatable).")
                      ] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The day the question is asked (YYYY-MM-DD): 'this year', 'last "
        "month' and month names resolve against it. Default: today.")] = None,
) -> None:
    """Answer a question from the stored articles, citing the passages used."""
    quiet_libraries()
    filters = filters_from_options(since, until, source)
    day = date_option(as_of, "--as-of")
    assistant = open_assistant(need_articles=True)
    answer = ask_and_print(assistant, question, filters, top_k, stream=not as_json, as_of=day)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))


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
        help="Re-verify that every quote of this briefing still stands in the articles and "
        "every figure of a cited line is in a quote it cites.")
                     ] = None,
) -> None:
    """A cited briefing on a topic: summary, key points, timeline, disagreements, sources."""
    quiet_libraries()
    from rag.briefing import build_briefing, check_briefing, render_markdown

    assistant = open_assistant()
    if check is not None:
        if not check.exists():
            fail(f"{check}: no such file")
        problems = check_briefing(assistant.store, check.read_text(encoding="utf-8"))
        for problem in problems:
            typer.echo(problem, err=True)
        if problems:
            typer.echo(f"{check}: {len(problems)} problem(s): quotes or figures that no "
                       "longer stand in the stored articles.", err=True)
            raise typer.Exit(1)
        typer.echo(f"{check}: every quoted span still stands in its article.")
        return
    if not topic:
        fail("give a topic, e.g. rag brief \"Israel–Hezbollah border\"")
    if not assistant.store.has_articles():
        fail("the store is empty; add articles first, e.g. `rag ingest seeds`", 1)
    filters = filters_from_options(since, until, source)
    try:
        markdown = render_markdown(build_briefing(assistant, topic, filters))
    except ValueError as err:
        fail(str(err))
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
    quiet_libraries()
    assistant = open_assistant()
    missing = [d for d in doc_ids if not assistant.delete(d)]
    for doc_id in doc_ids:
        if doc_id not in missing:
            typer.echo(f"deleted {doc_id}")
    if missing:
        fail(f"not stored: {', '.join(missing)} (see `rag docs` for the ids)", code=1)


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--repair", help="Fix what is found.")] = False,
) -> None:
    """Check the store: chunks present once per article, no leftovers, BM25 in step."""
    quiet_libraries()
    from rag.doctor import diagnose, repair

    store = open_assistant().store
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
def chat(
    top_k: Annotated[Optional[int], typer.Option(help="Passages to answer from (1-50).",
                                                 min=1, max=50)] = None,
) -> None:
    """A conversation in the terminal; follow-up questions keep their context. Ctrl-D ends."""
    quiet_libraries()
    from rag.retrieval import Filters

    assistant = open_assistant(need_articles=True)
    mode = "LLM " + assistant.settings.llm_model if assistant.settings.use_llm else "extractive"
    typer.echo(f"Ask about the {len(assistant.library())} stored articles "
               f"({mode} mode). Empty line or Ctrl-D to quit.")
    history: list[str] = []  # the questions as searched, oldest first
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            break
        if not question or question.lower() in {"exit", "quit"}:
            break
        turn = assistant.next_turn(history, question)
        if turn.searched != question:
            typer.echo(f"(searching for: {turn.searched})")
        ask_and_print(assistant, turn.question, Filters(), top_k, stream=True, topic=turn.topic)
        history.append(turn.searched)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List stored articles with their dates, newest first."""
    quiet_libraries()
    from rag.answer import for_terminal

    records = open_assistant().library()
    rows = sorted(records.items(), key=lambda kv: (kv[1].get("date") or "", kv[0]),
                  reverse=True)
    if as_json:
        typer.echo(json.dumps([{"doc": k, **{f: x for f, x in v.items() if f != "minhash"}}
                               for k, v in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("No articles stored yet; add some with `rag ingest PATH`.")
    for doc_id, rec in rows:
        title = for_terminal(rec.get("title") or "")
        title = title if len(title) <= 70 else title[:69] + "…"
        source = for_terminal(rec.get("source") or "-")
        replaced = f"  (replaced by {rec['superseded_by']})" if rec.get("superseded_by") else ""
        typer.echo(f"{rec.get('date') or 'undated':10}  {source:18.18}  "
                   f"{rec.get('chunks', 0):>3} chunks  {for_terminal(doc_id)}  {title}{replaced}")
    stories: dict[str, list[str]] = {}
    for doc_id, rec in sorted(records.items(), key=lambda kv: (kv[1].get("date") or "", kv[0])):
        stories.setdefault(rec.get("story") or doc_id, []).append(doc_id)
    shared = {k: v for k, v in stories.items() if len(v) > 1}
    if shared:
        typer.echo(f"\nStories with several copies ({len(shared)}; answers cite one copy and "
                   "name the other outlets):")
    for story, members in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        outlets = ", ".join(dict.fromkeys(for_terminal(records[d].get("source") or "-")
                                          for d in members))
        typer.echo(f"  story {for_terminal(story)}: {len(members)} copies ({outlets}): "
                   f"{', '.join(for_terminal(d) for d in members)}")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts and where the store lives."""
    quiet_libraries()
    info = open_assistant().stats()
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
    """Run the command; whatever ends it is said in one line, not a traceback."""
    from rag.panics import PanicFilter, store_failure

    _load_plugins()
    _warn_unknown_variables()
    if sys.argv[1:2] == ["serve"]:  # a server's log keeps every report (uvicorn workers too)
        _run()
        return
    with PanicFilter() as native:  # Chroma's Rust panic reports never reach the screen
        try:
            _run()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as err:  # a Rust panic is a BaseException (pyo3)
            failed: BaseException | None = err
        else:
            failed = None
    if failed is not None:
        if message := store_failure(failed, native.panics):
            typer.echo(f"error: {message}", err=True)
            sys.exit(2)
        raise failed


def _warn_unknown_variables() -> None:
    """One `warning:` line per `RAG_*` variable that no setting reads (a misspelt name would
    otherwise be ignored without a word), before the command runs."""
    from rag.settings import unknown_variables

    for line in unknown_variables(os.environ):
        typer.echo(f"warning: {line}", err=True)


def _run() -> None:
    """The command itself, with the errors every command may meet said as one line."""
    from pydantic import ValidationError

    from rag.errors import EngineUnavailable, StoreUnavailable, disk_full
    from rag.settings import describe_error

    try:
        app()
    except (StoreUnavailable, EngineUnavailable) as err:
        # the server went away mid-command: one line, not a trace
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)
    except ValidationError as err:  # a RAG_* variable that does not parse (serve, eval, ...)
        typer.echo(f"error: bad setting {describe_error(err)}", err=True)
        sys.exit(2)
    except Exception as err:  # a full disk anywhere (doctor --repair, brief --out): one line
        where = Path(os.environ.get("RAG_DATA_DIR") or ".rag").resolve()
        if full := disk_full(err, where, "running the command", check_space=True):
            typer.echo(f"error: {full}", err=True)
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
