"""The API on a live `rag serve` over a real `chroma run`, reached by real clients: the
official `openai` client (plain and streaming), the official `mcp` client over stdio
(`rag mcp`) and streamable HTTP (`/mcp`), and `curl` on the REST routes — keys, limits,
bad input, and calls while another process ingests.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import httpx2
import openai
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.helpers import ROOT
from tests.helpers.load import new_articles, questions
from tests.helpers.servers import serving_on_chroma

KEY = "live-api-key-0123456789abcdef"
OTHER = "second-live-key-abcdefghijklmn"  # used up by the request-limit test only
PER_MINUTE = 1000  # the three load clients below stay under it (each waits 0.25 s)
PIER = "How much did the pier cost?"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, seeded_store_copy: Callable[[Path], Path]
) -> Iterator[tuple[str, str, Path]]:
    """(base URL of `rag serve` with API keys, its Chroma server's URL, a work folder)."""
    work = tmp_path_factory.mktemp("api-live")
    env = {"RAG_API_KEYS": f"{KEY},{OTHER}", "RAG_API_REQUESTS_PER_MINUTE": str(PER_MINUTE)}
    with serving_on_chroma(work, seeded_store_copy(work / "seeded") / "chroma", env) as (
        base,
        chroma_url,
    ):
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/api/health", headers=auth()).status_code != 200:
            assert time.monotonic() < deadline, "the API did not answer within 120 s"
            time.sleep(0.5)
        yield base, chroma_url, work


def auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_the_openai_client_gets_a_cited_answer_plain_and_streamed(
    served: tuple[str, str, Path],
) -> None:
    base, _, _ = served
    client = openai.OpenAI(base_url=f"{base}/v1", api_key=KEY, max_retries=0)
    assert [m.id for m in client.models.list()] == ["news", "news-extractive"]
    reply = client.chat.completions.create(
        model="news", messages=[{"role": "user", "content": PIER}]
    )
    content = reply.choices[0].message.content or ""
    assert "$230 million" in content and "[1]" in content
    sources = reply.model_extra["sources"]
    assert "$230 million" in sources[0]["quote"] and sources[0]["supported"] is True
    assert sources[0]["title"] and set(sources[0]) >= {"outlet", "date", "url", "article_id"}

    stream = client.chat.completions.create(
        model="news", messages=[{"role": "user", "content": PIER}], stream=True
    )
    chunks = list(stream)
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == content and len(chunks) > 3
    assert chunks[-1].model_extra["sources"] == sources

    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{base}/v1", api_key="not-a-key-000000000", max_retries=0)\
            .models.list()  # fmt: skip
    with pytest.raises(openai.BadRequestError, match="since: 'soon' is not a date"):
        client.chat.completions.create(
            model="news", messages=[{"role": "user", "content": PIER}], extra_body={"since": "soon"}
        )


async def _ask_over_mcp(client: Client) -> tuple[list[str], dict[str, Any]]:
    tools = sorted(t.name for t in (await client.list_tools()).tools)
    result = await client.call_tool("ask", {"question": PIER})
    assert not result.is_error, result.content
    return tools, dict(result.structured_content or {})


def test_the_mcp_client_over_http_and_stdio_gets_a_cited_answer(
    served: tuple[str, str, Path],
) -> None:
    base, chroma_url, work = served

    async def over_http() -> tuple[list[str], dict[str, Any]]:
        async with httpx2.AsyncClient(headers=auth(), timeout=120) as http:
            async with Client(streamable_http_client(f"{base}/mcp", http_client=http)) as c:
                return await _ask_over_mcp(c)

    async def over_stdio() -> tuple[list[str], dict[str, Any]]:
        rag = StdioServerParameters(
            command=sys.executable,
            args=["-m", "rag.cli", "mcp"],
            env={
                "RAG_CHROMA_URL": chroma_url,
                "RAG_DATA_DIR": str(work / "mcp-client"),
                "HF_HUB_OFFLINE": "1",
            },  # fmt: skip
            cwd=str(ROOT),
        )
        async with Client(rag) as c:
            return await _ask_over_mcp(c)

    for tools, found in (asyncio.run(over_http()), asyncio.run(over_stdio())):
        assert tools == ["ask", "brief", "list_articles", "search_passages"]
        assert "$230 million" in found["answer"] and found["refused"] is False
        assert "$230 million" in found["sources"][0]["quote"]
    refused = httpx.post(f"{base}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert refused.status_code == 401


def curl(*args: str) -> tuple[int, str, dict[str, str]]:
    """`curl` as a person would type it: (status, body, headers)."""
    done = subprocess.run(
        ["curl", "-s", "-D", "-", "--max-time", "120", *args],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    head, _, body = done.stdout.decode().partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), body, headers


ROUTES = [
    ("GET", "/api/health"), ("POST", "/api/ask"), ("POST", "/api/search"),
    ("GET", "/api/articles"), ("GET", "/api/articles/x.txt"), ("POST", "/api/articles"),
    ("DELETE", "/api/articles/x.txt"), ("GET", "/api/briefings"), ("POST", "/api/briefings"),
    ("GET", "/api/briefings/x"), ("GET", "/api/feeds"), ("POST", "/api/feeds"),
    ("DELETE", "/api/feeds"), ("POST", "/api/feeds/poll"), ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"), ("POST", "/mcp"),
]  # fmt: skip


def test_curl_every_route_needs_a_key_and_bad_input_is_named(
    served: tuple[str, str, Path], tmp_path: Path
) -> None:
    base, _, _ = served
    for method, path in ROUTES:
        status, body, headers = curl("-X", method, f"{base}{path}")
        assert status == 401 and "Bearer" in body, (method, path, status)
        status, _, _ = curl("-X", method, "-H", "Authorization: Bearer wrong-key-00000000000",
                            f"{base}{path}")  # fmt: skip
        assert status == 401, (method, path)
    key = f"Authorization: Bearer {KEY}"
    status, body, _ = curl("-H", key, f"{base}/api/articles?limit=2")
    assert status == 200 and json.loads(body)["total"] == 5
    status, body, _ = curl("-H", key, "-H", "Content-Type: application/json",
                           "-d", '{"question": "pier cost?", "until": "2024-02-31"}',
                           f"{base}/api/ask")  # fmt: skip
    assert status == 422
    assert json.loads(body)["detail"][0]["loc"] == ["body", "until"]
    assert "until: '2024-02-31' is not a date" in json.loads(body)["detail"][0]["msg"]
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"question": "x" * 200_000}))
    status, body, _ = curl("-H", key, "-H", "Content-Type: application/json",
                           "--data-binary", f"@{big}", f"{base}/api/ask")  # fmt: skip
    assert status == 413 and "over the limit" in body
    status, body, _ = curl(f"{base}/api/docs")  # the documentation is open, and offline
    assert status == 200 and "swagger" in body.lower() and "cdn." not in body
    script = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', body)
    assert script and curl(f"{base}{script.group(1)}")[0] == 200
    status, body, _ = curl(f"{base}/api/openapi.json")
    schema = json.loads(body)
    assert status == 200 and "/articles/{article_id}" in schema["paths"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_a_key_over_its_requests_a_minute_waits_and_the_others_do_not(
    served: tuple[str, str, Path],
) -> None:
    base, _, _ = served
    with httpx.Client(headers=auth(OTHER), timeout=30) as client:
        statuses = [client.get(f"{base}/api/health") for _ in range(PER_MINUTE + 1)]
    assert [s.status_code for s in statuses[:-1]] == [200] * PER_MINUTE
    assert statuses[-1].status_code == 429
    assert 1 <= int(statuses[-1].headers["retry-after"]) <= 60
    assert httpx.get(f"{base}/api/health", headers=auth()).status_code == 200


def _answer(base: str, question: str, surface: str) -> tuple[str, tuple[str, ...]]:
    """(answer text, cited article ids) through the REST or the OpenAI-compatible route."""
    if surface == "rest":
        got = httpx.post(f"{base}/api/ask", json={"question": question}, headers=auth(),
                         timeout=300)  # fmt: skip
        got.raise_for_status()
        data = got.json()
        return data["answer"], tuple(c["doc"] for c in data["citations"])
    got = httpx.post(
        f"{base}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": question}], "footnotes": False},
        headers=auth(), timeout=300,
    )  # fmt: skip
    got.raise_for_status()
    data = got.json()
    answer = data["choices"][0]["message"]["content"].split("\n\n")[0]  # its notes follow
    return answer, tuple(s["article_id"] for s in data["sources"])


