"""`rag docs`, `rag stats`, `rag delete`, `rag doctor`: what is stored, and keeping it sound.

Registered by `rag.cli`. Each is a thin shell over `rag.assistant` and `rag.doctor`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from rag.console import fail, open_assistant, quiet_libraries
from rag.index.trash import KEPT_DAYS


def delete(
    doc_ids: Annotated[list[str], typer.Argument(help="Article ids, as `rag docs` lists them.")],
) -> None:
    """Remove articles and their chunks from the store (their files are left alone)."""
    quiet_libraries()
    assistant = open_assistant()
    missing = [d for d in doc_ids if not assistant.delete(d)]
    for doc_id in doc_ids:
        if doc_id not in missing:
            typer.echo(f"deleted {doc_id}")
    if len(missing) < len(doc_ids):
        typer.echo(f"(kept in the trash for {KEPT_DAYS} days: `rag restore ID` brings one back)")
    if missing:
        fail(f"not stored: {', '.join(missing)} (see `rag docs` for the ids)", code=1)


def restore(
    doc_ids: Annotated[list[str], typer.Argument(help="Ids of articles deleted lately.")],
) -> None:
    """Bring back deleted articles as they were (kept in the trash for a week)."""
    quiet_libraries()
    assistant = open_assistant()
    missing = []
    for doc_id in doc_ids:
        try:
            back = assistant.restore(doc_id)
        except ValueError as err:
            fail(str(err), code=1)
        if back:
            typer.echo(f"restored {doc_id}")
        else:
            missing.append(doc_id)
    if missing:
        fail(
            f"not in the trash: {', '.join(missing)} (deleted over {KEPT_DAYS} days ago, "
            "restored already, or never deleted)",
            code=1,
        )


def doctor(
    fix: Annotated[bool, typer.Option("--repair", help="Fix what is found.")] = False,
) -> None:
    """Check the store: chunks present once per article, no leftovers, BM25 in step."""
    quiet_libraries()
    from rag.doctor import diagnose, repair

    store = open_assistant().store
    problems = diagnose(store)
    for problem in problems:
        typer.echo(problem)
    if not problems:
        typer.echo(f"The store at {store.location} is consistent.")
        return
    if not fix:
        typer.echo(f"{len(problems)} problem(s); run `rag doctor --repair` to fix them.", err=True)
        raise typer.Exit(1)
    for action in repair(store):
        typer.echo(action)
    left = diagnose(store)
    if left:
        for problem in left:
            typer.echo(f"still: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("Repaired; the store is consistent.")


def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List stored articles with their dates, newest first."""
    quiet_libraries()
    from rag.answer_text import for_terminal

    records = open_assistant().library()
    rows = sorted(records.items(), key=lambda kv: (kv[1].date, kv[0]), reverse=True)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {"doc": k, **{f: x for f, x in v.to_metadata().items() if f != "minhash"}}
                    for k, v in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not rows:
        typer.echo("No articles stored yet; add some with `rag ingest PATH`.")
    for doc_id, rec in rows:
        title = for_terminal(rec.title)
        title = title if len(title) <= 70 else title[:69] + "…"
        source = for_terminal(rec.source or "-")
        replaced = f"  (replaced by {rec.superseded_by})" if rec.superseded_by else ""
        typer.echo(
            f"{rec.date or 'undated':10}  {source:18.18}  "
            f"{rec.chunks:>3} chunks  {for_terminal(doc_id)}  {title}{replaced}"
        )
    stories: dict[str, list[str]] = {}
    for doc_id, rec in sorted(records.items(), key=lambda kv: (kv[1].date, kv[0])):
        stories.setdefault(rec.story or doc_id, []).append(doc_id)
    shared = {k: v for k, v in stories.items() if len(v) > 1}
    if shared:
        typer.echo(
            f"\nStories with several copies ({len(shared)}; answers cite one copy and "
            "name the other outlets):"
        )
    for story, members in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        outlets = ", ".join(dict.fromkeys(for_terminal(records[d].source or "-") for d in members))
        typer.echo(
            f"  story {for_terminal(story)}: {len(members)} copies ({outlets}): "
            f"{', '.join(for_terminal(d) for d in members)}"
        )


def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts and where the store lives."""
    quiet_libraries()
    info = open_assistant().stats()
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:17} {value}")
