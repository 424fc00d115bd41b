"""How long a reader of the web UI waits: to the first sign of work, the first token, the answer.

Drives a real browser (Debian's chromium through playwright) against a running `rag serve`,
asks each question in a new conversation and prints one JSON line per question with
milliseconds from the click on Ask to: the first progress stage shown (`stage_ms`), the
first streamed answer text (`first_token_ms`, LLM mode only; absent when nothing streamed)
and the finished, checked answer with its sources (`answer_ms`). It starts no server and
measures nothing inside the server (the answer JSON's `timings_ms` does that).

    python -m eval.bench.ui_latency http://127.0.0.1:7860/ "Who is Mohammed Deif?"
"""

from __future__ import annotations

import json
import sys

WATCH = """() => { window.t0 = performance.now(); window.marks = {};
  const chat = document.querySelector('#chat');
  const seen = () => { const bots = chat.querySelectorAll('[data-testid=bot]');
    const last = bots[bots.length - 1]; if (!last) return;
    const at = Math.round(performance.now() - window.t0);
    if (last.querySelector('.working') && !('stage' in window.marks)) window.marks.stage = at;
    const text = last.innerText.replace(last.querySelector('.working')?.innerText || '', '');
    if (text.trim() && last.querySelector('.working') && !('token' in window.marks))
      window.marks.token = at;
    if (last.querySelector('.copy-md') && !('answer' in window.marks)) window.marks.answer = at;
  };
  new MutationObserver(seen).observe(chat, {subtree: true, childList: true,
                                            characterData: true}); }"""


def measure(url: str, questions: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.locator("#question textarea").wait_for()
        for question in questions:
            page.locator("#new-chat").click()
            page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')")
            page.locator("#question textarea").fill(question)
            page.evaluate(WATCH)
            page.locator("#ask").click()
            page.wait_for_function("() => 'answer' in window.marks", timeout=300_000)
            marks = page.evaluate("() => window.marks")
            rows.append(
                {
                    "question": question,
                    "stage_ms": marks.get("stage"),
                    "first_token_ms": marks.get("token"),
                    "answer_ms": marks["answer"],
                }
            )
        browser.close()
    return rows


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit("usage: python -m eval.bench.ui_latency URL QUESTION [QUESTION …]")
    for row in measure(argv[0], argv[1:]):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
