"""`rag mcp`: the assistant as an MCP server over stdio, for agents and desktop assistants.

Registered as a `rag.commands` entry point (rag imports no ui). The tools are
`ui.api.mcp_tools`'; the same server is served over HTTP at `/mcp` by `rag serve`.
Standard output carries the protocol only: every word for people goes to standard error.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="Serve the articles to MCP clients over stdio (ask, search, brief, list).")


@app.callback(invoke_without_command=True)
def mcp() -> None:
    """Run an MCP server on standard input and output until the client closes it.

    A client's configuration, e.g.: {"command": "rag", "args": ["mcp"],
    "env": {"RAG_DATA_DIR": "/path/to/.rag"}}
    """
    from rag import open_assistant, quiet_libraries
    from ui.api import mcp_tools
    from ui.api.service import Service
    from ui.controllers.shared import Shared

    quiet_libraries()
    assistant = open_assistant()
    assistant.warm_up()  # tools run on worker threads: nothing loads for the first time in two
    typer.echo(
        f"MCP server on stdio: {len(assistant.library())} articles in {assistant.store.location}",
        err=True,
    )
    mcp_tools.build(Service(Shared.open(assistant))).run("stdio")
