"""How long a question sent in the chat takes to show, and its answer to be drawn, for two
checkouts of this project served side by side on the seed articles, in one Chromium:

    python -m eval.findings.ui_send_latency OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]

Each checkout is served by `rag serve` from its own folder (its `rag` and `ui` first on the
path) on its own copy of one store of the seeds; the two are asked the same question in
turn, alternating which goes first, and the medians, 90th percentiles and the ratios new/old
are printed from that one run. Left out: LLM mode (the scripted model's own pace would
dominate) and several readers at once (`rag bench` and the UI tests see to those).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from rag import Assistant, Settings
from tests.helpers.servers import start_ui

QUESTION = "What did Gallant call Mohammed Deif?"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def ask_once(page: Any) -> tuple[float, float]:
    """Milliseconds from Enter to the question shown, and to its answer drawn."""
    page.wait_for_timeout(2100)  # the same question sent again within 2 s is one send
    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=user]')")
    box = page.locator("#question textarea")
    box.fill(QUESTION)
    began = page.evaluate("() => performance.now()")
    box.press("Enter")
    page.locator("#chat [data-testid=user]").first.wait_for()
    shown = page.evaluate("() => performance.now()")
    page.wait_for_function(
        "() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length === 1",
        timeout=60_000,
    )
    drawn = page.evaluate("() => performance.now()")
    return shown - began, drawn - began


def p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def main(old: str, new: str, rounds: int = 20) -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="ui-send-latency-"))
    store = work / "seeds"
    Assistant.from_settings(Settings(data_dir=store)).ingest([SEEDS], progress=False)
    servers = {}
    for name, code in (("old", old), ("new", new)):
        data = shutil.copytree(store, work / name)
        servers[name] = start_ui(data, code=Path(code).resolve())
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            pages = {}
            for name, (_, url) in servers.items():
                pages[name] = browser.new_page(viewport={"width": 1400, "height": 900})
                pages[name].goto(url)
                pages[name].wait_for_function(
                    "() => document.querySelector('#store-line')?.innerText.includes('articles')"
                )
                ask_once(pages[name])  # the first answer loads the models
            for n in range(rounds):
                for name in ("old", "new") if n % 2 else ("new", "old"):
                    timings[name].append(ask_once(pages[name]))
            browser.close()
    finally:
        for proc, _ in servers.values():
            proc.terminate()
        shutil.rmtree(work, ignore_errors=True)
    for what, i in (("question shown", 0), ("answer drawn", 1)):
        old_ms = [t[i] for t in timings["old"]]
        new_ms = [t[i] for t in timings["new"]]
        print(
            f"{what} ({rounds} each): old p50 {statistics.median(old_ms):.1f} ms, "
            f"p90 {p90(old_ms):.1f} · new p50 {statistics.median(new_ms):.1f} ms, "
            f"p90 {p90(new_ms):.1f} · new/old p50 "
            f"{statistics.median(new_ms) / statistics.median(old_ms):.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
