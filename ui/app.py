"""The Gradio app: chat with a source panel, filters, a library to upload and delete articles.

Everything it answers comes from `rag.assistant.Assistant`; this module only lays out the
page, streams tokens into the chat, and renders answers with `ui.render`. The `/ask` API
endpoint returns exactly the JSON of `rag ask --json`:

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("Who is Mohammed Deif?", "", "", [], 6,
                                             api_name="/ask")
"""

from __future__ import annotations

import queue
import re
import threading
from pathlib import Path
from typing import Any, Iterator

import gradio as gr

from rag import (
    Assistant,
    Filters,
    build_briefing,
    parse_date,
)
from ui import validate
from ui.failures import NewsBlocks, as_gradio_error, for_people
from ui.render import CSS, HEAD, chat_markdown, sources_html
from ui.uploads import discard_temp_copies, save_and_ingest

ACCEPTED = [".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl"]


_SEARCHED = re.compile(r"^\*Searching for: (.+?)\*$", re.M)


def _searched_questions(history: list[dict]) -> list[str]:
    """The conversation's questions as they were searched: a follow-up's rewrite (shown in
    its answer as "Searching for: …") stands in for what was typed."""
    asked: list[str] = []
    for message in history:
        content = message.get("content")
        if not isinstance(content, str):
            continue
        if message["role"] == "user":
            asked.append(content)
        elif asked and (m := _SEARCHED.search(content)):
            asked[-1] = m.group(1)
    return asked


def _filters(since: str, until: str, sources: list[str] | None) -> Filters:
    def day(value: str, name: str):  # type: ignore[no-untyped-def]
        if not value or not value.strip():
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise gr.Error(f"{name} {value!r} is not a date; use YYYY-MM-DD")
        return parsed

    return Filters(since=day(since, "From"), until=day(until, "To"),
                   sources=tuple(sources or ()))


