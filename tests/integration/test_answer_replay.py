"""The answerer replayed on a run's stored passages gives back the run's answers, so a reader
or a sentence rule measured by replay (`eval.findings.answer_replay`) is measured on what the
run really read."""

from __future__ import annotations

import pytest

from eval.findings.answer_replay import replay
from rag import Assistant, ExtractiveAnswerer

ASKED = (
    ("How much did the pier cost?", ["$230 million"], True),
    ("Who did Gallant talk to on the phone?", ["Lloyd Austin", "Austin"], True),
    ("What did the pier's second repair cost?", [], False),
)


def test_replaying_a_run_gives_back_its_answers(seeded: Assistant) -> None:
    rows = []
    for i, (question, answers, answerable) in enumerate(ASKED):
        answer = seeded.ask(question, mode="extractive").to_json()
        gold = {"answers": answers, "answerable": answerable, "evidence": []}
        rows.append({"id": f"q{i}", "tags": [], "gold": gold, **answer})
    assert any(not r["abstained"] for r in rows)
    answerer = ExtractiveAnswerer(seeded.embed_model, seeded.settings.max_answer_sentences)
    quoting_one = ExtractiveAnswerer(
        seeded.embed_model, seeded.settings.max_answer_sentences, runner_up=0.0
    )
    again, fewer = replay(rows, answerer, quoting_one)
    assert [r["answer"] for r in again] == [r["answer"] for r in rows]
    assert [r["citations"] for r in again] == [r["citations"] for r in rows]
    assert again[0]["scores"]["answer"]["contains"] == 1.0

    assert all(len(r["citations"]) <= 1 for r in fewer)


def test_an_override_that_is_no_calibration_field_is_refused(seeded: Assistant) -> None:
    with pytest.raises(TypeError, match="runnerup"):
        ExtractiveAnswerer(seeded.embed_model, 3, runnerup=0.1)
