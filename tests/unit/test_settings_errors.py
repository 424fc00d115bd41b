"""Bad `RAG_*` values are refused when settings are read, as one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from rag.settings import Settings, describe_error, unknown_variables


@pytest.mark.parametrize(
    "name, value, line",
    [
        ("RAG_TOP_K", "abc", "RAG_TOP_K='abc': Input should be a valid integer"),
        (
            "RAG_EMBED_BACKEND",
            "bert",
            "RAG_EMBED_BACKEND='bert': Input should be 'local' or 'openai'",
        ),
        (
            "RAG_CHROMA_URL",
            "http://[::1",
            "RAG_CHROMA_URL='http://[::1': is not a URL of a `chroma run` server",
        ),
        ("RAG_CHROMA_URL", "127.0.0.1:8000", "RAG_CHROMA_URL='127.0.0.1:8000': is not a URL"),
        ("RAG_CHROMA_URL", "http://host:port", "RAG_CHROMA_URL='http://host:port': is not a URL"),
        ("RAG_DATA_DIR", "", "RAG_DATA_DIR='': is empty; give a folder, or unset it for ./.rag"),
        (
            "RAG_COLLECTION",
            "a/b",
            "RAG_COLLECTION='a/b': is not a collection name; use 3-502 "
            "letters, digits, '.', '_' or '-'",
        ),
        ("RAG_COLLECTION", "", "RAG_COLLECTION='': is not a collection name"),
        ("RAG_COLLECTION", "ab", "RAG_COLLECTION='ab': is not a collection name"),
        ("RAG_COLLECTION", "news-", "RAG_COLLECTION='news-': is not a collection name"),
        ("RAG_COLLECTION", "x" * 503, f"RAG_COLLECTION='{'x' * 503}': is not a collection name"),
        ("RAG_ANSWER_BAR", "nan", "RAG_ANSWER_BAR='nan': Input should be a finite number"),
        ("RAG_ANSWER_BAR", "inf", "RAG_ANSWER_BAR='inf': Input should be a finite"),
        ("RAG_ANSWER_BAR", "1.5", "RAG_ANSWER_BAR='1.5': Input should be less than"),
        ("RAG_SUPPORT_THRESHOLD", "NaN", "RAG_SUPPORT_THRESHOLD='NaN': Input should be a finite"),
        ("RAG_LLM_TIMEOUT", "-inf", "RAG_LLM_TIMEOUT='-inf': Input should be a finite number"),
        ("RAG_FETCH_BACKOFF", "infinity", "RAG_FETCH_BACKOFF='infinity': Input should be a finite"),
    ],
)
def test_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, line: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    message = describe_error(refused.value)
    assert message.startswith(line) and "\n" not in message


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "store"
    a_file.write_text("not a folder")
    with pytest.raises(ValidationError) as refused:
        Settings(data_dir=a_file)
    assert describe_error(refused.value) == (
        f"RAG_DATA_DIR={str(a_file)!r}: is a file, not a folder; give a folder for the store"
    )


def test_good_values_still_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_CHROMA_URL", " http://127.0.0.1:8000 ")
    assert Settings().chroma_url == "http://127.0.0.1:8000"
    monkeypatch.setenv("RAG_CHROMA_URL", "")
    assert Settings().chroma_url is None
    monkeypatch.setenv("RAG_COLLECTION", "my-news.2024_v2")
    assert Settings().collection == "my-news.2024_v2"


def test_no_float_setting_takes_nan_or_infinity() -> None:
    floats = [
        name
        for name, info in Settings.model_fields.items()
        if info.annotation in (float, float | None)
    ]
    assert floats  # every one of them: NaN compares false with everything
    for field in floats:
        for value in ("nan", "inf", "-inf"):
            with pytest.raises(ValidationError):
                Settings(**{field: value})


def test_unknown_rag_variables_are_named_with_the_closest_setting() -> None:
    environ = {
        "RAG_CHUNK_SIZE": "100",
        "RAG_LLM_BASE_URL": "http://x",
        "RAG_TOP_K": "3",
        "RAG_ZZZ": "1",
        "RAG_OPENAI_API_KEY": "k",
        "RAG_BENCH_SEEDS": "s",
        "HOME": "/",
    }
    assert unknown_variables(environ) == [
        "RAG_CHUNK_SIZE is not a setting, so it is ignored; did you mean RAG_CHUNK_TOKENS?",
        "RAG_LLM_BASE_URL is not a setting, so it is ignored; did you mean OPENAI_BASE_URL?",
        "RAG_ZZZ is not a setting, so it is ignored",
    ]
