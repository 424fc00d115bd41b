"""The reader's model card says what its calibration holds: the gate's own bar and the
runner-up margin only when the recipe chose them, and the rebuild commands of its recipe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eval.reader_card import write_card
from rag import READER_CALIBRATION

SHIPPED = READER_CALIBRATION.parent


def card_for(tmp_path: Path, calibration: dict[str, float], **training: object) -> str:
    shutil.copy(SHIPPED / "training.json", tmp_path / "training.json")
    meta = json.loads((tmp_path / "training.json").read_text())
    (tmp_path / "training.json").write_text(json.dumps({**meta, **training}))
    (tmp_path / "calibration.json").write_text(json.dumps(calibration))
    (tmp_path / "reader-int8.onnx").write_bytes(b"\0" * 1024)
    return write_card(tmp_path).read_text()


def test_the_shipped_card_is_what_its_recipe_and_calibration_write(tmp_path: Path) -> None:
    for name in ("training.json", "calibration.json", "reader-int8.onnx"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    assert write_card(tmp_path).read_text() == (SHIPPED / "MODEL_CARD.md").read_text()


def test_the_gate_bar_and_runner_up_are_described_only_when_chosen(tmp_path: Path) -> None:
    plain = card_for(tmp_path, {"scale": 0.1, "bias": 0.1, "answer_bar": 0.3, "bold_bar": 0.6})
    assert "gate_bar" not in plain and "runner_up" not in plain and "reader_share" not in plain
    chosen = {
        "scale": 0.1,
        "answer_bar": 0.3,
        "gate_bar": 0.2,
        "runner_up": 0.1,
        "reader_share": 0.7,
    }
    card = card_for(tmp_path, chosen)
    assert "`reader_share` is the reader's part of a sentence's score" in card
    assert "`gate_bar` is LLM mode's relevance gate's own bar" in card
    assert "`runner_up` is how far below the best sentence's score" in card
    assert '"runner_up": 0.1' in card
    assert "python -m eval.reader_calibrate sentences REPLAY" in card
    assert "eval.reader_calibrate sentences" not in plain


@pytest.mark.parametrize(
    ("share", "train_flags"),
    [(0.0, ""), (0.7, " --written-share 0.7")],
    ids=["every written question", "written share held"],
)
def test_a_recipe_with_written_news_says_how_to_rebuild_it(
    tmp_path: Path, share: float, train_flags: str
) -> None:
    card = card_for(
        tmp_path,
        {"scale": 0.1, "bias": 0.1},
        written_folders=["reader_written", "reader_written_quiz"],
        written_questions=10080,
        written_share=share,
        epochs=2.0,
    )
    flags = "--written eval/reader_written eval/reader_written_quiz"
    assert f"python -m eval.reader_train {flags}{train_flags} --epochs 2`" in card
    assert f"python -m eval.reader_calibrate gate {flags} --write" in card
