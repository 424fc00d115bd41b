"""`rag bench`: registered as a `rag.commands` entry point, like `rag eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from rag.console import fail

app = typer.Typer(help="Measure ingest, embedder efficiency, retrieval at scale and answers.")


@app.callback(invoke_without_command=True)
def bench(
    articles: Annotated[int, typer.Option(help="Seed variants in the generated corpus.")] = 200,
    corpus: Annotated[Optional[Path], typer.Option(help="A JSONL corpus instead.")] = None,
    seeds: Annotated[Path, typer.Option(help="Folder of seed articles to replicate.")
                     ] = Path("seeds"),
    scales: Annotated[str, typer.Option(help="Synthetic store sizes for query timing.")
                      ] = "10000,100000",
    cold: Annotated[bool, typer.Option(help="Also time a cold `rag ask`.")] = True,
    out: Annotated[Optional[Path], typer.Option(help="Write the JSON here.")] = None,
) -> None:
    """Measure ingest, embedder efficiency, retrieval at scale and answer latency."""
    from eval.bench import render_table, run_bench

    try:
        result = run_bench(articles, corpus, [int(s) for s in scales.split(",") if s.strip()],
                           cold=cold, echo=lambda m: typer.echo(m, err=True), seeds=seeds)
    except (RuntimeError, FileNotFoundError) as err:
        fail(str(err), 1)
    typer.echo(render_table(result))
    if out:
        out.write_text(json.dumps(result, indent=2))
        typer.echo(f"JSON: {out}")
