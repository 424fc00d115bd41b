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
from typing import Annotated, Optional

import typer

from rag.commands.library import delete, docs, doctor, restore, stats
from rag.commands.topic import topic_app
from rag.commands.watch import watch
from rag.console import (
    Since,
    Sources,
    Until,
    ask_and_print,
    date_option,
    fail,
    filters_from_options,
    leave_now,
    open_assistant,
    quiet_libraries,
    say_problem,
    start_answer_models,
    yield_cpu_to_answers,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ask questions about news articles and get answers that cite them.",
)


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders of articles, or URLs of feeds (RSS, Atom, JSON Feed) and "
            "article pages."
        ),
    ],
    prune: Annotated[bool, typer.Option(help="Remove stored articles whose file is gone.")] = False,
    engine: Annotated[
        Optional[str],
        typer.Option(
            help="Where chunking and embedding run: 'local' (this process, the default) or "
            "'ray' (a Ray cluster at RAY_ADDRESS, else a local Ray; needs rag-news[ray])."
        ),
    ] = None,
    ray_cpus: Annotated[
        Optional[int],
        typer.Option(
            help="CPUs of the local Ray started by --engine ray (default RAG_RAY_NUM_CPUS).", min=1
        ),
    ] = None,
) -> None:
    """Add or update articles (.txt .md .html .pdf .json .jsonl, feed and page URLs);
    unchanged ones are skipped."""
    quiet_libraries()
    from rag.ingest.urls import is_url

    if engine is not None and engine not in ("local", "ray"):
        fail(f"--engine {engine!r}: use 'local' or 'ray'")
    yield_cpu_to_answers()
    assistant = open_assistant()
    if engine is not None:
        assistant.settings.ingest_engine = engine  # type: ignore[assignment]
    if ray_cpus is not None:
        assistant.settings.ray_num_cpus = ray_cpus
    report = assistant.ingest(
        [Path(p) for p in paths if not is_url(p)],
        prune=prune,
        progress=True,  # a bar on a terminal, else a line a minute (rag.ingest.progress)
        on_problem=say_problem,
        urls=[p for p in paths if is_url(p)],
    )
    typer.echo(report.summary())
    for line in report.feeds:  # what each feed brought; an unchanged one costs one request
        typer.echo(line)
    typer.echo(f"Store: {assistant.store.location} (collection {assistant.settings.collection!r})")
    if report.failed:
        typer.echo(
            f"{len(report.problems)} file(s) or record(s) could not be ingested; "
            "see the lines above. Everything else was stored.",
            err=True,
        )
        raise typer.Exit(1)


app.command()(watch)  # registered in the order `rag --help` lists them


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    top_k: Annotated[
        Optional[int], typer.Option(help="Passages to answer from (1-50).", min=1, max=50)
    ] = None,
    since: Since = None,
    until: Until = None,
    source: Sources = None,
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of",
            help="The day the question is asked (YYYY-MM-DD): 'this year', 'last "
            "month' and month names resolve against it. Default: today.",
        ),
    ] = None,
) -> None:
    """Answer a question from the stored articles, citing the passages used."""
    quiet_libraries()
    start_answer_models()
    filters = filters_from_options(since, until, source)
    day = date_option(as_of, "--as-of")
    assistant = open_assistant(need_articles=True)
    answer = ask_and_print(assistant, question, filters, top_k, stream=not as_json, as_of=day)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))


@app.command()
def brief(
    topic: Annotated[Optional[str], typer.Argument(help="What the briefing is about.")] = None,
    since: Since = None,
    until: Until = None,
    source: Sources = None,
    out: Annotated[Optional[Path], typer.Option(help="Write the Markdown here.")] = None,
    check: Annotated[
        Optional[Path],
        typer.Option(
            help="Re-verify that every quote of this briefing still stands in the articles and "
            "every figure of a cited line is in a quote it cites."
        ),
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
            typer.echo(
                f"{check}: {len(problems)} problem(s): quotes or figures that no "
                "longer stand in the stored articles.",
                err=True,
            )
            raise typer.Exit(1)
        typer.echo(f"{check}: every quoted span still stands in its article.")
        return
    if not topic:
        fail('give a topic, e.g. rag brief "Israel–Hezbollah border"')
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


app.add_typer(topic_app, name="topic")
app.command()(delete)
app.command()(restore)
app.command()(doctor)


@app.command()
def chat(
    top_k: Annotated[
        Optional[int], typer.Option(help="Passages to answer from (1-50).", min=1, max=50)
    ] = None,
) -> None:
    """A conversation in the terminal; follow-up questions keep their context. Ctrl-D ends."""
    quiet_libraries()
    start_answer_models()
    from rag.retrieval import Filters

    assistant = open_assistant(need_articles=True)
    mode = "LLM " + assistant.settings.llm_model if assistant.settings.use_llm else "extractive"
    typer.echo(
        f"Ask about the {len(assistant.library())} stored articles "
        f"({mode} mode). Empty line or Ctrl-D to quit."
    )
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


app.command()(docs)
app.command()(stats)


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
    ended: SystemExit | None = None
    with PanicFilter() as native:  # Chroma's Rust panic reports never reach the screen
        try:
            _run()
        except SystemExit as done:
            ended, failed = done, None
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # a Rust panic is a BaseException (pyo3)
            failed = err
        else:
            failed = None
    if failed is not None:
        if message := store_failure(failed, native.panics):
            typer.echo(f"error: {message}", err=True)
            sys.exit(2)
        raise failed
    if sys.argv[1:2] in (["ask"], ["chat"]) and (ended is None or ended.code in (0, None)):
        leave_now()  # they wrote nothing: skip the interpreter's teardown (0.3 s)
    if ended is not None:
        raise ended


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
