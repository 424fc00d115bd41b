"""LLM mode on a REAL model: SmolLM2-135M-Instruct run by llama.cpp (xllamacpp) in process.

What a real small model writes is not scripted: it may cite, cite wrongly, echo the prompt or
answer from memory. These tests assert what must hold whatever it writes — tokens stream;
every citation shown is supported and quotes its passage verbatim; every cited sentence of a
generated answer passes the check again; no prompt scaffolding reaches the answer; a question
the articles cannot answer is refused before the model is asked. One thread, short replies and
three passages keep the file within a few minutes on a loaded 2-core machine.
"""

from __future__ import annotations

import json
import re

import pytest

from rag.answer import Answer
from rag.answering.citecheck import check_citations
from rag.assistant import Assistant
from tests.helpers import run_rag, seed_texts

pytestmark = pytest.mark.slow

ARTICLES = seed_texts()
TOP_K = 3
MAX_TOKENS = 120
ECHOES = ("Passages:", "Passage:", "Rules", "Question:")


@pytest.fixture(scope="module")
def local(seeded) -> Assistant:  # type: ignore[no-untyped-def]
    pytest.importorskip("xllamacpp", reason="pip install xllamacpp")
    settings = seeded.settings.model_copy(
        update={
            "llm_model": "local",
            "llm_max_tokens": MAX_TOKENS,
            "llm_context_window": 4096,
            "llm_threads": 1,
            "llm_retries": 1,
            "llm_timeout": 300.0,
        }
    )
    return Assistant(settings=settings, store=seeded.store)


def assert_checked(assistant: Assistant, question: str, answer: Answer) -> None:
    """What every answer in LLM mode must satisfy, generated or fallen back."""
    for echo in ECHOES:
        assert echo not in answer.answer, answer.answer
    for c in answer.citations:
        assert c.supported
        assert ARTICLES[c.doc][c.start : c.end] == c.quote
    if answer.mode != "llm" or not answer.citations:
        return
    # the generated answer passes the check again, unchanged, against the passages it cites
    nodes = {n.node.node_id: n for n in assistant.retrieve(question, top_k=20, per_article=20)}
    cited = [nodes[c.chunk_id] for c in sorted(answer.citations, key=lambda c: c.n)]
    for c, node in zip(sorted(answer.citations, key=lambda c: c.n), cited):
        assert c.quote in node.node.get_content()
    again = check_citations(
        answer.answer, cited, assistant.embed_model, assistant.settings.support_threshold
    )
    assert again.report.dropped == [] and again.report.removed_sentences == []
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}


@pytest.mark.parametrize(
    "question",
    [
        "How much did the floating dock off Gaza cost?",
        "How many people did the twin blasts in Iran kill?",
        "What did Gallant call Mohammed Deif?",
    ],
)
def test_a_real_model_answers_with_only_checked_citations(local, question) -> None:
    tokens: list[str] = []
    answer = local.ask(question, top_k=TOP_K, mode="llm", on_token=tokens.append)
    assert len(tokens) >= 2  # streamed, not delivered in one piece
    assert answer.mode in ("llm", "extractive-fallback"), answer.notice
    if answer.mode == "llm":
        assert answer.citation_check.generated
    else:  # the model replied, its reply failed the check, and the findings were kept
        assert "did not hold up" in answer.notice and answer.citation_check
    assert_checked(local, question, answer)
    if answer.abstained:  # a refusal cites nothing and says so
        assert answer.citations == [] and "do not say" in answer.answer
    else:  # an answer cites, and only passages the check found support in
        assert answer.citations and all(c.supported for c in answer.citations)


def test_an_unanswerable_question_is_refused_before_the_model_is_asked(local) -> None:
    """The reader finds no answer in the passages, so the refusal is the answer: a small model
    never gets the chance to answer from memory or from passages beside the point."""
    tokens: list[str] = []
    question = "What is the capital of Australia?"
    answer = local.ask(question, top_k=TOP_K, mode="llm", on_token=tokens.append)
    assert tokens == []
    assert_checked(local, question, answer)
    assert answer.citations == [] and answer.abstained and answer.mode == "llm"
    assert "do not say" in answer.answer and "Canberra" not in answer.answer


def test_rag_ask_with_the_local_model_end_to_end(seeded) -> None:
    pytest.importorskip("xllamacpp", reason="pip install xllamacpp")
    env = {
        "RAG_DATA_DIR": str(seeded.settings.data_dir),
        "RAG_LLM_MODEL": "local",
        "RAG_LLM_MAX_TOKENS": str(MAX_TOKENS),
        "RAG_TOP_K": str(TOP_K),
        "RAG_LLM_CONTEXT_WINDOW": "4096",
    }
    result = run_rag(
        "ask", "How many people did the twin blasts in Iran kill?", "--json", env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "llama" not in result.stderr.lower()
    answer = json.loads(result.stdout)
    assert answer["mode"] in ("llm", "extractive-fallback")
    assert answer["citation_check"]  # the model was asked and its reply checked
    for c in answer["citations"]:
        assert c["supported"] and ARTICLES[c["doc"]][c["start"] : c["end"]] == c["quote"]


def test_a_missing_model_file_is_one_clear_line(seeded, tmp_path) -> None:
    missing = tmp_path / "nowhere.gguf"
    result = run_rag(
        "ask",
        "Who is Deif?",
        env={"RAG_DATA_DIR": str(seeded.settings.data_dir), "RAG_LLM_MODEL": str(missing)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: no such file: {missing}"]


def test_briefing_key_points_from_the_real_model_all_pass_the_citation_check(local) -> None:
    """Whatever SmolLM2 writes as key points, each one kept passes the check again against the
    quotes it cites; when none survives, the extractive key points stand with a notice."""
    from rag.briefing.build import build_briefing
    from rag.briefing.summary import quote_nodes

    briefing = build_briefing(local, "Israel–Hezbollah border")
    notice = briefing.reproducibility["key_points_notice"]
    points = [ln for _, group in briefing.key_points for ln in group]
    assert points
    if briefing.reproducibility["key_points"] != "llm":
        assert notice.endswith("extractive key points."), notice
        return
    assert notice.startswith("Key points written by the LLM")
    for line in points:
        cited = [briefing.footnotes[n - 1] for n in line.numbers]
        for echo in ECHOES:
            assert echo not in line.text
        markers = "".join(f" [{i}]" for i in range(1, len(cited) + 1))
        again = check_citations(
            line.text + markers,
            quote_nodes(cited),
            local.embed_model,
            local.settings.support_threshold,
        )
        assert again.report.dropped == [] and again.report.removed_sentences == [], (
            line.text,
            again.report,
        )
