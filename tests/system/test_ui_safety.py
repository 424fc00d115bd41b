"""Uploads stay inside the data dir and within limits; the API answers like `rag ask --json`;
an article written as page markup is text in the Briefing tab of a real browser."""

from __future__ import annotations

from pathlib import Path

from rag.assistant import Assistant
from rag.settings import Settings
from tests.helpers import run_rag
from tests.helpers.browser import BROWSER_ARGS, CHROMIUM, make_briefing
from tests.helpers.hostile import TOPIC, WEB_URL, Beacon, markup_articles
from tests.helpers.servers import start_ui
from ui.uploads import safe_name, save_and_ingest


def test_hostile_names_cannot_leave_the_uploads_folder() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("/etc/cron.d/job.txt") == "job.txt"
    assert safe_name("..\\..\\windows\\evil.md") == "evil.md"
    assert safe_name(".bashrc") is None and safe_name("..") is None and safe_name("") is None
    assert safe_name("a$b;c.txt") == "a_b_c.txt"


def test_uploads_are_saved_inside_the_data_dir_with_limits(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"ui_max_upload_mb": 0.001, "ui_max_files": 2})
    assistant = Assistant.from_settings(settings)
    small = tmp_path / "small.txt"
    small.write_text("Small article\n\nThe envoy arrived on Monday.")
    big = tmp_path / "big.txt"
    big.write_text("x " * 2000)
    results = save_and_ingest(assistant, [("../../outside.txt", small), ("big.txt", big)])
    assert [(r.file, r.result) for r in results] == [
        ("big.txt", "rejected"),
        ("../../outside.txt", "added"),
    ]
    assert "over the 0.001 MB limit" in results[0].detail
    assert (settings.uploads_dir / "outside.txt").exists()
    assert not (settings.data_dir.parent / "outside.txt").exists()
    too_many = save_and_ingest(assistant, [(f"f{i}.txt", small) for i in range(3)])
    assert all(r.result == "rejected" and "too many" in r.detail for r in too_many)


def test_an_upload_whose_copy_is_gone_is_refused_by_name_and_the_rest_are_added(
    settings: Settings, tmp_path: Path
) -> None:
    # Its temporary copy taken by an Add before (or cleaned away): once the whole Add
    # failed on it, and every file after it was lost with their copies.
    assistant = Assistant.from_settings(settings)
    here = tmp_path / "here.txt"
    here.write_text("Ferry news\n\nThe ferry sailed again on Tuesday.")
    results = save_and_ingest(assistant, [("gone.txt", tmp_path / "gone.txt"), ("here.txt", here)])
    assert [(r.file, r.result) for r in results] == [
        ("gone.txt", "rejected"),
        ("here.txt", "added"),
    ]
    assert "choose the file again" in results[0].detail
    assert "here.txt" in assistant.library()


def test_api_returns_the_ask_json_and_auth_guards_it(seeded_data: Path) -> None:
    from gradio_client import Client

    data = seeded_data
    proc, url = start_ui(data, {"RAG_UI_AUTH": "reader:s3cret"})
    try:
        import httpx

        assert httpx.get(url + "config", timeout=10).status_code in (401, 403)
        try:
            Client(url, verbose=False)
            unauthenticated = "connected"
        except Exception:
            unauthenticated = "refused"
        assert unauthenticated == "refused"
        client = Client(url, auth=("reader", "s3cret"), verbose=False)
        result = client.predict(
            "Who is the head of Hamas's terror army?", "", "", [], 4, api_name="/ask"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    expected = run_rag(
        "ask",
        "Who is the head of Hamas's terror army?",
        "--json",
        "--top-k",
        "4",
        env={"RAG_DATA_DIR": str(data)},
    )
    import json

    cli = json.loads(expected.stdout)
    assert set(result) == set(cli)
    assert result["answer"] == cli["answer"] and result["citations"] == cli["citations"]


def test_api_refuses_unbounded_or_malformed_requests(seeded_data: Path) -> None:
    from gradio_client import Client

    data = seeded_data
    proc, url = start_ui(data)
    refusals = {}
    try:
        client = Client(url, verbose=False)
        for name, args in {
            "top_k -1": ("Who is Deif?", "", "", [], -1),
            "top_k 100000": ("Who is Deif?", "", "", [], 100000),
            "long question": ("x" * 2001, "", "", [], 6),
            "outlets": ("Who is Deif?", "", "", "Reuters", 6),
            "date": ("Who is Deif?", "soon", "", [], 6),
            "as_of": ("Who is Deif?", "", "", [], 6, "next week"),
        }.items():
            try:
                client.predict(*args, api_name="/ask_as_of" if len(args) == 6 else "/ask")
                refusals[name] = "answered"
            except Exception as err:  # gradio_client's AppError carries the gr.Error text
                refusals[name] = str(err)
        ok = client.predict(
            "Who is the head of Hamas's terror army?", "", "", [], 20, api_name="/ask"
        )
        then = client.predict(
            "What did Gallant tell Hochstein this week?",
            "",
            "",
            [],
            6,
            "2024-01-06",
            api_name="/ask_as_of",
        )
        later = client.predict(
            "What did Gallant tell Hochstein this week?",
            "",
            "",
            [],
            6,
            "2025-06-01",
            api_name="/ask_as_of",
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "top_k: must be a whole number from 1 to 20 (got -1)" in refusals["top_k -1"]
    assert "top_k: must be a whole number from 1 to 20 (got 100000)" in refusals["top_k 100000"]
    assert "question: 2001 characters is over the limit of 2000" in refusals["long question"]
    assert "outlets: must be a list of outlet names" in refusals["outlets"]
    assert "since: 'soon' is not a date" in refusals["date"]
    assert ok["citations"] and len(ok["passages"]) <= 20
    assert "as_of: 'next week' is not a date" in refusals["as_of"]
    assert then["passages"][0]["doc"] == "003_450532c52fe375e5.txt" and not then["abstained"]
    assert later["abstained"] and "no stored article is from then" in later["answer"]


def test_the_briefing_tab_shows_article_markup_as_text_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with Beacon() as beacon:
        data = tmp_path / "data"
        folder = markup_articles(tmp_path / "articles", beacon.url)
        assert run_rag("ingest", str(folder), env={"RAG_DATA_DIR": str(data)}).returncode == 0
        proc, url = start_ui(data)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
                page = browser.new_page()
                page.goto(url)
                make_briefing(page, TOPIC, until="Reproducibility")
                page.wait_for_timeout(1500)  # time for whatever the markup would fetch
                shown = page.locator("#brief-text")
                text = shown.inner_text()
                planted = shown.locator("img, form, input, meta, style, script, iframe, link")
                found = planted.evaluate_all("els => els.map(e => e.outerHTML)")
                links = shown.locator("a").evaluate_all(
                    "els => els.map(e => e.getAttribute('href'))"
                )
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert beacon.hits == [] and found == []
    assert "<img src=" in text and "<form action=" in text  # shown as the article's text
    assert {h for h in links if not h.startswith("#fn-")} <= {WEB_URL}
    assert any(h.startswith("#fn-") for h in links)  # our [n] still open their footnotes
