"""What every answerer promises, whichever answered (canopy-style contract tests).

Each backend runs the same checks through `answerer_for` on the seed articles' passages: the
quoted answerer, a generated answer from a scripted model that passes the citation check,
one whose reply fails it (the passages are quoted instead), and an endpoint that is down.
- an answer cites: each `[n]` in its text is one of its citations, each citation is a
  verbatim span of its article at the offsets given, numbered 1..m;
- a refusal cites nothing and says "The articles do not say";
- a question the passages do not answer is refused, whichever backend;
- the mode says what answered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr

from rag import NOT_SAID, Answer, Assistant, cited_numbers
from rag.answering import Answerer, answerer_for
from tests.helpers import seed_texts
from tests.helpers.scripted_llm import Reply, ScriptedLLM, passage_number

ARTICLES = seed_texts()
PIER = "How much did the floating dock off Gaza cost?"
UNANSWERED = "What is the capital of Australia?"


def faithful(prompt: str) -> str:
    n = passage_number(prompt, "$230 million")
    return f"The floating dock cost $230 million [{n}]."


def unfaithful(prompt: str) -> str:
    return "The floating dock cost $9 billion, paid by France [1]."


@dataclass
class Backend:
    name: str
    answerer: Answerer
    modes: tuple[str, ...]  # what its answers may say answered them


def _llm(seeded: Assistant, url: str) -> Backend:
    settings = seeded.settings.model_copy(
        update={
            "llm_model": "scripted-model",
            "openai_base_url": url,
            "openai_api_key": SecretStr("test-key"),
            "llm_retries": 0,
            "llm_backoff": 0.01,
            "llm_timeout": 5.0,
        }
    )
    return Backend(
        "llm", answerer_for("llm", settings, seeded.embed_model), ("llm", "extractive-fallback")
    )


def _scripted(seeded: Assistant, reply: Reply) -> Iterator[Backend]:
    with ScriptedLLM([reply]) as server:
        yield _llm(seeded, server.base_url)


@pytest.fixture(
    params=[
        "extractive",
        pytest.param("llm-faithful", marks=pytest.mark.slow),
        pytest.param("llm-unfaithful", marks=pytest.mark.slow),
        "llm-down",  # nothing listens there: no server is started
    ]
)
def backend(request: pytest.FixtureRequest, seeded: Assistant) -> Iterator[Backend]:
    match request.param:
        case "extractive":
            yield Backend(
                "extractive",
                answerer_for("extractive", seeded.settings, seeded.embed_model),
                ("extractive",),
            )
        case "llm-faithful":
            yield from _scripted(seeded, Reply(faithful))
        case "llm-unfaithful":
            yield from _scripted(seeded, Reply(unfaithful))
        case "llm-down":
            yield _llm(seeded, "http://127.0.0.1:9/v1")


def answer(seeded: Assistant, backend: Backend, question: str) -> Answer:
    nodes = seeded.retrieve(question)
    return backend.answerer.answer(question, nodes)


def assert_cites_verbatim(result: Answer) -> None:
    numbers = [c.n for c in result.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(cited_numbers(result.answer)) == set(numbers)
    for c in result.citations:
        assert c.supported
        assert c.start is not None and ARTICLES[c.doc][c.start : c.end] == c.quote


def test_an_answer_cites_verbatim_spans_it_marks(seeded: Assistant, backend: Backend) -> None:
    result = answer(seeded, backend, PIER)
    assert result.mode in backend.modes
    assert not result.abstained, result.answer
    assert "$230 million" in result.answer
    assert "$9 billion" not in result.answer  # what no passage says never reaches the user
    assert_cites_verbatim(result)


def test_an_unanswered_question_is_refused_citing_nothing(
    seeded: Assistant, backend: Backend
) -> None:
    result = answer(seeded, backend, UNANSWERED)
    assert result.mode in backend.modes
    assert result.abstained and result.citations == []
    assert result.answer.startswith(NOT_SAID)
    assert "Canberra" not in result.answer
