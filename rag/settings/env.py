"""The one settings object of the assistant, read from `RAG_*` environment variables.

`Settings` joins the field groups (store, ingest, answers, LLM, UI, API; one module each) into
one pydantic-settings object, so `rag` commands, the UI and the eval harness all agree on
where the store is and how text is chunked and retrieved. Naming the variable behind a bad
value is left to `rag.settings.variables`. Nothing here touches the network or loads a model.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.settings.answers import AnswerFields
from rag.settings.api import APIFields
from rag.settings.ingest import IngestFields
from rag.settings.llm import LLMFields
from rag.settings.store import StoreFields
from rag.settings.ui import UIFields


# pydantic orders fields from the last base to the first, and a bad-values message names the
# variables in field order: store, ingest, answers, LLM, UI, API
class Settings(
    APIFields, UIFields, LLMFields, AnswerFields, IngestFields, StoreFields, BaseSettings
):
    """Configuration of the store, the embedder, chunking and retrieval."""

    # allow_inf_nan=False: "nan" compares false with everything, so RAG_ANSWER_BAR=nan
    # silently turned refusals off; every float setting must be a finite number
    model_config = SettingsConfigDict(
        env_prefix="RAG_", env_file=None, extra="ignore", allow_inf_nan=False
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings` instead)."""
    return Settings()
