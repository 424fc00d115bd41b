"""The web UI as a daily user meets it, in a real browser (Debian's chromium).

Each answer keeps its own sources, a reload brings the conversation back with working
citations, a mistyped date marks its field and keeps the question, the library is fresh on
load and asks before deleting, Copy gives readable Markdown, the briefing's footnotes are a
list, and the stage of an answer shows while it runs. Desktop width unless a test says phone.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.helpers import run_rag
from tests.helpers.browser import make_briefing
from tests.helpers.servers import start_ui

DEIF = "What did Gallant call Mohammed Deif?"  # cites 002_0cdd084e739fcba0.txt first
LONG = "What did Gallant tell Hochstein?"  # the scripted model's long cited answer
EVACUATED = "How many Israelis were evacuated from the northern border?"


# A slow link (a phone on a train, a busy server): each event the page sends reaches the
# server 0.6 s late, so what the page does before the server answers can be seen.
SLOW_LINK = """(() => { const send = window.fetch;
  window.fetch = (url, options) => String(url).includes('/queue/join')
    ? new Promise(wait => setTimeout(wait, 600)).then(() => send(url, options))
    : send(url, options); })();"""


def open_page(browser, url: str, width: int = 1400, height: int = 900, slow: bool = False):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height})
    if slow:
        context.add_init_script(SLOW_LINK)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for()
    page.wait_for_function(
        "() => document.querySelector('#store-line')?.innerText.includes('articles')"
    )
    return page


@pytest.fixture
def page(browser, ui_url):  # type: ignore[no-untyped-def]
    page = open_page(browser, ui_url)
    yield page
    page.context.close()


def answers(page) -> int:  # type: ignore[no-untyped-def]
    return page.locator("#chat [data-testid=bot] .copy-md").count()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    """Ask and wait until the answer (with its own sources and export) has landed."""
    before = answers(page)
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length > {before}",
        timeout=90_000,
    )


def download_ready(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the Download button holds the open conversation's file (written just after
    an answer shows, greyed out while no conversation is open)."""
    page.wait_for_function(
        """() => { const b = document.querySelector('#export');
        const button = b && (b.tagName === 'BUTTON' ? b : b.querySelector('button'));
        return button && !button.disabled; }"""
    )


def listing(page) -> str:  # type: ignore[no-untyped-def]
    """What the conversation list shows and what its search box holds, for a failure's message."""
    labels = page.locator("#conv-list label").all_inner_texts()
    typed = page.locator("#conv-search textarea, #conv-search input").first.input_value()
    return f"search {typed!r} lists {labels}"