def build_app(assistant: Assistant) -> gr.Blocks:
    settings = assistant.settings
    lock = threading.Lock()  # one answer at a time per process keeps the CPU model fair

    def store_line() -> str:
        count = len(assistant.library())
        mode = f"LLM `{settings.llm_model}`" if settings.use_llm else "extractive (offline)"
        return f"**Store:** `{assistant.store.location}` · **{count} articles** · mode {mode}"

    def library_rows() -> list[list[Any]]:
        records = assistant.library()
        rows = sorted(records.items(), key=lambda kv: (kv[1].get("date") or "", kv[0]),
                      reverse=True)
        return [[doc, r.get("date") or "undated", r.get("source") or "", r.get("title") or "",
                 r.get("chunks", 0)] for doc, r in rows]

    def ask_stream(question: str, history: list[dict], since: str, until: str,
                   sources: list[str] | None, top_k: int, mode: str, as_of: str = ""
                   ) -> Iterator[tuple[list[dict], str, str]]:
        question = (question or "").strip()
        if not question:
            yield history, sources_html(None), ""
            return
        filters = _filters(since, until, sources)
        try:
            day = validate.day(as_of, "As of")
        except ValueError as err:
            raise gr.Error(str(err)) from err
        asked = _searched_questions(history)
        history = history + [{"role": "user", "content": question},
                             {"role": "assistant", "content": "…"}]
        yield history, sources_html(None), ""
        events: queue.Queue = queue.Queue()

        def work() -> None:
            try:
                with lock:
                    standalone = assistant.standalone(asked, question)
                    answer = assistant.ask(standalone, filters=filters, top_k=int(top_k),
                                           mode=mode, as_of=day,
                                           on_token=lambda t: events.put(("token", t)),
                                           on_retry=lambda r, w: events.put(("retry", r)))
                events.put(("done", (answer, standalone)))
            except Exception as err:  # the chat must hear of every failure, or it waits on
                events.put(("error", for_people(err, "answering")))  # forever

        threading.Thread(target=work, daemon=True).start()
        streamed = ""
        while True:
            kind, payload = events.get()
            if kind == "token":
                streamed += payload
                history[-1] = {"role": "assistant", "content": streamed}
                yield history, sources_html(None), ""
            elif kind == "retry":
                streamed = ""
                history[-1] = {"role": "assistant", "content": f"*{payload}; retrying…*"}
                yield history, sources_html(None), ""
            elif kind == "error":
                history[-1] = {"role": "assistant", "content": f"**Error:** {payload}"}
                yield history, sources_html(None), ""
                return
            else:
                answer, searched = payload
                shown = chat_markdown(answer)
                if searched != question:  # say how a follow-up was read
                    shown = f"*Searching for: {searched}*\n\n{shown}"
                history[-1] = {"role": "assistant", "content": shown}
                yield history, sources_html(answer), ""
                return

    def api_ask_as_of(question: str, since: str = "", until: str = "",
                      sources: list[str] | None = None, top_k: int = 6, as_of: str = ""
                      ) -> dict:
        """Answer a question as of a day (YYYY-MM-DD, "" for today), as `rag ask --as-of`;
        returns the same JSON object as `rag ask --json`.

        Inputs are checked first (`ui.validate`), so a script cannot ask for unbounded work.
        """
        try:
            asked, filters, k = validate.ask_request(question, since, until, sources, top_k)
            day = validate.day(as_of, "as_of")
        except ValueError as err:
            raise gr.Error(str(err)) from err
        try:
            with lock:
                answer = assistant.ask(asked, filters=filters, top_k=k, as_of=day)
        except Exception as err:
            raise as_gradio_error(err, "answering") from err
        return answer.to_json()

    def api_ask(question: str, since: str = "", until: str = "",
                sources: list[str] | None = None, top_k: int = 6) -> dict:
        """Answer a question; returns the same JSON object as `rag ask --json`."""
        return api_ask_as_of(question, since, until, sources, top_k)

    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()
               ) -> tuple[list[list[str]], list[list[Any]], str, Any, Any]:
        files = files or []
        progress(0.1, desc=f"Reading {len(files)} file(s)")
        pairs = [(Path(f).name, Path(f)) for f in files]
        try:
            with lock:
                results = save_and_ingest(assistant, pairs)
        except Exception as err:
            raise as_gradio_error(err, "adding the files") from err
        finally:
            discard_temp_copies(Path(f) for f in files)  # kept or refused, Gradio's copy goes
        progress(1.0, desc="Done")
        table = [[r.file, r.result, r.detail] for r in results]
        return (table, library_rows(), store_line(), gr.update(choices=assistant.sources()),
                gr.update(choices=[row[0] for row in library_rows()], value=None))

    def delete(doc_id: str | None) -> tuple[list[list[Any]], str, str, Any, Any]:
        if not doc_id:
            return library_rows(), store_line(), "Pick an article to delete.", gr.update(), \
                gr.update()
        try:
            with lock:
                gone = assistant.delete(doc_id)
        except Exception as err:
            raise as_gradio_error(err, f"deleting {doc_id}") from err
        message = f"Deleted {doc_id}." if gone else f"{doc_id} is not stored."
        return (library_rows(), store_line(), message, gr.update(choices=assistant.sources()),
                gr.update(choices=[row[0] for row in library_rows()], value=None))

    def briefing(topic_text: str, since: str, until: str) -> tuple[str | None, str]:
        if not (topic_text or "").strip():
            return None, "Give a topic."
        with lock:
            try:
                markdown = build_briefing(assistant, topic_text.strip(),
                                          _filters(since, until, None)).to_markdown()
            except ValueError as err:
                return None, f"**{err}**"
            except Exception as err:
                raise as_gradio_error(err, "writing the briefing") from err
        folder = settings.data_dir / "briefings"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", topic_text.lower()).strip("-")[:60] or "briefing"
        path = folder / f"{slug}.md"
        path.write_text(markdown, encoding="utf-8")
        return str(path), markdown

    with NewsBlocks(title="News Q&A") as app:
        gr.Markdown("## Ask the news\nAnswers quote and cite the articles; click a `[n]` "
                    "to see its passage.")
        status = gr.Markdown(store_line(), elem_id="store-line")
        with gr.Tab("Ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Conversation", height=460, elem_id="chat",
                                      buttons=["copy"], feedback_options=None)
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask about the articles…",
                                              show_label=False, scale=5, elem_id="question")
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    with gr.Accordion("Filters and settings", open=False):
                        with gr.Row():
                            since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="since")
                            until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="until")
                            as_of = gr.Textbox(label="As of (YYYY-MM-DD; default today)",
                                               elem_id="as-of")
                        outlets = gr.Dropdown(choices=assistant.sources(), multiselect=True,
                                              label="Outlets", elem_id="outlets")
                        top_k = gr.Slider(1, 12, value=settings.top_k, step=1,
                                          label="Passages to answer from")
                        modes = ["extractive"] + (["llm"] if settings.llm_configured else [])
                        mode = gr.Radio(modes, value="llm" if settings.use_llm else
                                        "extractive", label="Answer mode")
                    clear = gr.Button("New conversation", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    panel = gr.HTML(sources_html(None), elem_id="sources")
        with gr.Tab("Briefing"):
            with gr.Row():
                topic = gr.Textbox(label="Topic", placeholder="e.g. Israel–Hezbollah border",
                                   scale=4, elem_id="topic")
                b_since = gr.Textbox(label="From (YYYY-MM-DD)", scale=1)
                b_until = gr.Textbox(label="To (YYYY-MM-DD)", scale=1)
            make = gr.Button("Write briefing", variant="primary", elem_id="brief")
            download = gr.File(label="Markdown", elem_id="brief-file")
            report = gr.Markdown(elem_id="brief-text")
        with gr.Tab("Library"):
            uploads = gr.File(label="Add articles (" + " ".join(ACCEPTED) + ")",
                              file_count="multiple", file_types=ACCEPTED, elem_id="upload")
            add = gr.Button("Add to library", variant="primary", elem_id="add")
            results = gr.Dataframe(headers=["file", "result", "detail"], label="Upload results",
                                   elem_id="upload-results", interactive=False)
            articles = gr.Dataframe(value=library_rows(), label="Stored articles",
                                    headers=["id", "date", "outlet", "title", "chunks"],
                                    interactive=False, elem_id="articles")
            with gr.Row():
                victim = gr.Dropdown(choices=[r[0] for r in library_rows()],
                                     label="Article to delete", elem_id="victim")
                remove = gr.Button("Delete article", variant="stop")
            deleted = gr.Markdown()

        inputs = [question, chat, since, until, outlets, top_k, mode, as_of]
        send.click(ask_stream, inputs, [chat, panel, question], api_visibility="private")
        question.submit(ask_stream, inputs, [chat, panel, question], api_visibility="private")
        clear.click(lambda: ([], sources_html(None)), None, [chat, panel],
                    api_visibility="private")
        add.click(upload, [uploads], [results, articles, status, outlets, victim],
                  api_visibility="private")
        remove.click(delete, [victim], [articles, status, deleted, outlets, victim],
                     api_visibility="private")
        make.click(briefing, [topic, b_since, b_until], [download, report],
                   api_visibility="private")
        gr.api(api_ask, api_name="ask")
        gr.api(api_ask_as_of, api_name="ask_as_of")
    return app


def launch(assistant: Assistant, host: str | None = None, port: int | None = None,
           share: bool = False) -> None:
    settings = assistant.settings
    auth = None
    if settings.ui_auth:
        user, _, password = settings.ui_auth.get_secret_value().partition(":")
        if not user or not password:
            raise ValueError("RAG_UI_AUTH must be 'user:password'")
        auth = (user, password)
    from starlette.middleware import Middleware

    from ui.auth import LoginRequired

    build_app(assistant).queue(default_concurrency_limit=4).launch(
        server_name=host or settings.ui_host, server_port=port or settings.ui_port,
        share=share, auth=auth, max_file_size=int(settings.ui_max_upload_mb * 1_048_576),
        app_kwargs={"middleware": [Middleware(LoginRequired)]},
        css=CSS, head=HEAD, footer_links=["api"], quiet=False,
        show_error=False,  # our handlers word their errors (ui.failures); Gradio's own stay in the log
        allowed_paths=[str(settings.data_dir / "briefings")])
