"""`rag eval` keeps each answer as it comes and resumes a stopped run.

A 400-question run printed nothing for 40 minutes and wrote its results only at the end, so
a crash at question 399 lost the run. Here a run is stopped at question 4 of 6 (its `ask`
raises), the same run again reuses the 3 answers written and ends with the figures of an
uninterrupted run; a changed setting that shapes answers reuses nothing, one that does not
(a timeout) reuses everything, and `fresh` starts over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.run import run_eval
from rag import Assistant, Settings
from tests.helpers import ROOT, SEEDS

pytestmark = pytest.mark.slow  # starts `rag eval` in subprocesses

GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
IDS = ["fig-hostages", "name-deif", "conflict-displaced", "unans-07", "quote-deif", "fig-pier-cost"]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    """Six seed questions, unanswerable and conflicting ones among them."""
    items = {i["id"]: i for i in map(json.loads, GOLD.read_text().splitlines())}
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(items[i]) + "\n" for i in IDS))
    return path


def figures(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without what differs between two runs of the same answers: timings, facts."""
    return {
        k: figures(v) if isinstance(v, dict) else v
        for k, v in summary.items()
        if k not in ("run", "latency_ms", "gate")
    }


def rows(run: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]


def answers(run: Path) -> list[tuple[str, str, dict]]:
    return [(r["id"], r["answer"], r["scores"]) for r in rows(run)]


def test_a_stopped_run_resumes_with_its_answers_and_ends_as_an_uninterrupted_one(
    gold: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    whole = run_eval(
        gold, tmp_path / "whole", settings, corpus=SEEDS, concurrency=1, progress=False
    )
    run = tmp_path / "run"
    real_ask = Assistant.ask
    lines_seen: list[int] = []

    def ask_then_crash(self: Assistant, *args: Any, **kwargs: Any) -> Any:
        path = run / "results.jsonl"
        lines_seen.append(len(path.read_text().splitlines()) if path.exists() else -1)
        if len(lines_seen) == 4:
            raise RuntimeError("the machine went away at question 4")
        return real_ask(self, *args, **kwargs)

    monkeypatch.setattr(Assistant, "ask", ask_then_crash)
    with pytest.raises(RuntimeError, match="question 4"):
        run_eval(gold, run, settings, corpus=SEEDS, concurrency=1, progress=True)
    assert lines_seen == [0, 1, 2, 3]  # each answer is in the file before the next question
    assert [r["id"] for r in rows(run)] == IDS[:3]
    assert not (run / "summary.json").exists()
    err = capsys.readouterr().err
    assert "eval: ingesting" in err and "5 skipped (unchanged)" in err
    assert "eval: 3/6 conflict-displaced: " in err and " so far" in err
    assert "run the same command again" in err

    monkeypatch.setattr(Assistant, "ask", real_ask)
    resumed = run_eval(gold, run, settings, corpus=SEEDS, concurrency=1, progress=True)
    err = capsys.readouterr().err
    assert f"eval: reused 3 of 6 answers already in {run / 'results.jsonl'}" in err
    assert "eval: 4/6 unans-07" in err and "eval: 6/6 fig-pier-cost" in err
    assert "1/6" not in err  # the reused ones are not asked again
    assert resumed["run"]["reused"] == 3 and whole["run"]["reused"] == 0
    assert figures(resumed) == figures(whole)
    assert answers(run) == answers(tmp_path / "whole")  # same rows, in gold order
    assert json.loads((run / "summary.json").read_text())["n"] == 6


def test_only_settings_that_shape_answers_invalidate_them_and_fresh_starts_over(
    gold: Path, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    first = run_eval(gold, run, settings, corpus=SEEDS, concurrency=2, progress=False)
    patient = settings.model_copy(update={"llm_timeout": 300.0})
    assert run_eval(gold, run, patient, corpus=SEEDS, progress=False)["run"]["reused"] == 6

    fewer = settings.model_copy(update={"top_k": 3})
    changed = run_eval(gold, run, fewer, corpus=SEEDS, concurrency=2, progress=True)
    err = capsys.readouterr().err
    assert changed["run"]["reused"] == 0 and "reused" not in err
    assert "6 answer(s) in" in err and "asked again" in err
    assert changed["run"]["settings"]["top_k"] == 3

    again = run_eval(gold, run, settings, corpus=SEEDS, progress=False, fresh=True)
    assert again["run"]["reused"] == 0
    assert figures(again) == figures(first)
