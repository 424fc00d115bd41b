"""`rag eval` end to end on the seeds: files, figures, gate, comparison; gold validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import GoldError, load_gold
from eval.squad import import_squad
from tests.helpers import ROOT, SEEDS, run_rag

GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"


def _eval_seeds(gold: Path, out: Path) -> list[str]:
    """`rag eval`'s arguments for a gold file over the seed articles, written to `out`."""
    return ["eval", "--gold", str(gold), "--corpus", str(SEEDS), "--out", str(out)]


def test_seed_gold_set_is_well_formed_and_quotes_are_verbatim() -> None:
    items = load_gold(GOLD)
    assert len(items) >= 40
    assert sum(not i.answerable for i in items) >= 8
    assert any("conflict" in i.tags for i in items)
    texts = {p.name: p.read_text() for p in SEEDS.iterdir()}
    for item in items:
        for ev in item.evidence:
            assert ev.quote in texts[ev.doc], (item.id, ev.quote)
    assert {t for i in items for t in i.tags} >= {
        "figure",
        "name",
        "quote",
        "date",
        "multi-doc",
        "unanswerable",
    }


def test_conversation_gold_holds_follow_ups_quoting_the_seeds_verbatim() -> None:
    """eval/gold/conversations.jsonl: follow-ups, each after the chat's earlier questions."""
    items = load_gold(ROOT / "eval" / "gold" / "conversations.jsonl")
    assert len(items) >= 20 and all(item.after for item in items)
    assert sum(not i.answerable for i in items) >= 6
    texts = {p.name: p.read_text() for p in SEEDS.iterdir()}
    for item in items:
        for ev in item.evidence:
            assert ev.quote in texts[ev.doc], (item.id, ev.quote)


@pytest.mark.parametrize(
    "line, message",
    [
        (
            '{"id": "x", "question": "Q?", "answers": [], "answerable": true}',
            "field 'answers' is empty but 'answerable' is true",
        ),
        ('{"question": "Q?", "answers": ["a"], "answerable": true}', "missing field 'id'"),
        (
            '{"id": "x", "question": "Q?", "answers": "a", "answerable": true}',
            "field 'answers' must be a list of strings",
        ),
        (
            '{"id": "x", "question": "Q?", "answers": ["a"], "answerable": true, '
            '"evidence": [{"doc": "d"}]}',
            "evidence[0]: missing field 'quote'",
        ),
        ("{not json", "malformed JSON"),
        (
            '{"id": "x", "question": "and why?", "answers": ["a"], "answerable": true, '
            '"after": "What happened?"}',
            "field 'after' must be a list of strings",
        ),
    ],
)
def test_malformed_gold_lines_name_the_line_and_field(
    tmp_path: Path, line: str, message: str
) -> None:
    good = '{"id": "ok", "question": "Q?", "answers": ["a"], "answerable": true}'
    path = tmp_path / "g.jsonl"
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert str(err.value).startswith(f"{path}:2") and message in str(err.value)


def test_eval_run_writes_results_reports_and_enforces_the_gate(tmp_path: Path) -> None:
    items = [json.loads(line) for line in GOLD.read_text().splitlines()]
    small = [
        i
        for i in items
        if i["id"] in {"fig-hostages", "name-deif", "conflict-displaced", "unans-07", "quote-deif"}
    ]
    gold = tmp_path / "small.jsonl"
    gold.write_text("".join(json.dumps(i) + "\n" for i in small))
    run = tmp_path / "run"
    result = run_rag("eval", "--gold", str(gold), "--corpus", str(SEEDS), "--out", str(run))
    assert result.returncode == 0, result.stderr
    for name in (
        "results.jsonl",
        "summary.json",
        "report.md",
        "report.html",
        "plots/metrics.png",
        "plots/by_tag.png",
        "plots/latency.png",
    ):
        assert (run / name).exists(), name
    summary = json.loads((run / "summary.json").read_text())
    assert summary["n"] == 5 and summary["counts"] == {"answerable": 4, "unanswerable": 1}
    assert summary["retrieval"]["hit@5"] == 1.0
    assert summary["answer"]["contains"] == 1.0
    assert summary["citation"]["precision"] == 1.0
    assert summary["run"]["corpus_fingerprint"]["articles"] == 5
    assert set(summary["by_tag"]) >= {"figure", "name", "unanswerable"}
    rows = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    assert {r["id"] for r in rows} == {i["id"] for i in small}
    # the refusal figure is the rows' (which unanswerable questions a reader refuses changes
    # with its weights; the seeds gate bounds how many, over all ten of them)
    unanswerable = [r for r in rows if not r["gold"]["answerable"]]
    refused = sum(r["abstained"] for r in unanswerable) / len(unanswerable)
    assert summary["abstention"]["refused_unanswerable"] == refused
    assert all({"answer", "citations", "passages", "scores"} <= set(r) for r in rows)
    html = (run / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and "Definitions" in html

    bars = tmp_path / "bars.json"
    bars.write_text(json.dumps({"min": {"answer.contains": 1.01}, "max": {}}))
    gated = run_rag(*_eval_seeds(gold, tmp_path / "run2"), "--thresholds", str(bars))
    assert gated.returncode == 1
    assert "gate: answer.contains = 1.0 misses the bar (min 1.01)" in gated.stderr

    compared = run_rag(
        "eval", "compare", str(run), str(tmp_path / "run2"), "--html", str(tmp_path / "cmp.html")
    )
    assert compared.returncode == 0, compared.stderr
    assert "accuracy" in compared.stdout and "0 question(s) flipped" in compared.stdout
    assert "Run comparison" in (tmp_path / "cmp.html").read_text()


def test_bad_gold_file_is_one_clear_error(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a"}\n')
    result = run_rag("eval", "--gold", str(gold), "--corpus", str(SEEDS))
    assert result.returncode == 2
    assert f"error: {gold}:1: missing field 'answerable'" in result.stderr


def test_squad_import_keeps_paragraph_evidence(tmp_path: Path) -> None:
    source = tmp_path / "squad.json"
    source.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "title": "Normans",
                        "paragraphs": [
                            {
                                "context": "The Normans were in Normandy.",
                                "qas": [
                                    {
                                        "id": "1",
                                        "question": "Where?",
                                        "answers": [{"text": "Normandy"}],
                                        "is_impossible": False,
                                    },
                                    {
                                        "id": "2",
                                        "question": "When?",
                                        "answers": [],
                                        "is_impossible": True,
                                    },
                                ],
                            }
                        ],
                    }
                ]
            }
        )
    )
    corpus, gold = import_squad(source, tmp_path / "out")
    assert json.loads(corpus.read_text()) == {
        "id": "Normans/0",
        "title": "Normans",
        "source": "squad-v2",
        "text": "The Normans were in Normandy.",
    }
    items = load_gold(gold)
    assert items[0].evidence[0].doc == "Normans/0" and items[0].answers == ("Normandy",)
    assert not items[1].answerable and items[1].evidence == ()


