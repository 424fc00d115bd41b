"""The README's "Use it from other tools" snippets, run as written against a live `rag serve`
holding the seeds: the Python (official `openai` client), the curl lines, and the MCP
configuration a desktop assistant would be given (started over stdio by the `mcp` client).
Only the address (port 7860 → the test's port), the key and the data folder are filled in.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.helpers import ROOT
from tests.helpers.servers import start_ui, stop

KEY = "readme-test-key-0123456789"
pytestmark = pytest.mark.slow


def snippets() -> dict[str, list[str]]:
    """The section's fenced blocks by language."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from other tools", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[str]] = {}
    for language, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S):
        blocks.setdefault(language, []).append(body)
    return blocks


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, seeded_store_copy: Callable[[Path], Path]
) -> Iterator[tuple[str, Path]]:
    data = seeded_store_copy(tmp_path_factory.mktemp("readme") / "data")
    proc, url = start_ui(data, {"RAG_API_KEYS": KEY})
    try:
        base = url.rstrip("/")
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/api/health", headers={"Authorization": f"Bearer {KEY}"})\
                .status_code != 200:  # fmt: skip
            assert time.monotonic() < deadline
            time.sleep(0.5)
        yield base, data
    finally:
        stop(proc)


def test_the_section_has_the_snippets_it_promises() -> None:
    blocks = snippets()
    assert len(blocks["python"]) == 1 and len(blocks["json"]) == 1
    assert any("curl" in b for b in blocks["bash"])


def test_the_python_snippet_gets_the_cited_pier_answer(served: tuple[str, Path]) -> None:
    base, _ = served
    code = snippets()["python"][0].replace("http://127.0.0.1:7860", base)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"KEY": KEY})  # noqa: S102 - our README
    assert "$230 million" in printed.getvalue() and "[1]" in printed.getvalue()


def test_the_curl_lines_run_in_order_and_each_succeeds(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = served
    script = next(b for b in snippets()["bash"] if "curl" in b).replace(
        "http://127.0.0.1:7860", base
    )
    (tmp_path / "story.txt").write_text(
        "---\ntitle: Harbour works\ndate: 2024-09-02\n---\n\n"
        "The new ferry pier in the harbour cost $12 million, the port authority said.\n"
    )
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path, env={**os.environ, "KEY": KEY},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "$230 million" in out and '"result":"added"' in out  # ask; upload
    assert "$12 million" in out  # the uploaded article's text
    assert "# Briefing: Gaza pier" in out and '"status":"ok"' in out


def test_the_mcp_configuration_starts_a_server_that_answers(
    tmp_path: Path, seeded_store_copy: Callable[[Path], Path]
) -> None:
    data = seeded_store_copy(tmp_path / "data")  # its own store: embedded Chroma is 1 process
    config = json.loads(snippets()["json"][0])["mcpServers"]["news"]
    command = Path(sys.executable).parent / config["command"]  # `rag` of this environment
    env = {**config["env"], "RAG_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}

    async def ask() -> dict:
        params = StdioServerParameters(command=str(command), args=config["args"], env=env)
        async with Client(params) as client:
            result = await client.call_tool("ask", {"question": "How much did the pier cost?"})
            return dict(result.structured_content or {})

    found = asyncio.run(ask())
    assert "$230 million" in found["answer"] and found["sources"][0]["number"] == 1
