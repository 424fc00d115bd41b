"""Import SQuAD v2 JSON into a corpus (one JSONL record per paragraph) and gold questions.

Each paragraph becomes an article `<title>/<k>` so retrieval is scored at paragraph level;
each question becomes a gold record in the harness format (`id, question, answers, evidence,
answerable, tags`), its evidence the paragraph and the first answer span. Sampling is seeded
so a run can be repeated. Scoring is not done here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path


def import_squad(
    source: Path, out_dir: Path, sample: int | None = None, seed: int = 0
) -> tuple[Path, Path]:
    """Write `corpus.jsonl` and `gold.jsonl` under `out_dir`; returns their paths."""
    data = json.loads(source.read_text(encoding="utf-8"))["data"]
    corpus, gold = [], []
    for article in data:
        title = article["title"]
        for k, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"{title}/{k}"
            corpus.append(
                {
                    "id": doc_id,
                    "title": title.replace("_", " "),
                    "source": "squad-v2",
                    "text": paragraph["context"],
                }
            )
            for qa in paragraph["qas"]:
                answers = list(dict.fromkeys(a["text"] for a in qa["answers"]))
                gold.append(
                    {
                        "id": qa["id"],
                        "question": qa["question"],
                        "answers": answers,
                        "evidence": [{"doc": doc_id, "quote": answers[0]}] if answers else [],
                        "answerable": not qa.get("is_impossible", False) and bool(answers),
                        "tags": [title, "answerable" if answers else "unanswerable"],
                    }
                )
    if sample is not None and sample < len(gold):
        gold = random.Random(seed).sample(gold, sample)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus_path, gold_path = out_dir / "corpus.jsonl", out_dir / "gold.jsonl"
    corpus_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus))
    gold_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold))
    return corpus_path, gold_path
