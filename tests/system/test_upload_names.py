"""Upload names a person would not choose. With the data dir in the
working directory (the default, ./.rag), Gradio refused a whole batch holding a dot-file
(".hidden.txt", or "..\\..\\y.txt", which it saves as "....y.txt"), nothing was stored and
its copies stayed in the temp folder; every upload also left an empty temp file there.
Now such a name is stored under a mended name, the rest of the batch with it, and Gradio's
temp folder is left empty."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import ROOT
from tests.helpers.servers import free_port

NAMES = [".hidden.txt", "..\\..\\y.txt", "good.txt"]


def _serve_from(folder: Path) -> tuple[subprocess.Popen, str]:
    """`rag serve` started in `folder` with the default data dir, ./.rag."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("RAG_DATA_DIR", "GRADIO_TEMP_DIR")}
    env["PYTHONPATH"] = str(ROOT)  # this tree's rag, whatever the working directory
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}/"


def _add_files(http: httpx.Client, names: list[str]) -> tuple[list[Path], dict]:
    """Upload `names` as the Library tab does, press Add; Gradio's paths and the outcome."""
    for _ in range(240):
        try:
            if http.get("config").status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    config = http.get("config").json()
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    fn = next(
        i
        for i, d in enumerate(config["dependencies"])
        if ids["upload"] in d["inputs"] and [ids["add"], "click"] in d["targets"]
    )
    texts = [
        f"Harbour ferry {i}\n\nThe harbour ferry {i} resumed service after the storms."
        for i in range(len(names))
    ]
    paths = http.post(
        "gradio_api/upload", files=[("files", (n, t.encode())) for n, t in zip(names, texts)]
    ).json()
    files = [
        {"path": p, "orig_name": n, "meta": {"_type": "gradio.FileData"}}
        for p, n in zip(paths, names)
    ]
    http.post(
        "gradio_api/queue/join",
        json={"data": [files], "fn_index": fn, "session_hash": "names", "trigger_id": ids["add"]},
    )
    with http.stream("GET", "gradio_api/queue/data", params={"session_hash": "names"}) as events:
        for line in events.iter_lines():
            message = json.loads(line[5:]) if line.startswith("data:") else {}
            if message.get("msg") == "process_completed":
                return [Path(p) for p in paths], message
    raise AssertionError("the upload never completed")


def test_odd_names_are_stored_mended_with_the_batch_and_no_temp_file_stays(tmp_path: Path) -> None:
    proc, url = _serve_from(tmp_path)
    try:
        with httpx.Client(base_url=url, timeout=120) as http:
            copies, done = _add_files(http, NAMES)
        temp = copies[0].parents[1]  # Gradio's temp folder: <temp>/<hash>/<name>
        left = [p for p in temp.rglob("*") if p.is_file()]  # while the server still runs
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    shutil.rmtree(temp, ignore_errors=True)
    assert done["success"], done
    rows = done["output"]["data"][0]["data"]
    assert rows == [
        [".hidden.txt", "added", "stored as hidden.txt"],
        ["....y.txt", "added", "stored as y.txt"],
        ["good.txt", "added", ""],
    ]
    uploads = tmp_path / ".rag" / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["good.txt", "hidden.txt", "y.txt"]
    assert left == []  # no copy of an upload, no empty file beside them
    assert tmp_path not in temp.parents  # in the system's temp folder, outside the cwd
