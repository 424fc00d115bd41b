"""Uploads a stopped server never added: the next `rag serve` says so and adds
them, so what was uploaded is in the library without the user doing anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT, run_rag
from tests.helpers.servers import free_port


def test_next_serve_start_reports_and_adds_uploads_left_behind(
    tmp_path: Path, seeded_data: Path
) -> None:
    data = seeded_data
    env = {**os.environ, "RAG_DATA_DIR": str(data)}
    uploads = data / "uploads"
    uploads.mkdir()
    # the state a `rag serve` killed between saving an upload and ingesting it leaves
    (uploads / "harbour.txt").write_text(
        "Harbour ferry resumes\n\ndate 2024-03-14\n\nThe "
        "harbour ferry resumed service on 12 March 2024 "
        "after storms, the port authority said.\n"
    )
    assert "harbour.txt" not in run_rag("docs", env=env).stdout
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    said = log.read_text()
    assert (
        f"1 uploaded file(s) in {uploads.resolve()} were never added to the library (the "
        "server stopped first?): harbour.txt"
    ) in said
    assert "added upload harbour.txt to the library" in said
    assert "harbour.txt" in run_rag("docs", env=env).stdout
    doctor = run_rag("doctor", env=env)
    assert doctor.returncode == 0 and "is consistent" in doctor.stdout
