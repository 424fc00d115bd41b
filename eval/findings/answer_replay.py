"""The extractive answerer replayed on the passages a `rag eval` run stored, with no retrieval:
a reader or a rule for choosing sentences is compared on the very passages the run read, in a
tenth of a full run's time (retrieval is most of it), and decision by decision.

    python -m eval.findings.answer_replay RUN_DIR OUT_DIR [--runner-up M …] [--reader-share R …]
        [--agreement A …] [--stale-cost C …] [--gold GOLD] [--answer-bar B --bold-bar B]
        [--names WRITTEN_NAMES_JSON]

writes OUT_DIR/results.jsonl (each row of RUN_DIR with the replayed answer and its scores, the
same shape, so `eval.reader_calibrate bars OUT_DIR …` and `eval.rescore` read it) and prints
the summary, with how many answers came out the same as the run's (replaying with the reader
and settings the run had gives back its answers, which is how this is checked). Several
runner-up margins, reader shares and agreement margins (`rag.answering.reading.Calibration`)
are replayed in one pass, each combination into OUT_DIR/runner-up-M-…-agreement-A/: a
question's passages are read once and the reader's cache serves the other variants.
Bars default to 0 (every question answered), so the bars are chosen on the replay afterwards.
With `--gold` (the run's gold file) each question is read as asked on its day, as the run
asked it, so the answerer knows which passages are the question's news days
(`--stale-cost`); without it, as asked today.
What it leaves out: retrieval and the reader's reranking (the passages are the run's, so a new
reader's reranking is not replayed), and LLM mode.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from llama_index.core.schema import NodeWithScore, TextNode

from eval.gold import load_gold
from eval.metrics import score
from eval.reader_calibrate import quoted
from eval.results import gold_item, read_rows
from eval.summary import summarize
from rag import CachedEmbedding, ExtractiveAnswerer, Question, Settings, get_embed_model

ANSWER_FIELDS = (
    "answer",
    "abstained",
    "citations",
    "short_answer",
    "short_sure",
    "answerable",
    "conflicts",
)


def nodes_of(row: dict[str, Any]) -> list[NodeWithScore]:
    """The run's stored passages as the retrieved nodes the answerer was handed."""
    nodes = []
    for p in row.get("passages", []):
        meta = {k: p[k] for k in ("title", "date", "source", "url") if p.get(k)}
        meta["doc_id"] = p["doc"]
        if p.get("also"):
            meta["also_reported_by"] = p["also"]
        node = TextNode(
            id_=p["chunk_id"],
            text=p["text"],
            metadata=meta,
            start_char_idx=p.get("start"),
            end_char_idx=p.get("end"),
        )
        nodes.append(NodeWithScore(node=node, score=p.get("score")))
    return nodes


def replay(
    rows: list[dict[str, Any]],
    *answerers: ExtractiveAnswerer,
    days: dict[str, date | None] | None = None,
    names: dict[str, str] | None = None,
) -> list[list[dict[str, Any]]]:
    """Each row answered again from its own passages by each answerer in turn (so the readings
    of one row's passages are reused from the reader's cache), scored against its own gold:
    one list of rows per answerer. `days`: the day each question (by id) was asked; `names`:
    how the run's store writes its names, which a question typed in lower case is read with,
    as `Assistant.ask` reads it (`rag.text.truecase`)."""
    out: list[list[dict[str, Any]]] = [[] for _ in answerers]
    for row in rows:
        nodes = nodes_of(row)
        question = Question.parse(row["question"], (days or {}).get(row["id"]))
        question = question.cased_like((n.node.get_content() for n in nodes), names)
        for answerer, rows_out in zip(answerers, out):
            answer = answerer.answer(question, nodes).to_json()
            new = {**row, **{k: answer[k] for k in ANSWER_FIELDS}}
            new["scores"] = score(new, gold_item(new))
            rows_out.append(new)
    return out


def report(
    rows: list[dict[str, Any]], new: list[dict[str, Any]], out: Path, variant: dict[str, float]
) -> None:
    """Write one replay's rows and its calibration overrides (`variant.json`, what
    `eval.reader_calibrate sentences` chooses among) to `out`, and print its figures."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "results.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in new)
    (out / "variant.json").write_text(json.dumps(variant))
    same = sum(a["answer"] == b["answer"] for a, b in zip(rows, new))
    summary = summarize(new)
    figures = {
        "accuracy": summary["accuracy"],
        "contains": summary["answer"]["contains"],
        "short_f1": summary["answer"]["short_f1"],
        **summary["abstention"],
    }
    print(f"{out}: {json.dumps(figures)}")
    print(
        f"  {len(new)} replayed: {same} answers the same as the run's; "
        f"{quoted(new):.2f} sentences quoted on average"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--answer-bar", type=float, default=0.0)
    parser.add_argument("--bold-bar", type=float, default=0.0)
    parser.add_argument(
        "--runner-up", type=float, nargs="*", default=[], help="default: the calibration's"
    )
    parser.add_argument(
        "--reader-share", type=float, nargs="*", default=[], help="default: the calibration's"
    )
    parser.add_argument(
        "--agreement", type=float, nargs="*", default=[], help="default: the calibration's"
    )
    parser.add_argument(
        "--stale-cost", type=float, nargs="*", default=[], help="default: the calibration's"
    )
    parser.add_argument("--gold", type=Path, help="the run's gold file: each question's day")
    parser.add_argument("--limit", type=int, default=0, help="replay the first N rows only")
    parser.add_argument(
        "--names",
        type=Path,
        help="the run's store's written names (<data dir>/bm25/<collection>/"
        "written_names.json): lower-case questions read as `rag ask` reads them; without, "
        "with the names their passages write alone",
    )
    args = parser.parse_args(argv)
    days = {g.id: g.as_of for g in load_gold(args.gold)} if args.gold else None
    rows = read_rows(args.run / "results.jsonl")
    rows = rows[: args.limit] if args.limit else rows
    settings = Settings()
    sentences = settings.max_answer_sentences
    # as answers embed: the variants of a row ask for the same sentences' vectors
    embed = CachedEmbedding(get_embed_model(settings), settings.answer_vector_cache)
    variants = [
        {"runner_up": m, "reader_share": r, "agreement": a, "stale_cost": c}
        for m in args.runner_up or [None]
        for r in args.reader_share or [None]
        for a in args.agreement or [None]
        for c in args.stale_cost or [None]
    ]
    answerers = [
        ExtractiveAnswerer(
            embed, sentences, answer_bar=args.answer_bar, bold_bar=args.bold_bar, **v
        )
        for v in variants
    ]
    names = json.loads(args.names.read_text(encoding="utf-8")) if args.names else None
    for variant, new in zip(variants, replay(rows, *answerers, days=days, names=names)):
        given = {k: v for k, v in variant.items() if v is not None}
        name = "-".join(f"{k.replace('_', '-')}-{v}" for k, v in given.items())
        report(rows, new, args.out / name if len(variants) > 1 else args.out, given)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
