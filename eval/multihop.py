"""Import MultiHop-RAG (corpus.json + MultiHopRAG.json) into a corpus JSONL and gold set.

Articles keep their title, source, url and date (`published_at`); an article's id is its url
hash as `rag ingest` would give it, so evidence points at the same ids. Questions whose answer
is "Insufficient information." become unanswerable items; every question is tagged with its
`question_type`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def _doc_id(url: str) -> str:
    return "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]


def import_multihop(corpus_json: Path, questions_json: Path, out_dir: Path) -> tuple[Path, Path]:
    articles = json.loads(corpus_json.read_text(encoding="utf-8"))
    questions = json.loads(questions_json.read_text(encoding="utf-8"))
    corpus = [
        {
            "id": _doc_id(a["url"]),
            "title": a.get("title", ""),
            "source": a.get("source", ""),
            "url": a["url"],
            "date": (a.get("published_at") or "")[:10],
            "text": a.get("body", ""),
        }
        for a in articles
        if a.get("url") and a.get("body")
    ]
    gold = []
    for k, q in enumerate(questions):
        answer = str(q.get("answer", "")).strip()
        answerable = bool(answer) and not answer.lower().startswith("insufficient information")
        gold.append(
            {
                "id": f"mh-{k:04d}",
                "question": q["query"],
                "answers": [answer] if answerable else [],
                "evidence": [
                    {"doc": _doc_id(e["url"]), "quote": e["fact"]}
                    for e in q.get("evidence_list", [])
                    if e.get("url") and e.get("fact")
                ],
                "answerable": answerable,
                "tags": [q.get("question_type", "unknown")],
            }
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus_path, gold_path = out_dir / "corpus.jsonl", out_dir / "gold.jsonl"
    corpus_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus))
    gold_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold))
    return corpus_path, gold_path
