"""Choosing how sentences are scored and quoted (`eval.reader_calibrate sentences`): each
replayed variant gets its own bars, and the one getting the most choosing questions right wins,
written into the calibration with its bars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import reader_calibrate


def row(qid: str, answerable: bool, p: float, contains: bool, quoted: int = 1) -> dict:
    return {
        "id": qid,
        "gold": {"answers": ["$230 million"] if answerable else [], "answerable": answerable},
        "abstained": False,
        "answerable": p,
        "short_answer": "",
        "citations": [{"n": n} for n in range(1, quoted + 1)],
        "scores": {"answer": {"contains": 1.0 if contains else 0.0}},
    }


def write(folder: Path, rows: list[dict], variant: dict) -> None:
    folder.mkdir(parents=True)
    (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "variant.json").write_text(json.dumps(variant))


def test_the_variant_answering_most_choosing_questions_wins_with_its_bars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "small.jsonl"
    gold.write_text("".join(json.dumps({"id": f"c{i}"}) + "\n" for i in range(4)))
    # quoting two sentences finds the gold in the second; one sentence does not
    narrow = [row("c0", True, 0.8, True), row("c1", True, 0.7, False), row("c2", False, 0.2, False)]
    wide = [row("c0", True, 0.8, True, 2), row("c1", True, 0.7, True, 2)] + narrow[2:]
    write(
        tmp_path / "replay/full/narrow", narrow + [row("x", True, 0.9, True)], {"runner_up": 0.06}
    )
    write(tmp_path / "replay/full/wide", wide + [row("x", True, 0.9, True)], {"runner_up": 0.14})
    seeds = [row("s0", False, 0.1, False)]
    write(tmp_path / "replay/seeds/narrow", seeds, {"runner_up": 0.06})
    write(tmp_path / "replay/seeds/wide", seeds, {"runner_up": 0.14})
    calibration = tmp_path / "calibration.json"
    calibration.write_text(json.dumps({"scale": 0.2, "bias": 0.1}))
    monkeypatch.setattr(reader_calibrate, "READER_CALIBRATION", calibration)

    reader_calibrate.main(
        ["sentences", str(tmp_path / "replay"), "--choose-on", str(gold), "--write"]
    )

    written = json.loads(calibration.read_text())
    assert written["runner_up"] == 0.14 and written["scale"] == 0.2
    # the bar refuses the two unanswerable (0.2, 0.1) and none of the answerable (0.7 and up)
    assert 0.2 < written["answer_bar"] <= 0.7
    assert '"runner_up": 0.06' in capsys.readouterr().out  # every variant is reported

    # bounded to about one sentence an answer, the wide margin is not allowed
    args = ["sentences", str(tmp_path / "replay"), "--choose-on", str(gold), "--write"]
    reader_calibrate.main([*args, "--max-quoted", "1.3"])
    assert json.loads(calibration.read_text())["runner_up"] == 0.06
