"""One settings object for the whole assistant, read from `RAG_*` environment variables.

Every knob a user may turn lives here with its default and a description, so `rag` commands,
the UI and the eval harness all agree on where the store is and how text is chunked and
retrieved. Nothing here touches the network or loads a model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of the store, the embedder, chunking and retrieval."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        Path(".rag"),
        description="Where the on-disk Chroma store, the BM25 index and caches live.",
    )
    collection: str = Field(
        "articles",
        description="Chroma collection holding the article chunks (a second one, "
        "'<collection>__articles', records which article versions are fully stored).",
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a `chroma run` server (e.g. http://127.0.0.1:8000). "
        "Unset: Chroma runs embedded on disk in data_dir.",
    )
    embed_backend: Literal["local", "openai"] = Field(
        "local",
        description="'local' uses the bundled all-MiniLM-L6-v2 offline; 'openai' uses an "
        "OpenAI-compatible embeddings endpoint (OPENAI_API_KEY / OPENAI_BASE_URL).",
    )
    embed_model: str = Field(
        "",
        description="Embedding model name; empty picks the backend's default "
        "(bundled all-MiniLM-L6-v2, or text-embedding-3-small).",
    )
    embed_batch_size: int = Field(32, ge=1, description="Texts embedded per batch.")
    ingest_batch_chunks: int = Field(
        256, ge=1, description="Chunks embedded and committed together; a crash loses at most "
        "one batch of work, never stored data.",
    )
    chunk_tokens: int = Field(
        200,
        ge=32,
        description="Token budget of one chunk, counted with the embedder's own tokenizer and "
        "including the title/date header that is embedded with it. It is capped to the "
        "embedder's window so no chunk is ever truncated.",
    )
    chunk_overlap: int = Field(
        24, ge=0, description="Tokens of the previous chunk repeated at the start of the next."
    )
    top_k: int = Field(6, ge=1, description="Passages handed to the answerer.")
    candidates_k: int = Field(
        20, ge=1, description="Candidates each retriever (dense, BM25) returns before fusion."
    )
    max_chunks_per_article: int = Field(
        2, ge=1, description="At most this many passages of one article reach the answerer."
    )
    min_answer_score: float = Field(
        0.45,
        description="Relevance (0..1) the best sentence must reach for the extractive "
        "answerer to answer instead of saying the articles do not say. Chosen on a "
        "400-question SQuAD v2 dev sample (seed 0): at 0.45 it answers 77.5% of answerable "
        "questions correctly, wrongly refuses 8.4% of them and refuses 25.7% of unanswerable "
        "ones; 0.40 answers no more correctly and refuses only 15.3%.",
    )
    max_answer_sentences: int = Field(
        3, ge=1, description="Most sentences the extractive answerer quotes."
    )

    @field_validator("chroma_url")
    @classmethod
    def _blank_url_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def bm25_dir(self) -> Path:
        """Where the BM25 index of this collection is persisted."""
        return self.data_dir / "bm25" / self.collection


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings` instead)."""
    return Settings()
