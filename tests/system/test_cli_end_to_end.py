"""The `rag` command end to end, as a user types it (subprocesses: slow tier).

Ingest then ask with `--json` and as text, `stats`, a bad date option, a delete undone by
`rag restore`; a briefing written, checked, and failing its check once an article changes; a
`rag chat` conversation showing how a follow-up was read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import SEEDS, run_rag

TOPIC = "Israel–Hezbollah border"


def test_check_passes_then_fails_after_an_article_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    env = {"RAG_DATA_DIR": str(tmp_path / "data")}
    assert run_rag("ingest", str(corpus), env=env).returncode == 0
    out = tmp_path / "brief.md"
    made = run_rag("brief", TOPIC, "--out", str(out), env=env)
    assert made.returncode == 0, made.stderr
    assert "More than 60,000 Israelis have been displaced" in out.read_text()
    ok = run_rag("brief", "--check", str(out), env=env)
    assert ok.returncode == 0 and "every quoted span still stands" in ok.stdout
    changed = corpus / "004_7dc90b1bd24fe7e6.txt"
    changed.write_text(
        changed.read_text().replace(
            "More than 60,000 Israelis have been displaced", "Many Israelis have left"
        )
    )
    assert run_rag("ingest", str(corpus), env=env).returncode == 0
    failed = run_rag("brief", "--check", str(out), env=env)
    assert failed.returncode == 1
    assert "004_7dc90b1bd24fe7e6.txt: the quoted span no longer stands" in failed.stderr


@pytest.mark.usefixtures("seeded_data")
def test_cli_ask_json_is_the_documented_shape() -> None:
    result = run_rag("ask", "Who is the head of Hamas's terror army?", "--json", "--top-k", "4")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {
        "question",
        "answer",
        "abstained",
        "mode",
        "citations",
        "passages",
        "timings_ms",
    }
    assert data["mode"] == "extractive" and data["abstained"] is False
    assert set(data["citations"][0]) >= {
        "n",
        "doc",
        "title",
        "date",
        "source",
        "url",
        "quote",
        "score",
    }
    assert len(data["passages"]) == 4 and data["timings_ms"]["total"] > 0
    text = run_rag("ask", "Who is the head of Hamas's terror army?")
    assert "Mohammed Deif" in text.stdout and "Sources:" in text.stdout
    stats = json.loads(run_rag("stats", "--json").stdout)
    assert stats["articles"] == 5 and stats["chunks"] > 20 and stats["undated_articles"] == 3
    assert stats["date_range"] == ["2024-01-04", "2024-10-01"]
    bad = run_rag("ask", "anything", "--since", "yesterday-ish")
    assert bad.returncode == 2 and "--since: 'yesterday-ish' is not a date" in bad.stderr


def test_rag_chat_shows_how_a_follow_up_was_read(seeded) -> None:
    env = {"RAG_DATA_DIR": str(seeded.settings.data_dir), "RAG_ANSWER_MODE": "extractive"}
    result = run_rag(
        "chat",
        env=env,
        input="Who is Mohammed Deif?\nWhat did Gallant call "
        "him?\nHow much did the temporary Gaza pier cost?\n",
    )
    assert result.returncode == 0, result.stderr
    assert "(searching for: Who is Mohammed Deif? What did Gallant call him?)" in result.stdout
    assert result.stdout.count("(searching for:") == 1  # the pier question stands alone
    assert "1. Who is Mohammed Deif?" not in result.stdout  # the follow-up alone is answered
    assert "$230 million" in result.stdout


@pytest.mark.usefixtures("seeded_data")
def test_rag_delete_says_how_to_undo_and_rag_restore_brings_the_article_back() -> None:
    doc, question = "002_0cdd084e739fcba0.txt", "What did Gallant call Mohammed Deif?"
    before = json.loads(run_rag("ask", question, "--json").stdout)
    deleted = run_rag("delete", doc)
    assert deleted.returncode == 0 and f"deleted {doc}" in deleted.stdout
    assert "rag restore ID" in deleted.stdout
    assert doc not in run_rag("docs").stdout
    restored = run_rag("restore", doc)
    assert restored.returncode == 0 and f"restored {doc}" in restored.stdout
    assert doc in run_rag("docs").stdout
    after = json.loads(run_rag("ask", question, "--json").stdout)
    assert after["answer"] == before["answer"] and after["citations"] == before["citations"]
    again = run_rag("restore", doc)  # once only
    assert again.returncode == 1 and f"not in the trash: {doc}" in again.stderr
