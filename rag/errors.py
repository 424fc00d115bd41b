"""The errors a caller of `rag` may want to catch, each written for the person who sees it.

`StoreUnavailable`: the Chroma store (embedded or a `chroma run` server) cannot be reached.
`LLMConfigError`: the LLM endpoint refused the request as configured (bad key, unknown
model); retrying will not help. `LLMUnavailable`: the endpoint kept failing through every
retry; answers fall back to the extractive answerer. Modules raise these; the CLI and the UI
print their message as one line.
"""

from __future__ import annotations

__all__ = ["StoreUnavailable", "LLMError", "LLMConfigError", "LLMUnavailable"]


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be reached; the message says where and what to do."""


class LLMError(RuntimeError):
    """The LLM could not produce an answer."""


class LLMConfigError(LLMError):
    """The endpoint refused the request as configured; retrying will not help."""


class LLMUnavailable(LLMError):
    """The endpoint kept failing (timeouts, 429, 5xx, cut streams) through every retry."""
