"""The chat model behind LLM mode, and the retry loop that keeps it usable when it is not.

The model is llama-index's `OpenAILike` (any OpenAI-compatible endpoint: OpenAI, vLLM,
Ollama, llama.cpp, LM Studio) with the client's own retries off, because this module owns
them: a timeout, a 5xx, a dropped connection or a stream cut before its finish marker is
retried with doubling backoff, and so is a reply that is not the JSON it should be; a 429
waits for its Retry-After. A rejected key, an unknown
model or a bad request is not retried and raises `LLMConfigError` with what to fix; a
retryable failure that outlasts the retries raises `LLMUnavailable`, which callers turn into
an extractive answer with a visible notice. It knows nothing of passages or citations.

Every request sets `max_tokens` (a model that never stops would otherwise fill its whole
context), and each endpoint serves at most `Settings.llm_slots` requests at once: a
semaphore per endpoint, because one llama.cpp server given two streams at once was measured
cutting them off (14 of 15 eval questions fell back). A local model (`RAG_LLM_MODEL=local`
or a .gguf path) is one more endpoint: `rag.answering.local_llm` serves it on loopback.
"""

from __future__ import annotations

import gc
import threading
import time
from functools import lru_cache
from typing import Callable

from llama_index.core.llms import LLM, ChatMessage

from rag.errors import LLMConfigError, LLMError, LLMUnavailable
from rag.settings import Settings

__all__ = ["LLMError", "LLMConfigError", "LLMUnavailable", "build_llm", "chat"]


class StreamCut(Exception):
    """The stream ended before the server said it was finished."""


@lru_cache(maxsize=4)
def _build(
    model: str, base_url: str, key: str, timeout: float, window: int, max_tokens: int
) -> LLM:
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=key,
        is_chat_model=True,
        context_window=window,
        max_tokens=max_tokens,
        timeout=timeout,
        max_retries=0,
        temperature=0.0,
    )


def build_llm(settings: Settings) -> LLM:
    """The configured chat model (one instance per configuration and process)."""
    if not settings.llm_model:
        raise LLMConfigError(
            "No LLM model is set: set RAG_LLM_MODEL (and OPENAI_API_KEY or "
            "OPENAI_BASE_URL), or use the extractive mode."
        )
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
    return _build(
        settings.llm_model,
        _endpoint(settings),
        key,
        settings.llm_timeout,
        settings.llm_context_window,
        settings.llm_max_tokens,
    )


def _endpoint(settings: Settings) -> str:
    """The base URL requests go to; for a local model this starts its server."""
    match settings.llm_is_local:
        case True:
            from rag.answering.local_llm import local_base_url

            return local_base_url(
                settings.llm_model, settings.llm_threads, settings.llm_context_window
            )
        case False:
            return settings.openai_base_url or "https://api.openai.com/v1"


_slots_lock = threading.Lock()
_slots: dict[str, threading.BoundedSemaphore] = {}


def _endpoint_slots(endpoint: str, slots: int) -> threading.BoundedSemaphore:
    """The semaphore bounding requests in flight to `endpoint` (made on first use)."""
    with _slots_lock:
        if endpoint not in _slots:
            _slots[endpoint] = threading.BoundedSemaphore(slots)
        return _slots[endpoint]


def _retry_after(err: Exception) -> float | None:
    response = getattr(err, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


def classify(err: Exception, settings: Settings) -> tuple[bool, str]:
    """(retryable, what happened in words) for an exception raised by a request."""
    import httpx
    import openai

    where = _endpoint(settings)
    if isinstance(err, StreamCut):
        return True, "the answer stream was cut off"
    if isinstance(err, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return False, (
            f"The LLM endpoint {where} rejected the API key "
            f"(HTTP {err.status_code}). Check OPENAI_API_KEY."
        )
    if isinstance(err, openai.NotFoundError):
        return False, (
            f"The LLM endpoint {where} does not serve model "
            f"{settings.llm_model!r} (HTTP 404). Set RAG_LLM_MODEL to one it serves."
        )
    if isinstance(err, openai.RateLimitError):
        return True, "rate limited (HTTP 429)"
    if isinstance(err, openai.APIStatusError):
        if err.status_code >= 500:
            return True, f"server error (HTTP {err.status_code})"
        return (
            False,
            f"The LLM endpoint {where} refused the request (HTTP {err.status_code}: "
            f"{err.message}).",
        )
    if isinstance(err, openai.APITimeoutError):
        return True, f"no answer within {settings.llm_timeout:g} s"
    if isinstance(err, (openai.APIConnectionError, httpx.TransportError)):
        return True, f"connection failed ({type(err).__name__})"
    if isinstance(
        err,
        (
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            openai.APIResponseValidationError,
        ),
    ):  # JSONDecodeError is a ValueError
        return True, f"malformed reply ({type(err).__name__}: {str(err)[:80]})"
    return True, f"unexpected error ({type(err).__name__}: {str(err)[:80]})"


def chat(
    messages: list[ChatMessage],
    settings: Settings,
    on_token: Callable[[str], None] | None = None,
    on_retry: Callable[[str, float], None] | None = None,
    llm: LLM | None = None,
) -> str:
    """The model's full reply, streamed token by token to `on_token`.

    On a retryable failure `on_retry(reason, wait)` is called (so a display can drop the
    partial text) and the whole request starts again after `wait` seconds.
    """
    llm = llm or build_llm(settings)
    slots = _endpoint_slots(_endpoint(settings), settings.llm_slots)
    last_reason = ""
    for attempt in range(settings.llm_retries + 1):
        try:
            with slots:  # held per try, so a backoff wait does not block the others
                text, finished = "", False
                stream = llm.stream_chat(messages)
                try:
                    for chunk in stream:
                        text += chunk.delta or ""
                        if chunk.delta and on_token:
                            on_token(chunk.delta)
                        raw = getattr(chunk, "raw", None)
                        if raw is not None and raw.choices and raw.choices[0].finish_reason:
                            finished = True
                finally:  # an `on_token` that raises (a reader pressed Stop) hangs up now
                    stream.close()
                    if not finished:  # the openai response sits in a reference cycle:
                        gc.collect()  # only a collection closes its socket at once
            if not finished:
                raise StreamCut()
            return text
        except Exception as err:  # noqa: BLE001 - classified below
            retryable, reason = classify(err, settings)
            if not retryable:
                raise LLMConfigError(reason) from err
            last_reason = reason
            if attempt == settings.llm_retries:
                break
            wait = settings.llm_backoff * (2**attempt)
            if isinstance(err, Exception) and (after := _retry_after(err)) is not None:
                wait = after
            wait = min(wait, settings.llm_max_wait)
            if on_retry:
                on_retry(reason, wait)
            time.sleep(wait)
    raise LLMUnavailable(
        f"The LLM endpoint {_endpoint(settings)} failed "
        f"{settings.llm_retries + 1} time(s); last: {last_reason}."
    )
