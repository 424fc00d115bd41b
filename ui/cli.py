"""`rag serve`: start the web UI. Registered as a `rag.commands` entry point (rag imports no ui)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(help="Start the web UI (binds 127.0.0.1 unless --host says otherwise).")


@app.callback(invoke_without_command=True)
def serve(
    host: Annotated[
        Optional[str], typer.Option(help="Address to bind (default RAG_UI_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default RAG_UI_PORT, 7860).")] = None,
    share: Annotated[bool, typer.Option(help="Ask Gradio for a public share link.")] = False,
    workers: Annotated[
        Optional[int],
        typer.Option(
            help="Serve with this many uvicorn worker processes (more than 1 needs a Chroma "
            "server, RAG_CHROMA_URL). Default: one process, Gradio's own server."
        ),
    ] = None,
) -> None:
    """Chat with the articles in a browser; upload and delete articles in the Library tab."""
    from rag import add_unlisted_uploads_on_start, fail, open_assistant, quiet_libraries

    quiet_libraries()
    if workers is not None:  # refused before anything is opened: the reason is the settings
        _refuse_workers(workers, share)
    assistant = open_assistant()
    add_unlisted_uploads_on_start(assistant)  # uploads a stopped server never added
    import os

    from ui.uploads import private_temp_dir

    # before Gradio is imported: it reads GRADIO_TEMP_DIR once, and its default (/tmp/gradio)
    # leaves every upload readable by all users of the machine
    if not os.environ.get("GRADIO_TEMP_DIR"):
        os.environ["GRADIO_TEMP_DIR"] = str(private_temp_dir(assistant.settings.data_dir))
    from ui.app import launch, launch_options

    try:
        if workers is None:
            launch(assistant, host=host, port=port, share=share)
            return
        launch_options(assistant.settings)  # a bad RAG_UI_AUTH is said once, not per worker
    except ValueError as err:
        fail(str(err))
    from ui.workers import serve as serve_workers

    settings = assistant.settings
    serve_workers(host or settings.ui_host, port or settings.ui_port, workers)


def _refuse_workers(workers: int, share: bool) -> None:
    """One clear line and exit 2 when `workers` processes cannot serve these settings."""
    from rag import fail, load_settings
    from ui.workers import refusal

    settings = load_settings()
    reason = refusal(
        workers,
        settings.chroma_url,
        settings.data_dir,
        login=settings.ui_auth is not None,
        share=share,
    )
    if reason:
        fail(reason)
