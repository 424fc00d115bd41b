"""LLM mode against a scripted OpenAI-compatible server: checked citations, faults, chat."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from pydantic import SecretStr

from rag.answer import Removed
from rag.answering.llm import LLMConfigError
from rag.assistant import Assistant
from tests.helpers import ROOT, SEEDS, run_rag, seed_texts
from tests.helpers.scripted_llm import Reply, ScriptedLLM, passage_number

ARTICLES = seed_texts()

# what the developer set for the live test, captured before fixtures clear RAG_*/OPENAI_*
LIVE_ENV = {k: v for k, v in os.environ.items() if k.startswith(("RAG_", "OPENAI_"))}


def llm_assistant(seeded: Assistant, server: ScriptedLLM, **extra: object) -> Assistant:
    settings = seeded.settings.model_copy(
        update={
            "llm_model": "scripted-model",
            "openai_base_url": server.base_url,
            "openai_api_key": SecretStr("test-key"),
            "llm_retries": 2,
            "llm_backoff": 0.01,
            "llm_timeout": 5.0,
            **extra,
        }
    )
    return Assistant(settings=settings, store=seeded.store)


def faithful(prompt: str) -> str:
    n = passage_number(prompt, "133 hostages")
    return (
        f"Gallant and Austin committed to the release of the 133 hostages held by Hamas "
        f"in Gaza [{n}]."
    )


def test_faithful_answer_streams_and_keeps_its_checked_citation(seeded) -> None:
    with ScriptedLLM([Reply(faithful)]) as server:
        tokens: list[str] = []
        answer = llm_assistant(seeded, server).ask(
            "How many hostages does Hamas hold?", on_token=tokens.append
        )
    assert answer.mode == "llm" and not answer.abstained and not answer.notice
    assert len(tokens) > 3 and "".join(tokens).startswith("Gallant and Austin")
    assert answer.answer.endswith("in Gaza [1].") or answer.answer.endswith("in Gaza. [1]")
    [citation] = answer.citations
    assert citation.n == 1 and citation.supported and citation.doc == "001_86b8b23eb7a99f56.txt"
    assert "133 hostages" in citation.quote
    assert ARTICLES[citation.doc][citation.start : citation.end] == citation.quote
    assert answer.citation_check.dropped == [] and answer.citation_check.supported == 1
    prompt = server.prompts()[0]
    assert "Question: How many hostages does Hamas hold?" in prompt
    assert "[1] " in prompt and "undated" in prompt  # numbered passages with their dates


def test_citation_of_a_passage_that_does_not_exist_is_dropped(seeded) -> None:
    def reply(prompt: str) -> str:
        return faithful(prompt) + " The pier was paid for by France [7]."

    with ScriptedLLM([Reply(reply)]) as server:
        answer = llm_assistant(seeded, server).ask("How many hostages does Hamas hold?", top_k=5)
    assert "[7]" not in answer.answer and "France" not in answer.answer
    assert [c.n for c in answer.citations] == [1]
    check = answer.citation_check
    assert check.dropped[0].reason == "[7] points at no passage (there are 5)"
    assert check.removed_sentences == [
        Removed("The pier was paid for by France.", "no cited passage supports it")
    ]


def test_unsupported_figure_is_caught_and_the_rest_renumbered(seeded) -> None:
    def reply(prompt: str) -> str:
        deif = passage_number(prompt, "Mohammed Deif")
        hostages = passage_number(prompt, "133 hostages")
        return (
            f"Hamas holds 250 hostages in Gaza [{hostages}]. Gallant called Mohammed Deif "
            f"the “Osama bin Laden of Gaza” [{deif}]."
        )

    with ScriptedLLM([Reply(reply)]) as server:
        answer = llm_assistant(seeded, server).ask("What did Gallant say about Hamas leaders?")
    assert "250" not in answer.answer
    assert answer.answer.startswith("Gallant called Mohammed Deif")
    assert [c.n for c in answer.citations] == [1]  # renumbered: the surviving one is [1]
    assert answer.citations[0].doc == "002_0cdd084e739fcba0.txt"
    [dropped] = answer.citation_check.dropped
    assert dropped.reason.startswith("states “250” not in [")


def test_429_waits_for_retry_after_then_succeeds(seeded) -> None:
    script = [Reply(status=429, headers={"Retry-After": "1"}), Reply(faithful)]
    retries: list[tuple[str, float]] = []
    with ScriptedLLM(script) as server:
        started = time.monotonic()
        answer = llm_assistant(seeded, server).ask(
            "How many hostages does Hamas hold?",
            on_retry=lambda reason, wait: retries.append((reason, wait)),
        )
        elapsed = time.monotonic() - started
        assert len(server.requests) == 2
    assert answer.mode == "llm" and answer.citations
    assert retries == [("rate limited (HTTP 429)", 1.0)] and elapsed >= 1.0


def assert_falls_back_after_three_tries(seeded, reply: Reply, last: str) -> None:
    """The endpoint fails every try: three requests, then the quoted answer with a notice."""
    with ScriptedLLM([reply]) as server:
        answer = llm_assistant(seeded, server).ask("How many hostages does Hamas hold?")
        assert len(server.requests) == 3  # one try and two retries
    assert answer.mode == "extractive-fallback"
    assert f"failed 3 time(s); last: {last}" in answer.notice
    assert "133 hostages" in answer.answer and answer.citations


def test_500_forever_falls_back_to_the_extractive_answer_with_a_notice(seeded) -> None:
    assert_falls_back_after_three_tries(seeded, Reply(status=500), "server error (HTTP 500)")


def test_stream_cut_half_way_is_retried_and_the_partial_text_discarded(seeded) -> None:
    script = [Reply(faithful, cut_after_chunks=3), Reply(faithful)]
    tokens: list[str] = []
    retries: list[str] = []

    def on_retry(reason: str, wait: float) -> None:
        retries.append(reason)
        tokens.clear()

    with ScriptedLLM(script) as server:
        answer = llm_assistant(seeded, server).ask(
            "How many hostages does Hamas hold?", on_token=tokens.append, on_retry=on_retry
        )
        assert len(server.requests) == 2
    assert retries == ["connection failed (RemoteProtocolError)"]
    assert answer.mode == "llm" and "133 hostages" in "".join(tokens)


def test_slow_endpoint_times_out_and_falls_back(seeded) -> None:
    with ScriptedLLM([Reply(faithful, delay=2.0)]) as server:
        answer = llm_assistant(seeded, server, llm_timeout=0.5, llm_retries=1).ask(
            "How many hostages does Hamas hold?"
        )
    assert answer.mode == "extractive-fallback" and "no answer within 0.5 s" in answer.notice


@pytest.mark.parametrize(
    "status, message",
    [
        (401, "rejected the API key (HTTP 401). Check OPENAI_API_KEY."),
        (404, "does not serve model 'scripted-model' (HTTP 404)"),
    ],
)
def test_bad_key_and_unknown_model_are_one_clear_message(seeded, status, message) -> None:
    with ScriptedLLM([Reply(status=status)]) as server:
        with pytest.raises(LLMConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
            llm_assistant(seeded, server).ask("How many hostages does Hamas hold?")
        assert len(server.requests) == 1  # not retried
        result = run_rag(
            "ask",
            "Who is Deif?",
            env={
                "RAG_DATA_DIR": str(seeded.settings.data_dir),
                "RAG_LLM_MODEL": "scripted-model",
                "OPENAI_BASE_URL": server.base_url,
                "OPENAI_API_KEY": "bad",
            },
        )
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_rag_chat_rewrites_a_follow_up_and_streams_checked_answers(seeded) -> None:
    def first(prompt: str) -> str:
        n = passage_number(prompt, "temporary Gaza pier will soon cease operations")
        return (
            "Austin confirmed to Gallant that the temporary Gaza pier will soon cease "
            f"operations [{n}]."
        )

    def second(prompt: str) -> str:
        n = passage_number(prompt, "$230 million")
        return f"The floating dock cost $230 million [{n}]."

    script = [Reply(first), Reply("How much did the temporary Gaza pier cost?"), Reply(second)]
    with ScriptedLLM(script) as server:
        env = {
            **os.environ,
            "RAG_DATA_DIR": str(seeded.settings.data_dir),
            "RAG_LLM_MODEL": "scripted-model",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key",
        }
        result = subprocess.run(
            [sys.executable, "-m", "rag.cli", "chat"],
            input="What did Austin tell Gallant about the Gaza pier?\nand how much did it cost?\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
        )
        rewrite_request = server.requests[1]["messages"][0]["content"]
        third_prompt = server.prompts()[2]
    assert result.returncode == 0, result.stderr
    assert "<Follow Up Message>\nand how much did it cost?" in rewrite_request  # llama-index's
    assert "Human: What did Austin tell Gallant about the Gaza pier?" in rewrite_request
    assert "(searching for: How much did the temporary Gaza pier cost?)" in result.stdout
    assert "Question: How much did the temporary Gaza pier cost?" in third_prompt
    assert "The floating dock cost $230 million [1]." in result.stdout
    assert "002_0cdd084e739fcba0.txt" in result.stdout


@pytest.mark.skipif(
    not (
        os.environ.get("RAG_LIVE_LLM") == "1"
        and (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))
    ),
    reason="live LLM test: set RAG_LIVE_LLM=1, RAG_LLM_MODEL and a key or base URL",
)
def test_live_endpoint_answers_with_checked_citations(isolated_env) -> None:
    import json

    env = {**LIVE_ENV, "RAG_DATA_DIR": str(isolated_env)}
    assert run_rag("ingest", str(SEEDS), env=env).returncode == 0
    result = run_rag("ask", "What did Gallant call Mohammed Deif?", "--json", env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["mode"] == "llm", answer["notice"]
    assert all(c["supported"] for c in answer["citations"])
    for c in answer["citations"]:
        assert ARTICLES[c["doc"]][c["start"] : c["end"]] == c["quote"]


def test_openai_embeddings_backend_ingests_and_answers(tmp_path) -> None:
    with ScriptedLLM([Reply("unused")]) as server:
        env = {
            "RAG_DATA_DIR": str(tmp_path / "oa"),
            "RAG_EMBED_BACKEND": "openai",
            "RAG_EMBED_MODEL": "scripted-embed",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "test-key",
            "RAG_ANSWER_MODE": "extractive",
        }
        ingested = run_rag("ingest", str(SEEDS), env=env)
        assert ingested.returncode == 0, ingested.stderr
        chunks_embedded = len(server.embedded)
        answer = run_rag("ask", "Who is the head of Hamas's terror army?", "--json", env=env)
        assert answer.returncode == 0, answer.stderr
        assert len(server.embedded) > chunks_embedded  # the question went to the endpoint
    assert "5 added" in ingested.stdout and chunks_embedded >= 20
    assert any(t.startswith("title: Gallant tells US envoy") for t in server.embedded)
    assert "Mohammed Deif" in answer.stdout


@pytest.mark.parametrize(
    "garbage",
    [
        "{not json at all",  # a broken body
        '{"choices": "none of them"}',  # JSON, but not the shape of a completion
        "<html><body>502 Bad Gateway</body></html>",  # a proxy's error page with status 200
    ],
)
def test_garbage_instead_of_json_is_retried_then_falls_back(seeded, garbage: str) -> None:
    assert_falls_back_after_three_tries(seeded, Reply(garbage=garbage), "malformed reply")


def test_one_garbled_reply_is_retried_and_the_next_one_used(seeded) -> None:
    with ScriptedLLM([Reply(garbage="{not json"), Reply(faithful)]) as server:
        answer = llm_assistant(seeded, server).ask("How many hostages does Hamas hold?")
        assert len(server.requests) == 2
    assert answer.mode == "llm" and "133 hostages" in answer.answer


def test_every_request_sets_max_tokens(seeded) -> None:
    with ScriptedLLM([Reply(faithful)]) as server:
        llm_assistant(seeded, server, llm_max_tokens=123).ask("How many hostages does Hamas hold?")
        [request] = server.requests
    assert request["max_tokens"] == 123


@pytest.mark.parametrize("slots, serialised", [(1, True), (2, False)])
def test_requests_to_one_endpoint_wait_for_a_free_slot(seeded, slots, serialised) -> None:
    import threading

    from llama_index.core.llms import ChatMessage

    from rag.answering.llm import chat

    with ScriptedLLM([Reply("Fine.", delay=1.0)]) as server:
        settings = llm_assistant(seeded, server, llm_concurrency=slots).settings
        replies: list[str] = []
        threads = [
            threading.Thread(
                target=lambda: replies.append(
                    chat([ChatMessage(role="user", content="hi")], settings)
                )
            )
            for _ in range(2)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    assert replies == ["Fine.", "Fine."]
    assert (elapsed >= 2.0) is serialised  # one at a time: the second waits for the first


def test_a_reply_that_echoes_the_prompt_falls_back_with_the_findings_kept(seeded) -> None:
    def echo(prompt: str) -> str:
        n = passage_number(prompt, "133 hostages")
        return (
            f"Passages:\n[{n}] Hamas holds 133 hostages in Gaza [{n}].\n"
            f"Question: How many hostages does Hamas hold?"
        )

    with ScriptedLLM([Reply(echo)]) as server:
        answer = llm_assistant(seeded, server).ask("How many hostages does Hamas hold?")
    assert answer.mode == "extractive-fallback" and "did not hold up" in answer.notice
    assert "Passages:" not in answer.answer and "Question:" not in answer.answer
    assert answer.citation_check.degenerate.startswith("the reply repeats the prompt")
    assert "133 hostages" in answer.answer and answer.citations


def test_a_supported_answer_beside_the_point_falls_back_to_the_quoted_answer(seeded) -> None:
    """What a real 0.5B model did: a true, cited sentence that does not answer the question."""

    def beside_the_point(prompt: str) -> str:
        n = passage_number(prompt, "will soon cease operations")
        return f"Austin confirmed the temporary Gaza pier will soon cease operations [{n}]."

    with ScriptedLLM([Reply(beside_the_point)]) as server:
        answer = llm_assistant(seeded, server).ask("How much did the temporary Gaza pier cost?")
    assert answer.mode == "extractive-fallback"
    assert "did not answer the question (the question asks for a figure" in answer.notice
    assert answer.citation_check.off_question.startswith("the question asks for a figure")
    assert answer.answer.startswith("The $230 million floating dock")
