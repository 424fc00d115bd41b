"""The REST, OpenAI-compatible and MCP routes on a store of the seeds, in-process (no
server or socket: the app is called through Starlette's test client and the MCP SDK's
in-process client). The live server and the official clients: tests/system/test_api_live.py.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from mcp import Client
from starlette.applications import Starlette
from starlette.testclient import TestClient

from rag import Assistant, Settings
from ui.api import api_routes, mcp_tools
from ui.api.service import Service
from ui.controllers.shared import Shared

PIER = "How much did the pier cost?"


@pytest.fixture
def shared(seeded_data: Path) -> Shared:
    return Shared.open(Assistant.from_settings(Settings()))


@pytest.fixture
def api(shared: Shared) -> Iterator[TestClient]:
    routes, lifespan = api_routes(shared)
    app = Starlette(routes=routes, lifespan=lifespan)
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 5000)) as client:
        yield client


def test_ask_returns_what_rag_ask_json_writes_and_names_a_bad_field(api: TestClient) -> None:
    answer = api.post("/api/ask", json={"question": PIER}).json()
    assert "$230 million" in answer["answer"] and answer["short_answer"] == "$230 million"
    quote = answer["citations"][0]["quote"]
    text = api.get(f"/api/articles/{answer['citations'][0]['doc']}").json()["text"]
    assert quote in text  # the citation is verbatim from the stored article
    bad = api.post("/api/ask", json={"question": PIER, "since": "2024-03-01", "until": "soon"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0] == {
        "loc": ["body", "until"],
        "msg": "until: 'soon' is not a date; use YYYY-MM-DD",
        "type": "value_error",
    }
    backwards = api.post("/api/ask", json={"question": PIER, "since": "2024-05-01",
                                           "until": "2024-01-01"})  # fmt: skip
    assert "since 2024-05-01 is after until 2024-01-01" in backwards.json()["detail"][0]["msg"]
    assert api.post("/api/ask", json={"question": PIER, "top_k": 500}).status_code == 422
    assert api.post("/api/ask", json={"question": " "}).status_code == 422


def test_a_follow_up_is_read_in_its_conversation(api: TestClient) -> None:
    alone = api.post("/api/ask", json={"question": "and how much did it cost?"}).json()
    followed = api.post(
        "/api/ask",
        json={"question": "and how much did it cost?", "history": ["What is the Gaza pier?"]},
    ).json()
    assert followed["short_answer"] == "$230 million"
    assert "floating dock" in followed["citations"][0]["quote"]
    assert alone["abstained"]  # "it" is nothing without the conversation


def test_articles_page_get_upload_and_delete(api: TestClient, tmp_path: Path) -> None:
    first = api.get("/api/articles", params={"limit": 2}).json()
    assert first["total"] == 5 and len(first["articles"]) == 2
    rest = api.get("/api/articles", params={"offset": 2, "limit": 50}).json()["articles"]
    ids = [a["id"] for a in first["articles"] + rest]
    assert len(set(ids)) == 5
    dates = [a["date"] or "0" for a in first["articles"] + rest]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert api.get("/api/articles/no-such.txt").status_code == 404
    assert api.get("/api/articles", params={"limit": 0}).status_code == 422

    article = (
        "---\ntitle: Harbour works\ndate: 2024-09-02\nsource: Harbour Gazette\n---\n\n"
        "The new ferry pier in the harbour cost $12 million, the port authority said.\n"
    )
    added = api.post("/api/articles", files=[("files", ("ferry.txt", article.encode()))])
    assert added.json() == [{"file": "ferry.txt", "result": "added", "detail": ""}]
    listing = api.get("/api/articles", params={"limit": 50}).json()
    new = [a for a in listing["articles"] if a["title"] == "Harbour works"]
    assert listing["total"] == 6 and new and new[0]["date"] == "2024-09-02"
    assert api.get("/api/articles", params={"outlet": "Harbour Gazette"}).json()["total"] == 1
    answer = api.post("/api/ask", json={"question": "What did the ferry pier cost?"}).json()
    assert "$12 million" in answer["answer"]
    assert api.delete(f"/api/articles/{new[0]['id']}").status_code == 204
    assert api.get("/api/articles").json()["total"] == 5
    assert api.delete(f"/api/articles/{new[0]['id']}").status_code == 404


def test_briefings_are_kept_and_read_back_as_json_or_markdown(api: TestClient) -> None:
    made = api.post("/api/briefings", json={"topic": "Gaza pier"})
    assert made.status_code == 201
    kept = made.json()
    assert kept["markdown"].startswith("# Briefing: Gaza pier") and kept["briefing"]["summary"]
    listed = api.get("/api/briefings").json()
    assert [b["id"] for b in listed] == [kept["id"]] and listed[0]["markdown"] is None
    again = api.get(f"/api/briefings/{kept['id']}").json()
    assert again["markdown"] == kept["markdown"]
    markdown = api.get(f"/api/briefings/{kept['id']}", params={"format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text == kept["markdown"]
    assert api.get("/api/briefings/../../etc").status_code == 404
    assert api.post("/api/briefings", json={"topic": ""}).status_code == 422


def test_feeds_refuse_what_is_not_a_feed_and_say_what_is_not_watched(api: TestClient) -> None:
    assert api.get("/api/feeds").json() == []
    bad = api.post("/api/feeds", json={"url": "not a url"})
    assert bad.status_code == 400 and "is not a feed address" in bad.json()["detail"]
    gone = api.delete("/api/feeds", params={"url": "https://example.com/rss.xml"})
    assert gone.status_code == 404 and "is not a watched feed" in gone.json()["detail"]
    assert api.post("/api/feeds/poll").json() == []
    assert api.get("/api/health").json()["articles"] == 5


def test_openai_chat_answers_with_markers_and_sources_as_data(api: TestClient) -> None:
    models = [m["id"] for m in api.get("/v1/models").json()["data"]]
    assert models == ["news", "news-extractive"]  # no LLM configured: no news-llm
    reply = api.post(
        "/v1/chat/completions",
        json={
            "model": "news",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": PIER},
            ],
        },  # fmt: skip
    ).json()
    assert reply["object"] == "chat.completion"
    content = reply["choices"][0]["message"]["content"]
    assert "$230 million" in content and "[1]" in content and "**Sources**" in content
    source = reply["sources"][0]
    assert source["number"] == 1 and source["supported"] is True
    assert source["quote"] in api.get(f"/api/articles/{source['article_id']}").json()["text"]


def test_openai_stream_is_the_checked_answer_then_sources_then_done(api: TestClient) -> None:
    parts = [{"type": "text", "text": PIER}]  # content as a list of parts, as some apps send
    body = {"model": "news-extractive", "stream": True,
            "messages": [{"role": "user", "content": parts}]}  # fmt: skip
    with api.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    plain = api.post("/v1/chat/completions", json={**body, "stream": False}).json()
    assert text == plain["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["sources"] == plain["sources"]


@pytest.mark.parametrize(
    "change, status, param, words",
    [
        ({"model": "gpt-4"}, 404, "model", "does not exist"),
        ({"model": "news-llm"}, 404, "model", "does not exist"),
        ({"messages": [{"role": "system", "content": "hi"}]}, 400, "messages", "no user"),
        ({"until": "2024-02-30"}, 400, "until", "is not a date"),
        ({"messages": []}, 400, "messages", ""),
    ],
)
def test_openai_errors_come_in_openai_shape(
    api: TestClient, change: dict[str, Any], status: int, param: str, words: str
) -> None:
    body = {"model": "news", "messages": [{"role": "user", "content": PIER}], **change}
    refused = api.post("/v1/chat/completions", json=body)
    assert refused.status_code == status
    error = refused.json()["error"]
    assert error["param"] == param and words in error["message"] and error["type"]


def test_mcp_tools_answer_search_brief_and_list_with_citations(shared: Shared) -> None:
    server = mcp_tools.build(Service(shared))

    async def session() -> dict[str, Any]:
        async with Client(server) as client:
            tools = await client.list_tools()
            out: dict[str, Any] = {"tools": sorted(t.name for t in tools.tools)}
            for name, args in [
                ("ask", {"question": PIER}),
                ("search_passages", {"query": "pier cost", "top_k": 2}),
                ("brief", {"topic": "Gaza pier"}),
                ("list_articles", {"limit": 3}),
                ("ask", {"question": PIER, "since": "soon"}),
            ]:
                result = await client.call_tool(name, args)
                out[name] = (result.is_error, result.structured_content, result.content)
            return out

    out = asyncio.run(session())
    assert out["tools"] == ["ask", "brief", "list_articles", "search_passages"]
    failed, asked, _ = out["ask"]  # the last call: a bad date
    assert failed and "since: 'soon' is not a date" in _[0].text
    failed, passages, _ = out["search_passages"]
    assert not failed and len(passages["passages"]) == 2
    assert "$230 million" in passages["passages"][0]["text"]
    assert out["brief"][1]["markdown"].startswith("# Briefing: Gaza pier")
    assert out["list_articles"][1]["total"] == 5 and len(out["list_articles"][1]["articles"]) == 3


def test_mcp_ask_tool_cites_its_sources(shared: Shared) -> None:
    server = mcp_tools.build(Service(shared))

    async def ask() -> Any:
        async with Client(server) as client:
            return await client.call_tool("ask", {"question": PIER})

    result = asyncio.run(ask())
    assert not result.is_error
    found = result.structured_content
    assert "$230 million" in found["answer"] and found["refused"] is False
    assert found["sources"][0]["number"] == 1 and found["sources"][0]["quote"]


def test_article_markup_reaches_a_chat_app_as_text_and_clients_as_data(
    api: TestClient, tmp_path: Path
) -> None:
    from tests.helpers.hostile import markup_articles

    folder = markup_articles(tmp_path / "hostile", "http://127.0.0.1:9")
    files = [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())]
    assert {r["result"] for r in api.post("/api/articles", files=files).json()} == {"added"}
    question = "How much did the port of Zarqa dredging cost?"
    asked = {"messages": [{"role": "user", "content": question}]}
    reply = api.post("/v1/chat/completions", json=asked).json()
    content = reply["choices"][0]["message"]["content"]
    assert "**$7 million**" in content  # the bold short answer stays ours, as in the chat
    assert "<img" not in content and "<form" not in content and "](http" not in content
    assert "&lt;img" in content  # shown as characters by a Markdown renderer
    quotes = " ".join(s["quote"] + s["title"] for s in reply["sources"])
    assert "<img" in quotes  # the data itself is the article's, unchanged
