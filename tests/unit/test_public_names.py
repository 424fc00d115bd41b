"""`ui` and `eval` use `rag` through its public names only, and every public name is there.

The UI and the harness are `rag`'s first clients: what they need is what another tool would
need, so it is listed in `rag.__all__` (loaded on first use) instead of reached for in a
submodule. Checked on the source with `ast`, imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import rag
from tests.helpers import ROOT

CLIENTS = ("ui", "eval")


def reaches_inside(path: Path, root: Path = ROOT) -> list[str]:
    """The imports in a file that name a `rag` submodule, or a name `rag` does not list."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("rag.")]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if node.module.startswith("rag."):
                found.append(f"from {node.module} import …")
            elif node.module == "rag":
                found += [f"rag.{a.name}" for a in node.names if a.name not in rag.__all__]
    return [f"{path.relative_to(root)}:{item}" for item in found]


def test_ui_and_eval_import_only_rags_public_names() -> None:
    inside = [
        hit
        for client in CLIENTS
        for p in sorted((ROOT / client).rglob("*.py"))
        for hit in reaches_inside(p)
    ]
    assert inside == []


def test_the_check_sees_a_reach_inside(tmp_path: Path) -> None:
    client = tmp_path / "eval" / "probe.py"
    client.parent.mkdir()
    client.write_text("def f():\n    from rag.index.store import Store\n    from rag import nope\n")
    assert reaches_inside(client, tmp_path) == [
        "eval/probe.py:from rag.index.store import …",
        "eval/probe.py:rag.nope",
    ]


def test_every_public_name_resolves() -> None:
    missing = [name for name in rag.__all__ if getattr(rag, name, None) is None]
    assert missing == []
