"""Who may call the HTTP API and MCP server of `rag serve`, and how much.

The API's field group of `Settings`. Keys are separate from the UI's login (`ui_auth`): a
script or another chat app holds a key, a person logs in. Without any key the API answers
only callers on this machine (loopback), as the UI binds to loopback by default.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr


class APIFields(BaseModel):
    """HTTP API and MCP-over-HTTP knobs."""

    api_keys: SecretStr | None = Field(
        None,
        description="Comma-separated API keys accepted as 'Authorization: Bearer KEY' "
        "(each may be written as sha256:HEX of the key instead of the key itself).",
    )
    api_key_file: Path | None = Field(
        None,
        description="A file of API keys, one per line (a key, or sha256:HEX of one; "
        "'#' starts a comment).",
    )
    api_requests_per_minute: int = Field(
        120, ge=1, description="Requests one API key may make in a minute before a 429."
    )
    api_max_body_kb: int = Field(
        64, ge=1, description="Largest JSON body the API accepts (uploads follow the UI's limit)."
    )