@pytest.mark.parametrize(
    "evidence, message",
    [
        (
            {"doc": "999_missing.txt", "quote": "133 hostages"},
            "evidence[0]: cites '999_missing.txt', which is not a stored article",
        ),
        (
            {"doc": "001_86b8b23eb7a99f56.txt", "quote": "the release of the 134 hostages"},
            "evidence[0]: the quote “the release of the 134 hostages” is not in "
            "001_86b8b23eb7a99f56.txt",
        ),
    ],
)
def test_gold_evidence_must_be_in_the_corpus(tmp_path: Path, evidence: dict, message: str) -> None:
    items = [json.loads(line) for line in GOLD.read_text().splitlines()]
    good = next(i for i in items if i["id"] == "fig-hostages")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(good) + "\n" + json.dumps({**good, "id": "bad", "evidence": [evidence]}) + "\n"
    )
    result = run_rag(
        "eval", "--gold", str(gold), "--corpus", str(SEEDS), "--out", str(tmp_path / "run")
    )
    assert result.returncode == 2
    assert f"error: {gold}:2 {message}" in result.stderr
    assert not (tmp_path / "run" / "summary.json").exists()


# Runs `rag eval` (the arguments after K) and SIGKILLs it, as a crash or an OOM kill would,
# just before it asks a question while results.jsonl (RESULTS) already holds K answers.
KILLED_AT_K = """
import os, runpy, signal, sys
from pathlib import Path
from rag.assistant import Assistant
results, k, real_ask = Path(sys.argv[1]), int(sys.argv[2]), Assistant.ask
def ask(self, *args, **kwargs):
    if results.exists() and len(results.read_text().splitlines()) >= k:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_ask(self, *args, **kwargs)
Assistant.ask = ask
sys.argv = ["rag", *sys.argv[3:]]
runpy.run_module("rag.cli", run_name="__main__")
"""


def _figures(summary: dict) -> dict:
    """A summary without what differs between two runs of the same answers."""
    return {
        k: _figures(v) if isinstance(v, dict) else v
        for k, v in summary.items()
        if k not in ("run", "latency_ms", "gate")
    }


def test_a_killed_eval_resumes_reusing_its_answers_and_ends_as_a_fresh_run(tmp_path: Path) -> None:
    import subprocess
    import sys

    items = [json.loads(line) for line in GOLD.read_text().splitlines()][:8]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(i) + "\n" for i in items))
    run = tmp_path / "run"
    args = [*_eval_seeds(gold, run), "--concurrency", "1"]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_K, str(run / "results.jsonl"), "3", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert len((run / "results.jsonl").read_text().splitlines()) == 3  # written as it went
    assert "eval: ingesting" in killed.stderr and "eval: 3/8 " in killed.stderr
    assert not (run / "summary.json").exists()

    resumed = run_rag(*args)
    assert resumed.returncode == 0, resumed.stderr
    assert f"eval: reused 3 of 8 answers already in {run / 'results.jsonl'}" in resumed.stderr
    assert "eval: 4/8 " in resumed.stderr and "eval: 8/8 " in resumed.stderr
    assert "eval: 3/8 " not in resumed.stderr
    assert "eval:" not in resumed.stdout and "8 questions · accuracy" in resumed.stdout
    after_resume = json.loads((run / "summary.json").read_text())
    assert after_resume["run"]["reused"] == 3

    fresh = run_rag(*args, "--fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert "reused" not in fresh.stderr and "eval: 1/8 " in fresh.stderr
    uninterrupted = json.loads((run / "summary.json").read_text())
    assert uninterrupted["run"]["reused"] == 0
    assert _figures(after_resume) == _figures(uninterrupted)
    assert fresh.stdout.split(" · p50")[0] == resumed.stdout.split(" · p50")[0]
