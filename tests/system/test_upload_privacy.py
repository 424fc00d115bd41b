"""Uploads stay private: through a real browser upload, Gradio's copy of every
file, kept or refused, is deleted afterwards; its temp folder and the uploads folder are
0700 and a kept file 0600; nothing lands in the shared /tmp/gradio."""

from __future__ import annotations

import os
import stat
import tempfile
import uuid
from pathlib import Path

from tests.helpers.browser import BROWSER_ARGS, CHROMIUM
from tests.helpers.servers import start_ui


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _copies(root: Path, names: set[str]) -> list[Path]:
    return [p for p in root.rglob("*") if p.name in names] if root.exists() else []


def test_uploads_leave_no_readable_copy_behind(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    tag = uuid.uuid4().hex[:8]
    good = tmp_path / f"harbour_{tag}.txt"
    good.write_text(
        "Harbour ferry resumes\n\ndate 2024-03-14\n\nThe harbour ferry resumed "
        "service on 12 March 2024 after storms, the port authority said.\n"
    )
    bad = tmp_path / f"photo_{tag}.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(256))
    names = {good.name, bad.name}
    data = tmp_path / "data"
    proc, url = start_ui(data, {"GRADIO_TEMP_DIR": ""})  # unset: `rag serve` chooses
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.get_by_role("tab", name="Library").click()
            with page.expect_response(
                lambda r: r.request.method == "POST" and "/gradio_api/upload?" in r.url
            ) as uploaded:
                page.locator("#upload input[type=file]").set_input_files([str(good), str(bad)])
            server_paths = [Path(p) for p in uploaded.value.json()]
            page.wait_for_timeout(500)
            page.locator("#add").click()
            page.wait_for_function(
                "names => names.every(n => document.querySelector('#upload-results')"
                ".innerText.includes(n))",
                arg=sorted(names),
                timeout=60_000,
            )
            results = page.locator("#upload-results").inner_text()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "added" in results and "rejected" in results
    private = data / "gradio-tmp"
    assert private.is_dir() and _mode(private) == 0o700
    assert sorted(p.name for p in server_paths) == sorted(names)
    assert all(private.resolve() in p.parents for p in server_paths)  # not in /tmp/gradio
    assert not any(p.exists() for p in server_paths)  # kept or refused, Gradio's copy is gone
    assert _copies(private, names) == []
    assert _copies(Path(tempfile.gettempdir()) / "gradio", names) == []
    kept = data / "uploads" / good.name
    assert _mode(data / "uploads") == 0o700 and _mode(kept) == 0o600
    assert not (data / "uploads" / bad.name).exists()
