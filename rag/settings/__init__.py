"""Settings of the assistant, read from `RAG_*` environment variables.

- `rag.settings.env`        the one `Settings` object and the process-wide `get_settings()`
- `rag.settings.store`      data folder, collection, Chroma server (checked as they are read)
- `rag.settings.ingest`     embedder, ingest, Ray, fetching and chunking
- `rag.settings.answers`    retrieval and the extractive answer
- `rag.settings.llm`        answer mode and the chat model
- `rag.settings.ui`         the web UI
- `rag.settings.api`        the HTTP API and MCP server: keys and limits
- `rag.settings.variables`  the variables behind a bad value, and unknown `RAG_*` variables
"""

from __future__ import annotations

from rag.settings.env import Settings, get_settings
from rag.settings.variables import describe_error, unknown_variables, variable_name

__all__ = ["Settings", "describe_error", "get_settings", "unknown_variables", "variable_name"]
