"""`rag bench`: registered as a `rag.commands` entry point, like `rag eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from rag import fail

app = typer.Typer(help="Measure ingest, embedder efficiency, retrieval at scale and answers.")


@app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    articles: Annotated[int, typer.Option(help="Seed variants in the generated corpus.")] = 200,
    corpus: Annotated[Optional[Path], typer.Option(help="A JSONL corpus instead.")] = None,
    seeds: Annotated[Path, typer.Option(help="Folder of seed articles to replicate.")] = Path(
        "seeds"
    ),
    scales: Annotated[
        str, typer.Option(help="Synthetic store sizes for query timing.")
    ] = "10000,100000",
    cold: Annotated[bool, typer.Option(help="Also time a cold `rag ask`.")] = True,
    out: Annotated[Optional[Path], typer.Option(help="Write the JSON here.")] = None,
) -> None:
    """Measure ingest, embedder efficiency, retrieval at scale and answer latency."""
    if ctx.invoked_subcommand:  # e.g. `rag bench ingest-engines`: only that
        return
    from eval.bench import render_table, run_bench

    try:
        result = run_bench(
            articles,
            corpus,
            [int(s) for s in scales.split(",") if s.strip()],
            cold=cold,
            echo=lambda m: typer.echo(m, err=True),
            seeds=seeds,
        )
    except (RuntimeError, FileNotFoundError) as err:
        fail(str(err), 1)
    _show(render_table(result), result, out)


@app.command("ingest-engines")
def ingest_engines(
    corpus: Annotated[
        Path, typer.Option(help="A JSONL corpus; its first --articles records are ingested.")
    ],
    articles: Annotated[int, typer.Option(help="Records of the corpus to ingest.", min=1)] = 300,
    ray_cpus: Annotated[int, typer.Option(help="CPUs of the local Ray.", min=1)] = 2,
    out: Annotated[Optional[Path], typer.Option(help="Write the JSON here.")] = None,
) -> None:
    """The local and the Ray ingest engine on the same articles, one after the other:
    chunks/s, their ratio, where the time goes, peak memory per Ray worker, and the nodes a
    1M and a 10M article archive would need (needs rag-news[ray])."""
    from eval.bench.engines import render_engines, run_engines

    try:
        result = run_engines(corpus, articles, ray_cpus, echo=lambda m: typer.echo(m, err=True))
    except (RuntimeError, FileNotFoundError) as err:
        fail(str(err), 1)
    _show(render_engines(result), result, out)


def _show(table: str, result: dict, out: Optional[Path]) -> None:
    """Print a bench's table, and write its figures as JSON when asked."""
    typer.echo(table)
    if out:
        out.write_text(json.dumps(result, indent=2))
        typer.echo(f"JSON: {out}")
