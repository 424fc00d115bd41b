"""How articles are embedded, fetched, chunked and committed: the ingest field group.

The embedder (local or OpenAI-compatible, and how the local one runs), batching and priority
of `rag ingest` and `rag watch`, the Ray engine, limits on files, articles and fetches, and
the chunk budget. Only the values and their bounds live here; the ingest pipeline reads them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class IngestFields(BaseModel):
    """Embedding, ingest, fetching and chunking knobs."""

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
    embed_precision: Literal["auto", "fp32", "bf16", "int8"] = Field(
        "auto",
        description="Arithmetic of the local embedder. 'bf16': ingest embeds with MiniLM in "
        "bf16 (about 2x fp32 on a CPU with AMX; the same vectors to a cosine of 0.9999); "
        "'int8': about 2.5x fp32 where the CPU has VNNI or AMX, at a cosine of 0.993 (other "
        "vectors: passage MRR 0.01-0.02 lower; 7-bit weights on a CPU without them); 'fp32': "
        "the reference. 'auto' follows what the "
        "store was written with, taking bf16 on a CPU with AMX for an fp32 store.",
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
