"""Our written news questions for the reader: split by article, answers placed, bad lines named."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from eval.reader_data import WRITTEN, held_to_share, load_written

PASSAGE = (
    "The city council approved a $12 million repair of the harbour pier on Tuesday. "
    "Mayor Ana Ruiz said work would start in May and cost less than the $15 million first feared."
)


def _write(folder: Path, articles: int, answer: str = "$12 million") -> None:
    lines = [
        {
            "article_id": f"t-a{i:02d}",
            "title": "Pier repair approved",
            "date": "2024-03-05",
            "passage": 1,
            "context": PASSAGE,
            "qas": [
                {"question": "pier repair cost?", "answer": answer},
                {"question": "Who will do the work?", "answer": ""},
            ],
        }
        for i in range(1, articles + 1)
    ]
    (folder / "t.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")


def test_every_fifth_article_is_held_out_whole(tmp_path: Path) -> None:
    _write(tmp_path, 10)
    train, held = load_written(tmp_path)
    assert {e.title for e in held} == {"t-a05", "t-a10"}
    assert not {e.title for e in held} & {e.title for e in train}
    assert len(train) == 16 and len(held) == 4


def test_answers_are_placed_where_they_stand_and_unanswerable_ones_have_none(
    tmp_path: Path,
) -> None:
    _write(tmp_path, 1)
    answerable, unanswerable = load_written(tmp_path)[0]
    [(text, start)] = answerable.answers
    assert PASSAGE[start : start + len(text)] == "$12 million"
    assert unanswerable.answers == []
    assert answerable.qid != unanswerable.qid


def test_an_answer_missing_from_its_passage_names_the_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, 2, answer="$13 million")
    with pytest.raises(ValueError, match=r"t\.jsonl:1: answer '\$13 million'"):
        load_written(tmp_path)


@pytest.mark.parametrize(
    "folder",
    ["reader_written", "reader_written_quiz", "reader_written_plain", "reader_written_instances"],
)
def test_each_written_set_loads_with_every_answer_in_its_passage(folder: str) -> None:
    train, held = load_written(WRITTEN.with_name(folder))
    assert len(train) > 1000 and len(held) > 200
    for ex in train + held:
        for text, start in ex.answers:
            assert ex.context[start : start + len(text)] == text


def test_a_share_keeps_whole_passages_and_holds_the_written_part_to_it(tmp_path: Path) -> None:
    _write(tmp_path, 20)  # 16 articles trained on, two questions each
    train, _ = load_written(tmp_path)
    kept = held_to_share(train, others=10, share=0.6, rng=random.Random(1))
    assert len(kept) / (len(kept) + 10) <= 0.6
    assert len(kept) == 14  # the cap is 15 questions: seven whole passages of two
    for title in {e.title for e in kept}:
        assert sum(e.title == title for e in kept) == 2
    assert held_to_share(train, others=10, share=0.6, rng=random.Random(1)) == kept
    assert held_to_share(train, others=100, share=0.6, rng=random.Random(1)) == train
    with pytest.raises(ValueError, match="--written-share"):
        held_to_share(train, others=10, share=1.0, rng=random.Random(1))