def search(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Search the conversations for `text`, its answer listed when this returns: a search
    no conversation matches goes first, so whatever shows next is the answer to `text`
    (until an answer lands, the list from before still stands)."""
    box = page.locator("#conv-search textarea, #conv-search input").first
    box.fill("no conversation says this")
    page.locator("#conv-list").get_by_text("No conversation matches").wait_for()
    box.fill(text)
    try:
        page.locator("#conv-list label").first.wait_for()
    except Exception as error:
        raise AssertionError(f"nothing found: {listing(page)}") from error


def bot(page, i: int):  # type: ignore[no-untyped-def]
    return page.locator("#chat [data-testid=bot]").nth(i)


def test_clicking_1_in_the_first_of_three_answers_shows_the_first_answers_passage(page) -> None:
    ask(page, DEIF)
    ask(page, "When did Gallant meet Hochstein at the Defense Ministry in Tel Aviv?")
    ask(page, EVACUATED)
    last_doc = page.locator("#sources #src-1").get_attribute("data-doc")
    assert last_doc != "002_0cdd084e739fcba0.txt"  # the panel holds the latest answer's [1]
    bot(page, 0).locator("a[href='#src-1']").first.click()
    page.wait_for_function(
        "() => document.querySelector('#sources #src-1').dataset.doc === '002_0cdd084e739fcba0.txt'"
    )
    assert "Osama bin Laden of Gaza" in page.locator("#sources #src-1 mark").inner_text()
    own = bot(page, 0).locator(".msg-sources .src-1")
    assert own.is_visible() and "flash" in (own.get_attribute("class") or "")
    assert "Osama bin Laden of Gaza" in own.locator("mark").inner_text()
    assert own.locator(".src-doc").inner_text() == "002_0cdd084e739fcba0.txt"
    # the third answer's own [1] still opens its own passage
    bot(page, 2).locator("a[href='#src-1']").first.click()
    page.wait_for_function(
        "doc => document.querySelector('#sources #src-1').dataset.doc === doc", arg=last_doc
    )


def test_a_double_click_on_ask_asks_once(page, data_dir: Path) -> None:
    page.locator("#new-chat").click()
    page.locator("#question textarea").fill(DEIF)
    page.locator("#ask").dblclick()
    settled(page, [DEIF])
    page.wait_for_timeout(1500)  # a second answer, had it been asked, would be drawn by now
    assert user_questions(page) == [DEIF]
    assert [role for _, role, _, _ in stored_rows(data_dir)] == ["user", "assistant"]


@pytest.fixture
def slow_page(browser, ui_url):  # type: ignore[no-untyped-def]
    page = open_page(browser, ui_url, slow=True)
    yield page
    page.context.close()


def test_the_next_question_typed_as_one_is_sent_stays_in_the_box(slow_page) -> None:
    # The box empties the moment a question is sent; what the reader types next is theirs,
    # not wiped when the server takes the sent one (it once was, the server's "taken"
    # emptying the box; on a slow link, whole questions were lost so).
    page = slow_page
    page.locator("#new-chat").click()
    box = page.locator("#question textarea")
    box.fill(DEIF)
    box.press("Enter")
    page.wait_for_timeout(100)  # a reader's next key comes later than the page takes the value
    assert box.input_value() == ""  # taken at once, though the server has not had it yet
    box.press_sequentially("Who is Amos Hochstein?", delay=40)
    settled(page, [DEIF])
    page.wait_for_timeout(1000)
    assert box.input_value() == "Who is Amos Hochstein?"


def test_two_questions_sent_back_to_back_are_both_asked_in_order(slow_page, data_dir: Path) -> None:
    page = slow_page
    page.locator("#new-chat").click()
    box, evacuated = page.locator("#question textarea"), EVACUATED
    box.fill(DEIF)
    box.press("Enter")
    page.wait_for_timeout(100)  # as above
    box.fill(evacuated)
    box.press("Enter")
    settled(page, [DEIF, evacuated])
    assert "Osama bin Laden of Gaza" in bot(page, 0).inner_text()
    rows = stored_rows(data_dir)
    assert [t for _, r, t, _ in rows if r == "user"] == [DEIF, evacuated]
    assert [r for _, r, _, _ in rows] == ["user", "assistant"] * 2


def test_the_chats_clear_button_starts_a_new_conversation_and_keeps_the_cleared_one(
    page, data_dir: Path
) -> None:
    page.locator("#new-chat").click()
    ask(page, DEIF)
    page.locator("#chat button[aria-label='Clear']").click()
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=user]')")
    page.wait_for_function("() => location.search === ''")  # the address names none now
    ask(page, "Who is Amos Hochstein?")
    assert user_questions(page) == ["Who is Amos Hochstein?"]
    assert [t for _, r, t, _ in stored_rows(data_dir) if r == "user"] == ["Who is Amos Hochstein?"]
    page.locator("#conv-list label", has_text=DEIF).first.click()  # kept, and listed
    settled(page, [DEIF])
    assert "Osama bin Laden of Gaza" in bot(page, 0).inner_text()


def test_a_mistyped_date_marks_its_field_and_keeps_the_question(page) -> None:
    page.locator("#filters").get_by_text("Filters and settings").click()
    page.locator("#since textarea, #since input").first.fill("14th of Augustt")
    page.locator("#question textarea").fill(DEIF)
    page.locator("#ask").click()
    error = page.locator("#ask-error")
    error.wait_for()
    page.wait_for_timeout(4000)  # it stays: nothing fades it out
    assert "From: '14th of Augustt' is not a date; use YYYY-MM-DD" in error.inner_text()
    assert "invalid" in (page.locator("#since").get_attribute("class") or "")
    assert page.locator("#question textarea").input_value() == DEIF
    assert page.locator("#chat [data-testid=bot]").count() == 0
    assert page.locator("#chat .error, #chat [class*=error]").count() == 0
    page.locator("#since textarea, #since input").first.fill("2024-01-01")
    ask(page, DEIF)
    assert not page.locator("#ask-error").is_visible()
    assert "invalid" not in (page.locator("#since").get_attribute("class") or "")
    assert page.locator("#question textarea").input_value() == ""


def test_a_reload_brings_back_the_conversation_with_working_citations(browser, ui_url) -> None:
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, DEIF)
    ask(page, "Who is Amos Hochstein?")
    page.reload()  # the open conversation comes back by its address
    page.locator("#question textarea").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length === 2"
    )
    page.locator("#new-chat").click()  # and opened again from the list, found by its text
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')")
    search(page, "Who is Amos Hochstein")  # its second question: no other conversation's text
    entry = page.locator("#conv-list label", has_text=DEIF)
    assert entry.count() == 1, listing(page)
    entry.click()
    page.wait_for_function(
        "() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length === 2"
    )
    bot(page, 0).locator("a[href='#src-1']").first.click()
    page.wait_for_function(
        "() => document.querySelector('#sources #src-1').dataset.doc === '002_0cdd084e739fcba0.txt'"
    )
    assert "Osama bin Laden of Gaza" in bot(page, 0).locator(".src-1 mark").inner_text()
    # rename, find it by the new name, then delete it (the browser asks first)
    page.locator("#conv-manage").get_by_text("Rename or delete").click()
    title = page.locator("#conv-title textarea, #conv-title input").first
    page.wait_for_function(  # the box holds the open conversation's title before it is edited
        "([box, was]) => box.value === was", arg=[title.element_handle(), DEIF]
    )
    title.fill("Deif and Hochstein")
    page.locator("#conv-rename").click()
    renamed = page.locator("#conv-list label", has_text="Deif and Hochstein")
    try:  # the rename stored and listed (still under the search) before it is searched for
        renamed.wait_for(timeout=30_000)
    except Exception as error:
        raise AssertionError(f"not listed after the rename: {listing(page)}") from error
    search(page, "Deif and Hoch")
    assert renamed.count() == 1 and page.locator("#conv-list label").count() == 1, listing(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#conv-delete").click()
    page.wait_for_function(
        "() => !document.querySelector('#conv-list').innerText.includes('Deif and Hochstein')"
    )
    assert page.locator("#chat [data-testid=bot]").count() == 0
    page.context.close()


def test_library_is_fresh_on_load_and_delete_asks_naming_the_article(
    page, data_dir: Path, tmp_path: Path
) -> None:
    header = page.locator("#store-line").inner_text()
    assert str(data_dir) not in header and "chroma" not in header.lower()
    count = int(header.split(" articles")[0].split()[-1])
    article = tmp_path / "harbour_reopens.txt"
    article.write_text(
        "Harbour of Tromsø reopens\n\ndate 2024-05-02\n\nThe harbour of Tromsø "
        "reopened on 1 May 2024 after dredging works, the city said.\n"
    )
    assert run_rag("ingest", str(article), env={"RAG_DATA_DIR": str(data_dir)}).returncode == 0
    page.reload()
    page.locator("#store-line").wait_for()
    page.wait_for_function(
        "n => document.querySelector('#store-line')?.innerText.includes(n + ' articles')",
        arg=count + 1,
    )
    page.get_by_role("tab", name="Library").click()
    assert "harbour_reopens.txt" in page.locator("#articles").inner_text()
    page.locator("#delete").click()
    page.locator("#deleted", has_text="Pick an article").wait_for()
    page.locator("#victim input").click()
    page.get_by_role("option", name="Harbour of Tromsø reopens (harbour_reopens.txt)").click()
    page.locator("#delete").click()
    confirm = page.locator("#confirm-text")
    confirm.wait_for()
    assert "Harbour of Tromsø reopens" in confirm.inner_text()
    assert "harbour_reopens.txt" in confirm.inner_text()
    assert "harbour_reopens.txt" in page.locator("#articles").inner_text()  # not yet
    page.locator("#confirm-yes").click()
    page.wait_for_function(
        "() => !document.querySelector('#articles').innerText.includes('harbour_reopens.txt')"
    )
    assert f"{count} articles" in page.locator("#store-line").inner_text()
    assert "Deleted" in page.locator("#deleted").inner_text()


def test_copy_and_download_give_markdown_with_sources(page) -> None:
    page.locator("#new-chat").click()
    ask(page, DEIF)
    link = bot(page, 0).locator("a.copy-md")
    link.click()
    page.wait_for_function("() => document.querySelector('a.copy-md').textContent === 'Copied'")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f"**Q:** {DEIF}")
    assert (
        "[\\[" not in copied and "#src-" not in copied and "<" not in copied.split("**Sources**")[0]
    )
    assert "calling him the “Osama bin Laden of Gaza,”" in copied and "[1]" in copied
    sources = copied.split("**Sources**", 1)[1]
    assert "- [1] **Israeli Defense Minister Yoav Gallant" in sources
    assert "`002_0cdd084e739fcba0.txt`" in sources and "  > For his part, Gallant" in sources
    download_ready(page)
    with page.expect_download() as download:  # one click downloads the open conversation
        page.locator("#export").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith(f"# {DEIF}") and f"## {DEIF}" in text
    assert "- [1] **Israeli Defense Minister Yoav Gallant" in text and "[\\[" not in text
    # another conversation opened: one click gives that one, never the previous file
    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=bot]')")
    ask(page, "How much did the Gaza pier cost?")
    download_ready(page)
    with page.expect_download() as download:
        page.locator("#export").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# How much did the Gaza pier cost?") and DEIF not in text


def test_a_briefing_asked_for_while_one_is_written_is_written_too(slow_page) -> None:
    # Write once held its click while a briefing was written: the second topic's was
    # silently never written.
    page = slow_page
    page.get_by_role("tab", name="Briefing").click()
    kept = page.locator("#brief-list label")

    def listed(topic: str) -> int:
        return sum(topic in label for label in kept.all_inner_texts())

    before = listed("Amos Hochstein"), listed("Lloyd Austin")
    topic = page.locator("#topic textarea, #topic input").first
    topic.fill("Amos Hochstein")
    page.locator("#brief").click()
    page.wait_for_timeout(100)
    topic.fill("Lloyd Austin")
    page.locator("#brief").click()
    page.wait_for_function(
        "() => document.querySelector('#brief-text')?.innerText.includes('Lloyd Austin')",
        timeout=120_000,
    )
    assert (listed("Amos Hochstein"), listed("Lloyd Austin")) == (before[0] + 1, before[1] + 1)
    assert "Lloyd Austin" in page.locator("#brief-text").inner_text()  # the last asked shows


def test_a_topic_followed_while_another_is_briefed_is_followed_too(slow_page) -> None:
    # Follow held its click while the first topic's briefing was written: the second topic
    # was silently never followed.
    page = slow_page
    page.get_by_role("tab", name="Briefing").click()
    topic = page.locator("#topic textarea, #topic input").first
    topic.fill("Hezbollah attacks")
    page.locator("#topic-follow").click()
    page.wait_for_timeout(100)
    topic.fill("Mohammed Deif")
    page.locator("#topic-follow").click()
    for name in ("Hezbollah attacks", "Mohammed Deif"):
        page.locator("#topic-list", has_text=name).wait_for(timeout=120_000)


def test_briefing_footnotes_are_a_list_and_n_is_a_link(page) -> None:
    make_briefing(page, "Israel–Hezbollah border")
    notes = page.locator("#brief-text ol li")
    assert notes.count() >= 3
    assert "“" in notes.first.inner_text() and "doc:" in notes.first.inner_text()
    link = page.locator("#brief-text a[href='#fn-2']").first
    link.click()
    page.wait_for_function(
        "() => document.getElementById('fn-2').closest('li').classList.contains('flash')"
    )
    page.wait_for_function(
        "() => { const r = document.getElementById('fn-2').closest('li')"
        ".getBoundingClientRect(); return r.top >= 0 && "
        "r.bottom <= window.innerHeight; }"
    )  # scrolled to it


def test_phone_width_opens_the_clicked_answers_sources_in_place(browser, ui_url) -> None:
    page = open_page(browser, ui_url, width=390, height=844)
    page.wait_for_function("() => !document.querySelector('#sidebar.open')")  # folded away
    ask(page, DEIF)
    ask(page, "Who is Amos Hochstein?")
    bot(page, 0).locator("a[href='#src-1']").first.click()
    own = bot(page, 0).locator(".msg-sources .src-1")
    page.wait_for_timeout(1500)  # the smooth scroll has ended
    box = own.bounding_box()
    assert box is not None and 0 <= box["y"] < 844 * 0.5  # its top is in view
    assert "Osama bin Laden of Gaza" in own.locator("mark").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 400
    page.context.close()


# --- the empty chat's suggestions; regenerate and edit-and-resend (the last exchange) ---------

# What `rag.suggestions` makes of the seeds' newest titles (dated first, then by id).
SUGGESTED = [
    "What do the articles say about Yoav Gallant and Lloyd Austin?",
    "What do the articles say about Hochstein and Hezbollah?",
    "What do the articles say about Hezbollah and Israelis?",
]


def stored_rows(data_dir: Path) -> list[tuple[int, str, str, str | None]]:
    """(row id, role, text, answer JSON) of the latest conversation's messages, read from the
    SQLite file as the server left it."""
    import sqlite3

    with sqlite3.connect(data_dir / "conversations.db") as db:
        [latest] = db.execute(
            "SELECT id FROM conversations ORDER BY updated DESC, id DESC LIMIT 1"
        ).fetchall()
        return db.execute(
            "SELECT id, role, text, answer FROM messages WHERE conversation = ? ORDER BY id", latest
        ).fetchall()


def user_questions(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator("#chat [data-testid=user]").all_inner_texts()]


def settled(page, questions: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Wait until the chat shows exactly `questions`, each with its finished answer (a
    timeout says what it shows instead)."""
    try:
        _settled(page, questions)
    except Exception as error:
        shown = user_questions(page), answers(page)
        raise AssertionError(f"the chat shows {shown[0]} with {shown[1]} answers") from error


def _settled(page, questions: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        """qs => { const u = [...document.querySelectorAll(
        '#chat [data-testid=user]')].map(e => e.innerText.trim());
      return JSON.stringify(u) === JSON.stringify(qs) && !document.querySelector(
        '#chat .working') && document.querySelectorAll('#chat [data-testid=bot] .copy-md')
        .length === qs.length; }""",
        arg=questions,
        timeout=90_000,
    )


def test_the_empty_chat_suggests_three_questions_from_the_articles_and_a_click_asks_one(
    page, data_dir: Path
) -> None:
    chat = page.locator("#chat")
    assert "Ask a question about the stored articles" in chat.inner_text()
    assert page.locator("#chat .examples .example-text").all_inner_texts() == SUGGESTED
    page.locator("#chat .examples button", has_text="Hochstein and Hezbollah").click()
    settled(page, [SUGGESTED[1]])
    assert page.locator("#chat .examples").count() == 0  # the suggestions make way
    assert "Hochstein" in bot(page, 0).inner_text()
    assert bot(page, 0).locator("a[href='#src-1']").count() >= 1  # a cited answer
    rows = stored_rows(data_dir)
    assert [(role, text) for _, role, text, _ in rows][0] == ("user", SUGGESTED[1])
    assert [role for _, role, _, _ in rows] == ["user", "assistant"] and rows[1][3]


def test_regenerate_asks_the_last_question_again_with_its_filters_and_replaces_the_answer(
    page, data_dir: Path
) -> None:
    page.locator("#filters").get_by_text("Filters and settings").click()
    page.locator("#since textarea, #since input").first.fill("2024-01-01")
    ask(page, DEIF)
    ask(page, "Who is Amos Hochstein?")
    before = stored_rows(data_dir)
    assert [role for _, role, _, _ in before] == ["user", "assistant"] * 2
    since = page.locator("#since textarea, #since input").first
    since.fill("")  # changed since: regenerate still asks with what the question was asked with
    page.locator("#regenerate").click()
    # The new answer is stored (a fast answer can come and go before its stage is painted,
    # so the stage is not what this waits on) …
    for _ in range(180):
        rows = stored_rows(data_dir)
        if len(rows) == 4 and rows[3][0] > before[3][0]:
            break
        page.wait_for_timeout(500)
    settled(page, [DEIF, "Who is Amos Hochstein?"])  # … in place of the old one, not under it
    after = stored_rows(data_dir)
    assert [(role, text) for _, role, text, _ in after] == [
        (role, text) for _, role, text, _ in before
    ]  # the same exchange …
    assert after[:2] == before[:2]  # the first one untouched
    assert after[2][0] > before[3][0]  # … written anew, the old rows gone
    cited = {c["date"] for c in json.loads(after[3][3])["citations"]}
    assert cited and all(d and d >= "2024-01-01" for d in cited)  # asked with the filter …
    assert since.input_value() == "2024-01-01"  # … which is back in its field


def test_edit_and_resend_replaces_the_last_question_and_its_answer(page, data_dir: Path) -> None:
    ask(page, DEIF)
    ask(page, "Who is Amos Hochstein?")
    page.locator("#edit-last").click()
    page.wait_for_function(
        "() => document.querySelector('#question textarea').value === 'Who is Amos Hochstein?'"
    )
    assert "replaces that question and its answer" in page.locator("#edit-note").inner_text()
    edited = "How many Israelis were evacuated from the northern border?"
    page.locator("#question textarea").fill(edited)
    page.locator("#ask").click()
    settled(page, [DEIF, edited])
    assert not page.locator("#edit-note").is_visible()
    assert bot(page, 1).locator(".md-export").text_content().startswith(f"**Q:** {edited}")
    rows = stored_rows(data_dir)
    assert [(role, text) for _, role, text, _ in rows if role == "user"] == [
        ("user", DEIF),
        ("user", edited),
    ]  # the question it replaced is gone …
    assert [role for _, role, _, _ in rows] == ["user", "assistant"] * 2  # … with its answer
    ask(page, "Who is Amos Hochstein?")  # after the edit, a question is added again
    assert len(stored_rows(data_dir)) == 6


# --- LLM mode against a scripted OpenAI-compatible server on 127.0.0.1 ----------------------


def _scripted_reply(prompt: str) -> str:
    from tests.helpers.scripted_llm import passage_number

    if "Question: What did Gallant call Mohammed Deif?" in prompt:
        deif = passage_number(prompt, "Mohammed Deif")
        return (
            f"Gallant called Mohammed Deif the “Osama bin Laden of Gaza” [{deif}]. "
            f"Hamas holds 250 hostages in Gaza [{deif}]."
        )
    if f"Question: {LONG}" in prompt:  # about 45 words: 11 s at the scripted pace
        talk = passage_number(prompt, "short window")
        return (
            f"Gallant told Hochstein there is “a short window of time for diplomatic "
            f"understandings” to be reached with Hezbollah [{talk}]. He said so as the Lebanese "
            f"terror group continued to carry out daily attacks on northern Israel [{talk}]. "
            f"Amos Hochstein is the US special envoy to the region [{talk}]."
        )
    if "Question: Who is Amos Hochstein?" in prompt:
        envoy = passage_number(prompt, "Hochstein")
        return f"Amos Hochstein is the American envoy who met Lebanese officials [{envoy}]."
    return "The envoys kept talking for a very long time about many things. " * 12


@pytest.fixture(scope="module")
def llm_ui(data_dir: Path) -> Iterator[tuple[str, object]]:
    from tests.helpers.scripted_llm import Reply, ScriptedLLM

    with ScriptedLLM([Reply(_scripted_reply, chunk_delay=0.25)]) as server:
        proc, url = start_ui(
            data_dir,
            {
                "RAG_LLM_MODEL": "scripted-model",
                "OPENAI_BASE_URL": server.base_url,
                "OPENAI_API_KEY": "test-key",
                "RAG_LLM_TIMEOUT": "30",
            },
        )
        yield url, server
        proc.terminate()
        proc.wait(timeout=30)


def writing(browser, url: str):  # type: ignore[no-untyped-def]
    """A page on `url` whose new conversation's answer to LONG has begun to stream (some
    ten seconds of it are left: time enough for what a test does meanwhile, on a busy
    machine)."""
    page = open_page(browser, url)
    page.locator("#new-chat").click()
    page.locator("#question textarea").fill(LONG)
    page.locator("#ask").click()
    page.wait_for_function(
        "() => document.querySelector('#chat')?.innerText.includes('Gallant told')",
        timeout=60_000,
    )
    return page


def test_llm_tokens_stream_then_the_checked_answer_says_what_was_removed(browser, llm_ui) -> None:
    url, _ = llm_ui
    page = open_page(browser, url)
    page.evaluate("""() => { window.seen = [];
      new MutationObserver(() => { const b = document.querySelectorAll(
          '#chat [data-testid=bot]'); if (b.length) window.seen.push(b[b.length - 1].innerText); }
      ).observe(document.querySelector('#chat'), {subtree: true, childList: true,
                                                   characterData: true}); }""")
    ask(page, DEIF)
    seen = page.evaluate("() => window.seen")
    partial = [s for s in seen if "Gallant called" in s and "Copy as Markdown" not in s]
    assert len({s for s in partial}) >= 2, seen[:5]  # the text grew token by token
    assert any("250 hostages" in s for s in partial)  # what the model wrote streamed …
    final = bot(page, 0).inner_text()
    text = final.split("The citation check removed")[0]
    assert "Osama bin Laden of Gaza" in text and "250 hostages" not in text  # … was checked
    assert "The citation check removed 1 unsupported claim(s)" in final and "250" in final
    page.context.close()


def test_an_answer_shows_its_stage_and_the_input_stays_usable(browser, llm_ui) -> None:
    # Against the scripted model, which writes a word every 0.25 s: an offline answer on the
    # seeds can land before the browser paints its stage (CI once saw no stage at all).
    url, _ = llm_ui
    page = open_page(browser, url)
    page.evaluate("""() => { window.stages = [];
      new MutationObserver(() => document.querySelectorAll('#chat .working').forEach(
        el => { if (!window.stages.includes(el.innerText)) window.stages.push(el.innerText); })
      ).observe(document.querySelector('#chat'), {subtree: true, childList: true,
                                                   characterData: true}); }""")
    before = answers(page)
    page.locator("#question textarea").fill(DEIF)
    page.locator("#ask").click()
    page.locator("#chat .working").first.wait_for()
    page.locator("#question textarea").fill("a follow-up typed while it works")
    page.wait_for_function(
        f"() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length > {before}",
        timeout=90_000,
    )
    stages = page.evaluate("() => window.stages")
    assert any(s.startswith(("Retrieving passages", "Reading")) for s in stages), stages
    assert any(s.startswith("Writing") for s in stages), stages
    assert page.locator("#question textarea").input_value() == "a follow-up typed while it works"
    assert page.locator("#chat .working").count() == 0
    page.context.close()


def test_a_question_sent_while_an_answer_is_written_is_asked_next(
    browser, llm_ui, data_dir: Path
) -> None:
    # Sent while the model still writes the answer before it: the box empties, a note says
    # the question waits, and it is asked (shown, answered, stored) once that answer is done.
    page = writing(browser, llm_ui[0])
    waiting = "Who is Amos Hochstein?"
    page.locator("#question textarea").fill(waiting)
    page.locator("#question textarea").press("Enter")
    note = page.locator("#ask-waiting")
    note.wait_for(state="visible")
    assert waiting in note.inner_text() and "once the answer above" in note.inner_text()
    assert answers(page) == 0  # the answer before it was still being written …
    assert page.locator("#regenerate").is_disabled()  # … so it cannot be regenerated yet
    settled(page, [LONG, waiting])
    assert not note.is_visible() and page.locator("#regenerate").is_enabled()
    assert "short window" in bot(page, 0).inner_text()
    assert "American envoy" in bot(page, 1).inner_text()
    rows = stored_rows(data_dir)
    assert [(role, text) for _, role, text, _ in rows if role == "user"] == [
        ("user", LONG),
        ("user", waiting),
    ]
    assert [role for _, role, _, _ in rows] == ["user", "assistant"] * 2
    page.context.close()


def test_a_waiting_question_can_be_taken_back(browser, llm_ui, data_dir: Path) -> None:
    # Sent by mistake while the model still writes: "take back" in the note takes it out of
    # the line, back into the empty box to be mended; it is never asked nor stored.
    page = writing(browser, llm_ui[0])
    box, typo = page.locator("#question textarea"), "Who is Amos Hochstien?"
    box.fill(typo)
    box.press("Enter")
    note = page.locator("#ask-waiting")
    note.wait_for(state="visible")
    note.get_by_role("link", name="take back").click()
    note.wait_for(state="hidden")
    assert box.input_value() == typo
    settled(page, [LONG])
    page.wait_for_timeout(1500)  # it would be asked by now, had it stayed in the line
    assert user_questions(page) == [LONG]
    assert [t for _, r, t, _ in stored_rows(data_dir) if r == "user"] == [LONG]
    page.context.close()


def test_a_new_chat_opened_while_an_answer_is_written_stays_new_and_the_answer_is_kept(
    browser, llm_ui, data_dir: Path
) -> None:
    page = writing(browser, llm_ui[0])
    page.locator("#new-chat").click()
    # the answer is finished and stored while the page shows the new chat …
    deadline = time.monotonic() + 60
    while [role for _, role, _, _ in stored_rows(data_dir)] != ["user", "assistant"]:
        assert time.monotonic() < deadline, stored_rows(data_dir)
        page.wait_for_timeout(200)
    page.wait_for_timeout(1000)  # its last drawing, had it been sent, would be here by now
    assert user_questions(page) == [] and page.evaluate("() => location.search") == ""
    # … a question there starts a conversation of its own …
    ask(page, "Who is Amos Hochstein?")
    assert user_questions(page) == ["Who is Amos Hochstein?"]
    assert [text for _, role, text, _ in stored_rows(data_dir) if role == "user"] == [
        "Who is Amos Hochstein?"
    ]
    # … and the one left behind, opened from the list, holds its answer
    page.locator("#conv-list label", has_text=LONG).first.click()
    settled(page, [LONG])
    assert "short window" in bot(page, 0).inner_text()
    page.context.close()


def test_a_reload_while_an_answer_is_written_follows_it_and_keeps_it(
    browser, llm_ui, data_dir: Path
) -> None:
    page = writing(browser, llm_ui[0])
    page.reload()  # the conversation comes back by its address, its answer still coming
    page.locator("#question textarea").wait_for()
    settled(page, [LONG])
    assert "short window" in bot(page, 0).inner_text()
    assert [role for _, role, _, _ in stored_rows(data_dir)] == ["user", "assistant"]
    page.reload()  # and it is kept
    page.locator("#question textarea").wait_for()
    settled(page, [LONG])
    page.context.close()


def test_a_question_sent_behind_other_readers_answers_shows_at_once_and_says_it_waits(
    browser, llm_ui
) -> None:
    # Answers are written one at a time, and each page's stream waits on the server while
    # the answers before it are written. Four pages waiting so once filled every place the
    # server had for streams, and another reader's question showed nothing for as long.
    url, _ = llm_ui
    pages = [writing(browser, url)]
    for _ in range(4):  # four behind it, holding their places until the answers are written
        pages.append(open_page(browser, url))
        pages[-1].locator("#new-chat").click()
        pages[-1].locator("#question textarea").fill(LONG)
        pages[-1].locator("#ask").click()
    last = open_page(browser, url)
    last.locator("#new-chat").click()
    last.locator("#question textarea").fill(DEIF)
    last.locator("#ask").click()
    try:  # (it showed after 0.1 s here, and after 5 s or more while the places were four)
        last.locator("#chat [data-testid=user]", has_text=DEIF).wait_for(timeout=2_000)
        last.locator("#chat .working", has_text="Waiting for another answer").wait_for()
    finally:
        for page in [*pages, last]:  # the model is free again for the next test
            if page.locator("#chat .working").count():
                page.locator("#stop").click()
                page.locator("#chat", has_text="Stopped before the answer was finished").wait_for()
            page.context.close()


def test_stop_ends_an_llm_answer_and_closes_its_stream(browser, llm_ui) -> None:
    url, server = llm_ui
    page = open_page(browser, url)
    page.locator("#new-chat").click()
    page.locator("#question textarea").fill("What did the envoys talk about?")
    page.locator("#ask").click()
    page.wait_for_function(
        "() => document.querySelector('#chat')?.innerText.includes('The envoys kept talking')",
        timeout=60_000,
    )
    hung_up = server.hung_up  # type: ignore[attr-defined]
    page.locator("#stop").click()
    page.locator("#chat", has_text="Stopped before the answer was finished").wait_for()
    page.wait_for_timeout(4000)
    assert answers(page) == 0  # the long answer never lands after Stop
    assert server.hung_up > hung_up  # type: ignore[attr-defined]  # the stream was closed
    ask(page, DEIF)  # and the next question is answered
    page.context.close()


def test_with_a_login_conversations_are_kept_under_the_user(browser, seeded_data: Path) -> None:
    from ui.conversations import ConversationStore

    data = seeded_data
    proc, url = start_ui(data, {"RAG_UI_AUTH": "reader:s3cret"})
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.locator("input[type=text], input:not([type])").first.fill("reader")
        page.locator("input[type=password]").fill("s3cret")
        page.locator("input[type=password]").press("Enter")
        page.locator("#question textarea").wait_for(timeout=60_000)
        ask(page, DEIF)
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    kept = ConversationStore(data / "conversations.db")
    [mine] = kept.list("reader")
    assert kept.list("") == [] and mine.title == DEIF
    assert [m.role for m in kept.messages("reader", mine.id)] == ["user", "assistant"]


def test_an_upload_of_several_files_reports_each_and_refreshes_the_filters(
    page, tmp_path: Path
) -> None:
    files = []
    for name, town in (("kelp_farm.txt", "Bodø"), ("tram_line.txt", "Aarhus")):
        path = tmp_path / name
        path.write_text(
            f"---\ntitle: {town} update\ndate: 2024-04-0{len(files) + 1}\nsource: "
            f"{town} Post\n---\nThe {town} council approved the plan on Monday.\n",
            encoding="utf-8",
        )
        files.append(path)
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_timeout(500)
    page.evaluate("""() => { window.progress = new Set();
      new MutationObserver(() => { const m = document.body.innerText.match(
          /Adding file \\d of 2/); if (m) window.progress.add(m[0]); }
      ).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.locator("#add").click()
    page.wait_for_function(
        "() => ['kelp_farm.txt', 'tram_line.txt'].every(n => document"
        ".querySelector('#upload-results')?.innerText.includes(n))",
        timeout=120_000,
    )
    rows = page.locator("#upload-results").inner_text()
    assert rows.count("added") == 2
    assert sorted(page.evaluate("() => [...window.progress]")) == [
        "Adding file 1 of 2",
        "Adding file 2 of 2",
    ]  # the bar moves per file
    page.get_by_role("tab", name="Ask").click()
    page.locator("#filters").get_by_text("Filters and settings").click()
    page.locator("#outlets input").click()
    assert page.get_by_role("option", name="Bodø Post").is_visible()
    assert page.get_by_role("option", name="Aarhus Post").is_visible()


def test_files_chosen_while_an_add_runs_are_added_by_the_next_add(page, tmp_path: Path) -> None:
    # Add once held its click while it ran: files chosen and added meanwhile were silently
    # not added, the box still listing them with those already added, and Add clicked
    # again failed on the files already taken, losing the rest.
    def article(name: str, town: str) -> str:
        path = tmp_path / name
        path.write_text(
            f"---\ntitle: {town} news\ndate: 2024-05-02\nsource: {town} Courier\n---\n"
            f"The {town} harbour reopened on Tuesday after repairs.\n",
            encoding="utf-8",
        )
        return str(path)

    towns = ["Tromsø", "Bergen", "Ålesund", "Bodø", "Molde", "Hamar"]
    first = [article(f"harbour_{n}.txt", town) for n, town in enumerate(towns)]
    then = [article("ferry_0.txt", "Narvik")]
    page.get_by_role("tab", name="Library").click()
    chooser = page.locator("#upload input[type=file]")
    chooser.set_input_files(first)
    page.locator("#upload", has_text=f"harbour_{len(towns) - 1}").wait_for()
    page.locator("#add").click()
    page.wait_for_function("() => !document.querySelector('#upload').innerText.includes('harbour')")
    page.locator("#upload-results", has_text="Adding file").wait_for()
    chooser.set_input_files(then)  # chosen while the first Add runs …
    page.locator("#upload", has_text="ferry_0").wait_for()
    page.locator("#add").click()  # … and added too
    names = [*(f"harbour_{n}.txt" for n in range(len(towns))), "ferry_0.txt"]
    page.wait_for_function(
        "names => names.every(n => document.querySelector('#upload-results')?.innerText"
        ".includes(n))",
        arg=names,
        timeout=120_000,
    )
    results = page.locator("#upload-results").inner_text()
    assert results.count("added") == len(names) and "rejected" not in results, results
    stored = page.locator("#articles").inner_text()
    assert all(f"{town} news" in stored for town in [*towns, "Narvik"]), stored
    page.locator("#add").click()  # the box is empty: nothing is sent again, nothing fails
    page.wait_for_timeout(1500)
    assert page.locator("#upload-results").inner_text().count("added") == len(names)
    assert "Something went wrong" not in page.locator("body").inner_text()


def titles_in_db(data_dir: Path) -> list[str]:
    """The conversation titles conversations.db holds, read straight from the file."""
    import sqlite3

    with sqlite3.connect(data_dir / "conversations.db") as db:
        return [row[0] for row in db.execute("SELECT title FROM conversations")]


def test_cancel_on_delete_this_conversation_keeps_it_and_ok_deletes_it(
    browser, ui_url, data_dir: Path
) -> None:
    """Cancel in "Delete this conversation?" must keep it (it once deleted it anyway)."""
    question = "Who is Yoav Gallant, and whom did he meet about the northern border?"
    page = open_page(browser, ui_url)
    page.locator("#new-chat").click()
    ask(page, question)
    entry = page.locator("#conv-list label", has_text=question[:40])
    entry.first.wait_for()
    assert any(t.startswith(question[:40]) for t in titles_in_db(data_dir))
    page.locator("#conv-manage").get_by_text("Rename or delete").click()
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#conv-delete").click()
    page.wait_for_timeout(3000)  # time for a delete to land, were one sent
    assert asked and "Delete this conversation" in asked[0]
    assert entry.count() == 1
    assert page.locator("#chat [data-testid=bot] .copy-md").count() == 1  # still open
    page.reload()
    page.locator("#question textarea").wait_for()
    entry.first.wait_for()
    assert any(t.startswith(question[:40]) for t in titles_in_db(data_dir))
    # opened again after the reload, OK deletes it
    entry.first.click()
    page.wait_for_function(
        "() => document.querySelectorAll('#chat [data-testid=bot] .copy-md').length === 1"
    )
    page.locator("#conv-manage").get_by_text("Rename or delete").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#conv-delete").click()
    page.wait_for_function(
        "q => !document.querySelector('#conv-list').innerText.includes(q)", arg=question[:40]
    )
    assert not any(t.startswith(question[:40]) for t in titles_in_db(data_dir))
    page.context.close()


def test_filters_in_force_are_named_beside_the_box_and_a_backwards_span_is_flagged(
    page,
) -> None:
    assert not page.locator("#active-filters").is_visible()
    page.locator("#filters").get_by_text("Filters and settings").click()
    page.locator("#since textarea, #since input").first.fill("2024-03-01")
    page.locator("#until textarea, #until input").first.fill("2024-01-31")
    page.locator("#question textarea").fill(DEIF)
    page.locator("#ask").click()
    error = page.locator("#ask-error")
    error.wait_for()
    assert "To (2024-01-31) is before From (2024-03-01)" in error.inner_text()
    assert "invalid" in (page.locator("#until").get_attribute("class") or "")
    assert page.locator("#chat [data-testid=bot]").count() == 0
    page.locator("#since textarea, #since input").first.fill("")
    # the line already shows the two dates; it is read once it has caught up with the change
    page.wait_for_function(
        "t => document.querySelector('#active-filters-text')?.innerText.includes(t)",
        arg="Reading only articles dated 2024-01-31 or earlier",
    )
    page.locator("#clear-filters").click()
    page.wait_for_function("() => !document.querySelector('#active-filters')?.offsetParent")
    assert page.locator("#until textarea, #until input").first.input_value() == ""
