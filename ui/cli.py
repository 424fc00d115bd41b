"""`rag serve`: start the web UI. Registered as a `rag.commands` entry point (rag imports no ui)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(help="Start the web UI (binds 127.0.0.1 unless --host says otherwise).")


@app.callback(invoke_without_command=True)
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to bind (default RAG_UI_HOST, "
                                                     "127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default RAG_UI_PORT, 7860).")
                    ] = None,
    share: Annotated[bool, typer.Option(help="Ask Gradio for a public share link.")] = False,
) -> None:
    """Chat with the articles in a browser; upload and delete articles in the Library tab."""
    from rag.console import add_unlisted_uploads_on_start, fail, open_assistant, quiet_libraries

    quiet_libraries()
    assistant = open_assistant()
    add_unlisted_uploads_on_start(assistant)  # uploads a stopped server never added
    import os

    from ui.uploads import private_temp_dir

    # before Gradio is imported: it reads GRADIO_TEMP_DIR once, and its default (/tmp/gradio)
    # leaves every upload readable by all users of the machine
    if not os.environ.get("GRADIO_TEMP_DIR"):
        os.environ["GRADIO_TEMP_DIR"] = str(private_temp_dir(assistant.settings.data_dir))
    from ui.app import launch

    try:
        launch(assistant, host=host, port=port, share=share)
    except ValueError as err:
        fail(str(err))
