"""API and page errors are written for people: no Python exception text, no traceback, and
the details logged on the server ("API errors show raw Python messages")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import ROOT
from tests.helpers.servers import free_port

RAW = ("Traceback", "Error:", "object at 0x", "KeyError", "sqlite", "code: ")


def _serve(data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "RAG_DATA_DIR": str(data)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "config", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("rag serve did not answer within 120 s")


def _call(url: str, api: str, data: list) -> dict:
    """POST then read the event stream of Gradio's HTTP API; the last event's payload."""
    started = httpx.post(f"{url}gradio_api/call/{api}", json={"data": data}, timeout=30)
    started.raise_for_status()
    stream = httpx.get(f"{url}gradio_api/call/{api}/{started.json()['event_id']}", timeout=120)
    events = [ln for ln in stream.text.splitlines() if ln.startswith(("event:", "data:"))]
    kind, payload = events[-2].split(":", 1)[1].strip(), events[-1].split(":", 1)[1].strip()
    return {"event": kind, "data": json.loads(payload)}


def test_api_errors_are_sentences_for_people_and_details_are_logged(
    tmp_path: Path, seeded_data: Path
) -> None:
    data = seeded_data
    log = tmp_path / "serve.log"
    proc, url = _serve(data, log)
    try:
        too_few = _call(url, "ask", [])
        fine = _call(url, "ask", ["Who is the head of Hamas's terror army?", "", "", [], 4])
        # the database is damaged under the running server: a fault nobody planned a message for
        database = data / "chroma" / "chroma.sqlite3"
        database.write_bytes(os.urandom(database.stat().st_size))
        broken = _call(url, "ask", ["Who is Deif?", "", "", [], 4])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert fine["event"] == "complete" and fine["data"][0]["citations"]
    assert too_few["event"] == "error"
    assert too_few["data"]["error"] == (
        "/ask takes 5 values: question, since, until, sources, top_k (got 0)"
    )
    assert broken["event"] == "error"
    message = broken["data"]["error"]
    assert message.startswith("Something went wrong on the server while answering (reference ")
    assert not any(raw in message for raw in RAW), message
    ref = message.split("(reference ", 1)[1].split(")", 1)[0]
    logged = log.read_text(errors="replace")
    assert f"Unexpected failure while answering (ref {ref})" in logged
    assert "Traceback" in logged  # the details are on the server, not in the answer