def test_calls_while_another_process_ingests_all_succeed_and_each_is_explained(
    served: tuple[str, str, Path],
) -> None:
    base, chroma_url, work = served
    asked = questions(4)
    before = {q: _answer(base, q, "rest") for q in asked}
    fresh = new_articles(work / "new", 40)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest", str(work / "new")],
        cwd=ROOT,
        env={**__import__("os").environ, "RAG_CHROMA_URL": chroma_url,
             "RAG_DATA_DIR": str(work / "ingest-client"), "RAG_INGEST_BATCH_CHUNKS": "8"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    results: list[tuple[str, tuple[str, ...] | None, str]] = []
    errors: list[str] = []

    def client(index: int) -> None:
        surface = ("rest", "openai")[index % 2]
        n = index
        while ingest.poll() is None:
            question = asked[n % len(asked)]
            n += 1
            try:
                results.append((question, *_answer(base, question, surface)))  # type: ignore[arg-type]
            except Exception as err:  # noqa: BLE001 - each failure is counted
                errors.append(f"{surface}: {type(err).__name__}: {err}")
            time.sleep(0.25)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    out, err = ingest.communicate(timeout=900)
    for t in threads:
        t.join(timeout=300)
    assert ingest.returncode == 0, err
    after = {q: _answer(base, q, "rest") for q in asked}
    assert errors == []
    assert len(results) >= 3, "no call overlapped the ingest"
    for question, text, docs in results:  # type: ignore[misc]
        explained = (
            text == before[question][0] or text == after[question][0] or bool(fresh & set(docs))
        )
        assert explained, (question, text, before[question][0])
