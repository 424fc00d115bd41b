"""What every command line shares: quiet libraries, one-line errors, options, streaming.

`rag` (rag.cli), `rag serve` (ui.cli) and `rag eval` (eval.cli) use these so that errors look
the same everywhere: one `error: …` line on stderr saying what happened and what to do, and a
non-zero exit status. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

if TYPE_CHECKING:
    from rag.answer import Answer
    from rag.assistant import Assistant
    from rag.retrieval import Filters
    from rag.settings import Settings

__all__ = [
    "quiet_libraries",
    "fail",
    "date_option",
    "load_settings",
    "open_assistant",
    "start_answer_models",
    "leave_now",
    "say_problem",
    "ask_and_print",
    "filters_from_options",
    "add_unlisted_uploads_on_start",
]


def quiet_libraries() -> None:
    """Keep third-party chatter (progress bars of model loading, debug logs) off the screen."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for noisy in (
        "bm25s",
        "chromadb",
        "httpx",
        "sentence_transformers",
        "transformers",
        "llama_index",
    ):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on stderr and exit with `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def date_option(value: Optional[str], name: str) -> Optional[date]:
    """A YYYY-MM-DD option's date, or a clear error naming the option (the rule the UI and
    the API apply too: `rag.requests`)."""
    from rag.requests import checked_day

    try:
        return checked_day(value, name)
    except ValueError as err:
        fail(str(err))


# the narrowing options `rag ask`, `rag brief` and `rag topic add` share, read by
# `filters_from_options`
Since = Annotated[Optional[str], typer.Option(help="Only articles dated on/after.")]
Until = Annotated[Optional[str], typer.Option(help="Only articles dated on/before.")]
Sources = Annotated[Optional[list[str]], typer.Option(help="Only this outlet (repeatable).")]


def filters_from_options(
    since: Optional[str], until: Optional[str], sources: Optional[list[str]]
) -> "Filters":
    from rag.retrieval import Filters

    return Filters(
        since=date_option(since, "--since"),
        until=date_option(until, "--until"),
        sources=tuple(sources or ()),
    )


def load_settings() -> "Settings":
    """The `RAG_*` settings, or one clear error line naming the bad one."""
    from pydantic import ValidationError

    from rag.settings import Settings, describe_error

    try:
        return Settings()
    except ValidationError as err:
        fail(f"bad setting {describe_error(err)}")


def start_answer_models() -> None:
    """Begin building the local embedder's and the reader's ONNX sessions on a thread, so a
    cold `rag ask` builds them while it imports llama-index and Chroma (`rag.warm_start`):
    0.3 s of its start. The fp32 session is the one questions use unless int8 is set (a
    store of bf16 vectors is asked at fp32 too); a bad setting is left for `open_assistant`
    to report."""
    from pydantic import ValidationError

    from rag.index.onnx_model import start_session
    from rag.reader.model import start_reader
    from rag.settings import Settings

    try:
        settings = Settings()
    except ValidationError:
        return
    start_reader()
    if settings.embed_backend == "local" and settings.embed_runtime == "onnx":
        if settings.embed_precision != "int8":
            start_session(os.cpu_count() or 1, "fp32")


def yield_cpu_to_answers() -> None:
    """Let a server answering on these cores go first (`RAG_INGEST_NICE`); see
    `rag.ingest.priority`. Runs before the embedder starts its threads."""
    from rag.ingest.priority import yield_cpu as lower_priority

    lower_priority(load_settings().ingest_nice)


def open_assistant(need_articles: bool = False) -> "Assistant":
    """The assistant from the `RAG_*` settings, or one clear error line."""
    from rag.assistant import Assistant
    from rag.errors import StoreUnavailable

    try:
        assistant = Assistant.from_settings(load_settings())
    except StoreUnavailable as err:
        fail(str(err))
    if need_articles and not assistant.store.has_articles():
        fail("the store is empty; add articles first, e.g. `rag ingest seeds`", 1)
    return assistant


def leave_now() -> NoReturn:
    """End the process with status 0 once a command that wrote nothing has answered, without
    tearing the interpreter down: freeing llama-index's and Chroma's two thousand modules and
    the ONNX sessions is 0.3 s of a cold `rag ask` that its user would wait through. Exit
    handlers still run and the output is flushed first; a command that stored anything must
    end normally, so every library closes what it wrote."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`rag ask … | head`): nothing to keep
            pass
    os._exit(0)


def say_problem(problem: object) -> None:
    """One `skipped …` or `warning …` line for an ingest problem."""
    from rag.ingest.readers import ParseWarning

    kind = "warning" if isinstance(problem, ParseWarning) else "skipped"
    typer.echo(f"{kind} {problem}", err=True)


def ask_and_print(
    assistant: "Assistant",
    question: str,
    filters: "Filters",
    top_k: int | None,
    stream: bool,
    as_of: date | None = None,
    topic: str = "",
) -> "Answer":
    """Ask, streaming generated tokens to the terminal, then print the checked answer."""
    from rag.answer_text import render_text
    from rag.errors import LLMConfigError

    streamed: list[str] = []

    def on_token(token: str) -> None:
        streamed.append(token)
        if stream:
            sys.stdout.write(token)
            sys.stdout.flush()

    def on_retry(reason: str, wait: float) -> None:
        if streamed and stream:
            sys.stdout.write("\n")
        typer.echo(
            f"LLM endpoint: {reason}; trying again in {wait:.1f} s"
            + (" (discarding the partial answer above)" if streamed else ""),
            err=True,
        )
        streamed.clear()

    try:
        answer = assistant.ask(
            question,
            filters=filters,
            top_k=top_k,
            as_of=as_of,
            on_token=on_token,
            on_retry=on_retry,
            topic=topic,
        )
    except (ValueError, LLMConfigError) as err:
        fail(str(err))
    if stream:
        text = render_text(answer)
        if streamed:
            sys.stdout.write("\n")
            if "".join(streamed).strip() != answer.answer.strip():
                typer.echo("\n── checked answer (replaces the streamed text) ──")
            else:
                text = text[len(answer.answer) :].lstrip("\n")
        typer.echo(text)
    return answer


def add_unlisted_uploads_on_start(assistant: "Assistant") -> None:
    """Say which uploads a stopped server never added to the library, and add them now (on a
    read-only store they are only listed). Used by `rag serve` as it starts."""
    from rag.doctor import add_unlisted_uploads, unlisted_uploads

    found = unlisted_uploads(assistant.store)
    if not found:
        return
    typer.echo(
        f"{len(found)} uploaded file(s) in {found[0].parent} were never added to the "
        f"library (the server stopped first?): {', '.join(p.name for p in found)}",
        err=True,
    )
    if assistant.store.read_only:
        typer.echo("The store is read-only, so they stay unadded.", err=True)
        return
    for line in add_unlisted_uploads(assistant.store):
        typer.echo(line, err=True)
