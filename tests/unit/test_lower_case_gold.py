"""The lower-case copy of a gold file changes the questions' case and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from eval.findings.lower_case_gold import main


def test_only_the_questions_are_lower_cased(tmp_path: Path) -> None:
    item = {"id": "q1", "question": "Who won the British Open?", "answers": ["Cameron Smith"]}
    source, out = tmp_path / "gold.jsonl", tmp_path / "lower.jsonl"
    source.write_text(json.dumps(item) + "\n\n", encoding="utf-8")
    assert main([str(source), str(out)]) == 0
    (written,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == {**item, "question": "who won the british open?"}
    assert main([str(source)]) == 2
