"""`rag eval`: run a gold set, compare runs, import public datasets to the gold format.

Registered as a `rag.commands` entry point, so the `rag` command gains `eval` without `rag`
importing this package. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from rag import fail

app = typer.Typer(help="Score answers against gold Q&A pairs; compare runs; import datasets.")


class Mode(str, Enum):
    auto = "auto"
    extractive = "extractive"
    llm = "llm"


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    gold: Annotated[Optional[Path], typer.Option(help="Gold JSONL file.")] = None,
    corpus: Annotated[
        Optional[Path],
        typer.Option(help="Articles to evaluate on, ingested into a collection of their own."),
    ] = None,
    out: Annotated[Optional[Path], typer.Option(help="Run folder (default runs/<time>).")] = None,
    mode: Annotated[
        Mode,
        typer.Option(
            help="Answer mode: 'auto' is what `rag ask` would use (the LLM when configured)."
        ),
    ] = Mode.auto,
    concurrency: Annotated[int, typer.Option(min=1, help="Questions in flight.")] = 2,
    thresholds: Annotated[
        Optional[Path], typer.Option(help='JSON of bars: {"min": {metric: v}, "max": {metric: v}}.')
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh", help="Ask every question again, ignoring answers already in --out."
        ),
    ] = False,
) -> None:
    """Run every gold question through `rag ask` and write results, summary and reports.

    Progress goes to stderr; each answer is written to OUT/results.jsonl as it comes, and the
    same command run again with the same --out reuses the answers already there."""
    if ctx.invoked_subcommand:
        return
    if gold is None:
        fail("--gold FILE is required (or use `rag eval compare RUN_A RUN_B`)")
    from pydantic import ValidationError

    from eval.gold import GoldError
    from rag import Settings, describe_error, quiet_libraries

    quiet_libraries()
    from eval.run import run_eval

    bars = None
    if thresholds:
        try:
            bars = json.loads(thresholds.read_text())
        except (OSError, json.JSONDecodeError) as err:
            fail(f"{thresholds}: cannot read thresholds ({err})")
    out = out or Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        summary = run_eval(
            gold,
            out,
            Settings(),
            corpus=corpus,
            concurrency=concurrency,
            thresholds=bars,
            progress=True,
            fresh=fresh,
            mode=None if mode is Mode.auto else mode.value,
        )
    except ValidationError as err:  # a ValueError too, but many lines: name the variable
        fail(f"bad setting {describe_error(err)}")
    except (GoldError, ValueError) as err:
        fail(str(err))
    typer.echo(
        f"{summary['n']} questions · accuracy {summary['accuracy']} · "
        f"hit@5 {summary['retrieval']['hit@5']} · evidence article in top 5 "
        f"{summary['retrieval'].get('article_hit@5')} · contains "
        f"{summary['answer']['contains']} · in passages not in answer "
        f"{summary['answer']['missed_in_passages']} · refused unanswerable "
        f"{summary['abstention']['refused_unanswerable']} · refused answerable "
        f"{summary['abstention']['refused_answerable']} · citation precision "
        f"{summary['citation']['precision']} · p50 {summary['latency_ms']['p50']} ms"
    )
    f = summary["failures"]
    typer.echo(
        f"answerable failures {f['failed']}: retrieval missed {f['retrieval_missed']}, "
        f"refused with the answer in the passages "
        f"{f['refused_with_answer_in_passages']}, other sentences quoted "
        f"{f['other_sentences_quoted']}"
    )
    typer.echo(f"Report: {out / 'report.html'} (also report.md, summary.json, results.jsonl)")
    if summary["gate"]:
        for miss in summary["gate"]:
            typer.echo(f"gate: {miss}", err=True)
        raise typer.Exit(1)


@app.command()
def compare(
    run_a: Path,
    run_b: Path,
    html_out: Annotated[Optional[Path], typer.Option("--html", help="Also write HTML.")] = None,
) -> None:
    """Per-metric deltas (B-A) with bootstrap 95% intervals and the questions that flipped."""
    from eval.compare import render_html, render_text

    try:
        typer.echo(render_text(run_a, run_b))
    except (FileNotFoundError, ValueError) as err:
        fail(str(err))
    if html_out:
        html_out.write_text(render_html(run_a, run_b))
        typer.echo(f"HTML: {html_out}")


@app.command("import-squad")
def import_squad_cmd(
    source: Path,
    out: Path,
    sample: Annotated[Optional[int], typer.Option(help="Questions to keep.")] = None,
    seed: int = 0,
) -> None:
    """SQuAD v2 JSON -> OUT/corpus.jsonl (paragraphs) + OUT/gold.jsonl."""
    from eval.squad import import_squad

    corpus, gold = import_squad(source, out, sample=sample, seed=seed)
    typer.echo(f"Wrote {corpus} and {gold}")


@app.command("import-multihop")
def import_multihop_cmd(corpus_json: Path, questions_json: Path, out: Path) -> None:
    """MultiHop-RAG corpus.json + MultiHopRAG.json -> OUT/corpus.jsonl + OUT/gold.jsonl."""
    from eval.multihop import import_multihop

    corpus, gold = import_multihop(corpus_json, questions_json, out)
    typer.echo(f"Wrote {corpus} and {gold}")


@app.command("stories")
def stories_cmd(
    corpus: Path,
    pairs: Annotated[int, typer.Option(help="Grouped pairs to lay out for judging.")] = 30,
    pairs_out: Annotated[
        Optional[Path],
        typer.Option("--pairs-out", help="Write the pairs as a Markdown table here."),
    ] = None,
) -> None:
    """How ingest would group CORPUS (JSONL) into stories: counts, largest, cost, pairs."""
    from eval.stories import report

    if not corpus.is_file():
        fail(f"{corpus}: no such corpus file (JSONL of id, title, date, source, url, text)")
    figures, table = report(corpus, pairs)
    typer.echo(figures)
    if pairs_out:
        pairs_out.write_text(table + "\n")
        typer.echo(f"pairs to judge: {pairs_out}")
    else:
        typer.echo(table)
