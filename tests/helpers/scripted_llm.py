"""An OpenAI-compatible server on 127.0.0.1 that plays scripted chat replies.

Real sockets and HTTP, so the real `openai` client is exercised end to end: chat completions
with and without streaming (SSE over chunked transfer), error statuses with headers, delays,
streams cut off mid-way by closing the socket, and garbage in place of JSON; `/embeddings`
answers with deterministic bag-of-words vectors. Each request takes the next scripted `Reply`
(the last one repeats); a reply's content may be a function of the prompt, so a test
can cite whichever passage number holds a phrase.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from tests.helpers.servers import QuietHandler

Content = str | Callable[[str], str]


@dataclass
class Reply:
    content: Content = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut_after_chunks: int | None = None  # close the socket after this many SSE chunks
    garbage: str | None = None  # sent instead of a well-formed body (or SSE event), status 200
    chunk_delay: float = 0.005  # seconds between streamed chunks (slow: a reader sees tokens)


def hashed_vector(text: str, dims: int = 64) -> list[float]:
    """A deterministic bag-of-words embedding: texts sharing words point the same way."""
    import hashlib
    import math

    vec = [0.0] * dims
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % dims] += 1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def passage_number(prompt: str, phrase: str) -> int:
    """The [n] of the passage block in the prompt that contains `phrase`."""
    blocks = re.split(r"\n\n(?=\[\d+\] )", prompt.split("Passages:\n\n", 1)[-1])
    for block in blocks:
        m = re.match(r"\[(\d+)\]", block)
        if m and phrase.lower() in block.lower():
            return int(m.group(1))
    raise AssertionError(f"no passage in the prompt contains {phrase!r}")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up (as they do after a cut stream) are part of the script


class ScriptedLLM:
    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[dict] = []
        self.embedded: list[str] = []  # texts sent to /embeddings
        self.hung_up = 0  # streams the client closed before their end
        self._lock = threading.Lock()
        handler = self._handler()
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "ScriptedLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next(self) -> Reply:
        with self._lock:
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def prompts(self) -> list[str]:
        return [m["content"] for r in self.requests for m in r["messages"] if m["role"] == "user"]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path.endswith("/embeddings"):
                    self._embeddings(body)
                    return
                with outer._lock:
                    outer.requests.append(body)
                reply = outer._next()
                time.sleep(reply.delay)
                if reply.status != 200:
                    payload = json.dumps(
                        {
                            "error": {
                                "message": f"scripted {reply.status}",
                                "type": "scripted",
                                "code": reply.status,
                            }
                        }
                    )
                    self.send_response(reply.status)
                    for k, v in {"Content-Type": "application/json", **reply.headers}.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload.encode())
                    return
                if reply.garbage is not None:
                    self._garbage(body, reply.garbage)
                    return
                prompt = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
                content = reply.content(prompt) if callable(reply.content) else reply.content
                if body.get("stream"):
                    self._stream(body, content, reply)
                else:
                    self._whole(body, content)

            def _embeddings(self, body: dict) -> None:
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                with outer._lock:
                    outer.embedded.extend(texts)
                data = [
                    {"object": "embedding", "index": i, "embedding": hashed_vector(t)}
                    for i, t in enumerate(texts)
                ]
                payload = json.dumps(
                    {
                        "object": "list",
                        "data": data,
                        "model": body["model"],
                        "usage": {"prompt_tokens": 1, "total_tokens": 1},
                    }
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload.encode())

            def _garbage(self, body: dict, garbage: str) -> None:
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self._chunk(f"data: {garbage}\n\n")
                    self._chunk("data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(garbage.encode())))
                self.end_headers()
                self.wfile.write(garbage.encode())

            def _whole(self, body: dict, content: str) -> None:
                payload = json.dumps(
                    {
                        "id": "cmpl-1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": content},
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload.encode())

            def _chunk(self, data: str) -> None:
                raw = data.encode()
                self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
                self.wfile.flush()

            def _stream(self, body: dict, content: str, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = [content[i : i + 12] for i in range(0, len(content), 12)] or [""]
                for i, piece in enumerate(pieces):
                    if reply.cut_after_chunks is not None and i >= reply.cut_after_chunks:
                        self.connection.shutdown(socket.SHUT_RDWR)  # cut: no final chunk
                        self.close_connection = True
                        return
                    chunk = {
                        "id": "c",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "delta": {"role": "assistant", "content": piece},
                                "finish_reason": None,
                            }
                        ],
                    }
                    try:
                        self._chunk(f"data: {json.dumps(chunk)}\n\n")
                    except OSError:  # the client hung up (a reader pressed Stop)
                        outer.hung_up += 1
                        return
                    time.sleep(reply.chunk_delay)
                done = {
                    "id": "c",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                self._chunk(f"data: {json.dumps(done)}\n\n")
                self._chunk("data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        return Handler
