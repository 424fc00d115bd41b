"""The Gradio app: conversations, chat with sources, filters, briefings, the library.

Everything it answers comes from `rag.assistant.Assistant` (the Library tab's watched feeds
too: adding one polls it through `Assistant.watch_feed`); this module only lays out the
page, streams stages and tokens into the chat (the input stays free; Stop ends the stream),
keeps conversations through `ui.conversations`, and renders answers with `ui.render`. The
empty chat offers `rag.suggested_questions` as clickable examples; regenerate and
edit-and-resend ask again with `replace`, which drops the last exchange from the store first.
Mistakes in the inputs (a date that is not one) are said next to the input and mark the
field; they never turn the chat into error badges. An answer that fails says so in its own
message. The `/ask` API endpoint returns exactly the JSON of `rag ask --json`:

    from gradio_client import Client
    Client("http://127.0.0.1:7860/").predict("Who is Mohammed Deif?", "", "", [], 6,
                                             api_name="/ask")
"""

from __future__ import annotations

import hashlib
import queue
import re
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator

import gradio as gr

from rag import (
    SUPPORTED_SUFFIXES,
    Answer,
    Assistant,
    Filters,
    Settings,
    StoreUnavailable,
    build_briefing,
    parse_date,
    render_markdown,
    suggested_questions,
)
from rag.text.markup import as_text, code_span
from ui import validate
from ui.conversations import ConversationStore, Message
from ui.failures import NewsBlocks, as_gradio_error, for_people
from ui.render import (
    CSS,
    FEED_HEADERS,
    HEAD,
    briefing_markdown,
    chat_message,
    conversation_markdown,
    feed_poll_markdown,
    feed_rows,
    pending_message,
    sources_html,
)
from ui.uploads import UploadResult, discard_temp_copies, save_and_ingest

ACCEPTED = SUPPORTED_SUFFIXES  # what ingest reads, so the picker offers exactly that


class _Stopped(BaseException):
    """Raised from the token callback once the reader pressed Stop. A BaseException (like
    GeneratorExit) so the LLM client's retry loop, which retries any `Exception`, lets it
    through and the stream is closed instead of being asked again."""


DATE_HINT = "use YYYY-MM-DD, e.g. 2024-08-14"
DATE_FIELDS = (("since", "From"), ("until", "To"), ("as_of", "As of"))


def date_problems(since: str, until: str, as_of: str) -> dict[str, str]:
    """Each date field that is filled but not a date, with a sentence saying what to type."""
    problems = {}
    for (key, label), value in zip(DATE_FIELDS, (since, until, as_of)):
        if value and value.strip() and parse_date(value.strip()[:40]) is None:
            problems[key] = f"{label}: {value.strip()[:40]!r} is not a date; {DATE_HINT}"
    return problems


def _filters(since: str, until: str, sources: list[str] | None) -> Filters:
    return Filters(
        since=parse_date(since) if since and since.strip() else None,
        until=parse_date(until) if until and until.strip() else None,
        sources=tuple(sources or ()),
    )


def _owner(request: gr.Request | None) -> str:
    """Whose conversations these are: the login user, or "" when the UI has no login."""
    return (getattr(request, "username", None) or "") if request is not None else ""


def render_history(messages: list[Message]) -> tuple[list[dict], Answer | None]:
    """Stored messages as chat messages (answers re-rendered from their JSON), and the last
    answer (for the side panel)."""
    shown: list[dict] = []
    last: Answer | None = None
    question = ""
    for m in messages:
        if m.role == "user":
            question = m.text
            shown.append({"role": "user", "content": m.text})
        elif m.answer is not None:
            last = Answer.from_json(m.answer)
            shown.append({"role": "assistant", "content": chat_message(last, m.searched, question)})
        else:
            shown.append({"role": "assistant", "content": m.text})
    return shown, last


def searched_so_far(messages: list[Message]) -> list[str]:
    """The conversation's questions as they were searched (a follow-up's rewrite stands in
    for what was typed), oldest first: the context the next follow-up is read in."""
    asked: list[str] = []
    for m in messages:
        if m.role == "user":
            asked.append(m.text)
        elif m.searched and asked:
            asked[-1] = m.searched
    return asked


def build_app(assistant: Assistant) -> gr.Blocks:
    settings = assistant.settings
    lock = threading.Lock()  # one answer at a time per process keeps the CPU model fair
    kept = ConversationStore(settings.data_dir / "conversations.db")
    exports = Path(tempfile.mkdtemp(prefix="rag-ui-exports-"))
    # conversation -> (its answer's stop signal, the queue its stream reads)
    running: dict[int, tuple[threading.Event, queue.Queue]] = {}

    def store_line() -> str:
        count = len(assistant.library())
        mode = f"LLM `{settings.llm_model}`" if settings.use_llm else "extractive (offline)"
        return f"**{count} articles** · mode {mode}"

    def library_rows() -> list[list[Any]]:
        records = assistant.library()
        rows = sorted(records.items(), key=lambda kv: (kv[1].date, kv[0]), reverse=True)
        return [
            [
                doc,
                r.date or "undated",
                r.source,
                r.title,
                r.chunks,
            ]
            for doc, r in rows
        ]

    def library_view() -> tuple[list[list[Any]], str, Any, Any]:
        """(articles table, header line, outlet choices, delete choices), read fresh."""
        rows = library_rows()
        return (
            rows,
            store_line(),
            gr.update(choices=assistant.sources()),
            gr.update(choices=[(f"{r[3] or r[0]} ({r[0]})", r[0]) for r in rows], value=None),
        )

    def feeds_view() -> tuple[list[list[str]], Any]:
        """(watched feeds table, remove choices), read fresh from the store's feeds.json."""
        try:
            watched = assistant.watched_feeds()
        except ValueError as err:  # a damaged feeds.json: say so in the table, keep the page
            return [[str(err), "", "", "", ""]], gr.update(choices=[], value=None)
        return (
            feed_rows(watched),
            gr.update(
                choices=[(f"{s.title or url} ({url})", url) for url, s in watched.items()],
                value=None,
            ),
        )

    def conversation_choices(owner: str, text: str = "", value: int | None = None) -> Any:
        found = kept.list(owner, text or "")
        return gr.update(choices=[(c.title, c.id) for c in found], value=value)

    def empty_chat() -> tuple[str, list[dict[str, str]]]:
        """What an empty chat says (how it works) and the suggested questions under it, drawn
        from the newest stored articles; clicking one asks it."""
        suggestions = suggested_questions(assistant.library())
        lines = [
            "**Ask a question about the stored articles.** Every answer quotes them and "
            "cites each passage with `[n]`; click one to read it."
        ]
        if suggestions:
            lines += ["", "Or start with one of these, drawn from the newest articles:"]
        elif not assistant.library():
            lines += ["", "The library is empty: add articles in the Library tab first."]
        return "\n".join(lines), [{"text": q} for q in suggestions]

    def on_load(request: gr.Request) -> tuple[Any, ...]:
        placeholder, examples = empty_chat()
        return (
            *library_view(),
            *feeds_view(),
            conversation_choices(_owner(request)),
            gr.update(placeholder=placeholder, examples=examples or None),
        )

    def prepare(
        question: str, since: str, until: str, as_of: str, editing: bool
    ) -> tuple[Any, ...]:
        """Check the inputs before any work: a bad date marks its field and keeps the
        question; a good request clears the box (the answer then runs without holding it).
        A question sent while the last one is being edited replaces the last exchange."""
        problems = date_problems(since, until, as_of)
        marks = [
            gr.update(elem_classes=["invalid"] if key in problems else []) for key, _ in DATE_FIELDS
        ]
        kept_edit = (gr.skip(), gr.skip(), gr.skip())  # (replace, editing, edit note)
        if problems:
            note = "**Not asked yet** — " + " · ".join(problems.values())
            return (
                gr.skip(),
                None,
                gr.update(value=note, visible=True),
                *marks,
                gr.update(open=True),
                *kept_edit,
            )
        question = (question or "").strip()
        if len(question) > validate.MAX_QUESTION_CHARS:
            note = (
                f"**Not asked yet** — the question is {len(question)} characters, over "
                f"the limit of {validate.MAX_QUESTION_CHARS}"
            )
            return (
                gr.skip(),
                None,
                gr.update(value=note, visible=True),
                *marks,
                gr.skip(),
                *kept_edit,
            )
        if not question:
            return (
                gr.skip(),
                None,
                gr.update(value="", visible=False),
                *marks,
                gr.skip(),
                *kept_edit,
            )
        return (
            "",
            question,
            gr.update(value="", visible=False),
            *marks,
            gr.skip(),
            bool(editing),
            False,
            gr.update(visible=False),
        )

    def ask_stream(
        question: str | None,
        since: str,
        until: str,
        sources: list[str] | None,
        top_k: int,
        mode: str,
        as_of: str,
        conversation: int | None,
        search: str,
        replace: bool,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        """Answer `question` in the conversation, streaming; with `replace`, the last
        exchange (question and answer) is dropped from the store first, so the new one takes
        its place (regenerate, edit-and-resend)."""
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        owner = _owner(request)
        if date_problems(since, until, as_of):  # changed since `prepare` looked: ask again
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        filters, day = _filters(since, until, sources), validate.day(as_of, "As of")
        if not kept.owns(owner, conversation):
            conversation = kept.create(owner, question)
        elif replace and conversation not in running:
            kept.drop_last_exchange(owner, conversation)
        earlier = kept.messages(owner, conversation)
        asked = searched_so_far(earlier)
        kept.add(
            owner,
            conversation,
            "user",
            question,
            asked_with={
                "since": since or "",
                "until": until or "",
                "sources": list(sources or []),
                "top_k": int(top_k),
                "mode": mode,
                "as_of": as_of or "",
            },
        )
        history, _ = render_history(earlier)
        history.append({"role": "user", "content": question})
        listing = conversation_choices(owner, search, conversation)
        history.append({"role": "assistant", "content": pending_message("reading the question")})
        yield history, sources_html(None), conversation, listing
        events: queue.Queue = queue.Queue()
        stopped = threading.Event()
        running[conversation] = (stopped, events)

        def token(text: str) -> None:
            if stopped.is_set():
                raise _Stopped()
            events.put(("token", text))

        def work() -> None:
            try:
                with lock:
                    if stopped.is_set():
                        return
                    turn = assistant.next_turn(asked, question)
                    answer = assistant.ask(
                        turn.question,
                        filters=filters,
                        top_k=int(top_k),
                        mode=mode,
                        as_of=day,
                        on_token=token,
                        on_retry=lambda r, w: events.put(("retry", r)),
                        on_stage=lambda s: events.put(("stage", s)),
                        topic=turn.topic,
                    )
                events.put(("done", (answer, turn.searched)))
            except _Stopped:
                return
            except Exception as err:  # the chat must hear of every failure, or it waits on
                events.put(("error", for_people(err, "answering")))  # forever; in its message

        threading.Thread(target=work, daemon=True).start()
        streamed = ""
        try:
            while True:
                kind, payload = events.get()
                if kind == "token":
                    streamed += payload
                    history[-1] = {
                        "role": "assistant",
                        "content": as_text(streamed) + "\n\n" + pending_message("writing"),
                    }
                elif kind == "stage":
                    history[-1] = {"role": "assistant", "content": pending_message(payload)}
                elif kind == "retry":
                    streamed = ""
                    history[-1] = {
                        "role": "assistant",
                        "content": pending_message(f"{payload}; retrying"),
                    }
                elif kind == "stopped":
                    text = "*Stopped before the answer was finished.*"
                    kept.add(owner, conversation, "assistant", text)
                    history[-1] = {"role": "assistant", "content": text}
                    yield history, gr.skip(), conversation, gr.skip()
                    return
                elif kind == "error":
                    text = f"**Could not answer:** {as_text(payload)}"
                    kept.add(owner, conversation, "assistant", text)
                    history[-1] = {"role": "assistant", "content": text}
                    yield history, gr.skip(), conversation, gr.skip()
                    return
                else:
                    answer, searched = payload
                    kept.add(
                        owner, conversation, "assistant", answer.answer, answer.to_json(), searched
                    )
                    history[-1] = {
                        "role": "assistant",
                        "content": chat_message(answer, searched, question),
                    }
                    yield history, sources_html(answer), conversation, gr.skip()
                    return
                yield history, gr.skip(), conversation, gr.skip()
        finally:
            stopped.set()  # a closed page, like Stop, ends the LLM stream at its next token
            if running.get(conversation, (None,))[0] is stopped:
                del running[conversation]

    def regenerate(conversation: int | None, request: gr.Request) -> tuple[Any, ...]:
        """Ask the conversation's last question again with the filters and settings it was
        asked with (put back in their fields, so the reader sees them); its answer replaces
        the last one. An outlet since deleted is left out; a question kept before questions
        kept their filters is asked with the fields as they stand. Nothing happens while an
        answer is still being written, or in an empty chat."""
        owner = _owner(request)
        asked = (
            [m for m in kept.messages(owner, conversation) if m.role == "user"]
            if kept.owns(owner, conversation)
            else []
        )
        if not asked or conversation in running:
            return (None, False, *[gr.skip()] * 6)
        last, used = asked[-1], asked[-1].asked_with
        if not used:
            return (last.text, True, *[gr.skip()] * 6)
        outlets_now = assistant.sources()
        mode_now = used.get("mode") if used.get("mode") in modes else gr.skip()
        return (
            last.text,
            True,
            used.get("since", ""),
            used.get("until", ""),
            [s for s in used.get("sources", []) if s in outlets_now],
            used.get("top_k", settings.top_k),
            mode_now,
            used.get("as_of", ""),
        )

    def edit_last(conversation: int | None, request: gr.Request) -> tuple[Any, ...]:
        """Put the last question back in the box; sending it replaces the last exchange."""
        last = kept.last_question(_owner(request), conversation)
        if last is None:
            return gr.skip(), False, gr.update(visible=False)
        note = "*Editing the last question: sending it replaces that question and its answer.*"
        return last, True, gr.update(value=note, visible=True)

    def picked_suggestion(picked: gr.SelectData) -> str:
        """The suggested question clicked in the empty chat, put in the box to be asked."""
        return str((picked.value or {}).get("text", ""))

    def stop(conversation: int | None, request: gr.Request) -> None:
        """End the answer being written: the chat says so at once, and an LLM stream is
        closed at its next token (an extractive answer finishes unseen in the background)."""
        if not kept.owns(_owner(request), conversation):
            return
        if (current := running.get(conversation)) is not None:
            signal, events = current
            signal.set()
            events.put(("stopped", None))

    def open_conversation(conversation: int | None, request: gr.Request) -> tuple[Any, ...]:
        owner = _owner(request)
        if not kept.owns(owner, conversation):
            return [], sources_html(None), None, ""
        history, last = render_history(kept.messages(owner, conversation))
        return history, sources_html(last), conversation, kept.title(owner, conversation)

    def find_conversations(text: str, conversation: int | None, request: gr.Request) -> Any:
        return conversation_choices(_owner(request), text, conversation)

    def new_conversation(search: str, request: gr.Request) -> tuple[Any, ...]:
        return [], sources_html(None), None, "", conversation_choices(_owner(request), search)

    def rename_conversation(
        conversation: int | None, title: str, search: str, request: gr.Request
    ) -> Any:
        owner = _owner(request)
        if conversation is not None:
            kept.rename(owner, conversation, title or "")
        return conversation_choices(owner, search, conversation)

    def delete_conversation(
        conversation: int | None, search: str, confirmed: bool, request: gr.Request
    ) -> tuple[Any, ...]:
        """Delete only when the browser's confirm() said OK; Cancel changes nothing.

        The answer travels in `confirmed` (a plain component) because Gradio hands a
        gr.State input its server-side value, whatever the `js=` step returned for it."""
        if not confirmed:
            return tuple(gr.skip() for _ in range(5))
        owner = _owner(request)
        if conversation is not None:
            kept.delete(owner, conversation)
        return [], sources_html(None), None, "", conversation_choices(owner, search)

    def export_conversation(conversation: int | None, request: gr.Request) -> Any:
        owner = _owner(request)
        if not kept.owns(owner, conversation):
            return gr.update(value=None, visible=False)
        turns: list[tuple[str, Answer | None, str]] = []
        for m in kept.messages(owner, conversation):
            if m.role == "user":
                turns.append((m.text, None, "*(no answer)*"))
            elif turns:
                answer = Answer.from_json(m.answer) if m.answer is not None else None
                turns[-1] = (turns[-1][0], answer, m.text)
        title = kept.title(owner, conversation)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "conversation"
        folder = exports / hashlib.sha256(owner.encode()).hexdigest()[:12]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug}-{conversation}.md"
        path.write_text(conversation_markdown(title, turns), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def api_ask_as_of(
        question: str,
        since: str = "",
        until: str = "",
        sources: list[str] | None = None,
        top_k: int = 6,
        as_of: str = "",
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

    def api_ask(
        question: str,
        since: str = "",
        until: str = "",
        sources: list[str] | None = None,
        top_k: int = 6,
    ) -> dict:
        """Answer a question; returns the same JSON object as `rag ask --json`."""
        return api_ask_as_of(question, since, until, sources, top_k)

    def upload(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        """Add the files one at a time, so the bar moves per file ("Adding file 2 of 3"; no
        name, since the results table below lists names as they are done); over the
        file-count limit they are refused together, as before. Gradio's temporary copy of
        each file is removed once it is kept or refused."""
        pairs = [(Path(f).name, Path(f)) for f in files or []]
        batches = [pairs] if len(pairs) > settings.ui_max_files else [[p] for p in pairs]
        results: list[UploadResult] = []
        try:
            for done, batch in enumerate(batches):
                progress(
                    done / max(len(batches), 1), desc=f"Adding file {done + 1} of {len(batches)}"
                )
                try:
                    with lock:
                        results += save_and_ingest(assistant, batch)
                except StoreUnavailable as err:
                    results += [UploadResult(name, "rejected", str(err)) for name, _ in batch]
                except Exception as err:
                    raise as_gradio_error(err, "adding the files") from err
        finally:
            discard_temp_copies(Path(f) for f in files or [])
        progress(1.0, desc="Done")
        table = [[r.file, r.result, r.detail] for r in results]
        return (table, *library_view())

    def ask_to_delete(doc_id: str | None) -> tuple[Any, Any, Any, Any]:
        """The first click on Delete only asks, naming the article."""
        record = assistant.library().get(doc_id or "")
        if not doc_id or record is None:
            return "Pick an article to delete.", "", gr.update(visible=False), None
        title = as_text(record.title or doc_id)
        said = ", ".join(x for x in (record.source, record.date) if x)
        question = (
            f"Delete **{title}** ({code_span(doc_id)}"
            f"{', ' + as_text(said) if said else ''}) "
            f"and its {record.chunks} passages? This cannot be undone."
        )
        return "", question, gr.update(visible=True), doc_id

    def delete(doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            return (*library_view(), "Nothing to delete.", gr.update(visible=False), None)
        try:
            with lock:
                gone = assistant.delete(doc_id)
        except StoreUnavailable as err:
            return (
                *library_view(),
                f"**Not deleted:** {as_text(str(err))}",
                gr.update(visible=False),
                None,
            )
        except Exception as err:
            raise as_gradio_error(err, f"deleting {doc_id}") from err
        message = f"Deleted {code_span(doc_id)}." if gone else f"{code_span(doc_id)} is not stored."
        return (*library_view(), message, gr.update(visible=False), None)

    def add_feed(url: str | None) -> tuple[Any, ...]:
        """Watch a feed: the URL is checked and its first poll runs now (its articles are
        stored), and what it brought is said; a refused feed is said in one line and kept
        out of the list."""
        url = (url or "").strip()
        try:
            before = assistant.watched_feeds()
            with lock:
                line = assistant.watch_feed(url)
            title = assistant.watched_feeds().get(line.url)
        except (ValueError, StoreUnavailable) as err:
            return (*feeds_view(), f"**Not added:** {as_text(str(err))}", url, *library_view())
        except Exception as err:
            raise as_gradio_error(err, f"adding the feed {url}") from err
        said = feed_poll_markdown(line, title.title if title else "", line.url in before, given=url)
        if title and title.last_problems:
            said += "\n\n" + "\n".join(f"- {as_text(p)}" for p in title.last_problems)
        return (*feeds_view(), said, "", *library_view())

    def ask_to_unwatch(url: str | None) -> tuple[Any, Any, Any, Any]:
        """The first click on Stop watching only asks, naming the feed."""
        state = assistant.watched_feeds().get(url or "")
        if not url or state is None:
            return "Pick a feed to stop watching.", "", gr.update(visible=False), None
        name = f"**{as_text(state.title)}** ({code_span(url)})" if state.title else code_span(url)
        brought = state.totals.get("new", 0)
        kept = (
            f"The {brought} article{'s' if brought != 1 else ''} it brought stay"
            if brought
            else "Its articles stay"
        )
        question = (
            f"Stop watching {name}? It will not be polled again. {kept} in the "
            "library (delete them above if you want them gone)."
        )
        return "", question, gr.update(visible=True), url

    def unwatch(url: str | None) -> tuple[Any, ...]:
        if not url:
            return (*feeds_view(), "Nothing to remove.", gr.update(visible=False), None)
        try:
            gone = assistant.unwatch_feed(url)
        except ValueError as err:
            return (
                *feeds_view(),
                f"**Not removed:** {as_text(str(err))}",
                gr.update(visible=False),
                None,
            )
        except Exception as err:
            raise as_gradio_error(err, f"removing the feed {url}") from err
        message = (
            f"No longer watching {code_span(url)}; its articles stay in the library."
            if gone
            else f"{code_span(url)} is not watched."
        )
        return (*feeds_view(), message, gr.update(visible=False), None)

    def briefing(topic_text: str, since: str, until: str) -> tuple[str | None, str]:
        if not (topic_text or "").strip():
            return None, "Give a topic."
        problems = date_problems(since, until, "")
        if problems:
            return None, "**" + " · ".join(problems.values()) + "**"
        with lock:
            try:
                markdown = render_markdown(
                    build_briefing(assistant, topic_text.strip(), _filters(since, until, None))
                )
            except ValueError as err:
                return None, f"**{err}**"
            except Exception as err:
                raise as_gradio_error(err, "writing the briefing") from err
        folder = settings.data_dir / "briefings"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", topic_text.lower()).strip("-")[:60] or "briefing"
        path = folder / f"{slug}.md"
        path.write_text(markdown, encoding="utf-8")
        return str(path), briefing_markdown(markdown)

    modes = ["extractive"] + (["llm"] if settings.llm_configured else [])
    with NewsBlocks(title="News Q&A") as app:
        conversation = gr.State(None)
        pending = gr.State(None)
        replace = gr.State(False)  # the pending question replaces the last exchange
        editing = gr.State(False)  # the box holds the last question, being edited
        doomed = gr.State(None)
        doomed_feed = gr.State(None)
        with gr.Sidebar(label="Conversations", open=True, elem_id="sidebar"):
            new_chat = gr.Button("New conversation", size="sm", elem_id="new-chat")
            search = gr.Textbox(
                placeholder="Search conversations…", show_label=False, elem_id="conv-search"
            )
            listing = gr.Radio(choices=[], label="Conversations", elem_id="conv-list")
            with gr.Accordion("Rename or delete", open=False, elem_id="conv-manage"):
                title = gr.Textbox(label="Title", elem_id="conv-title")
                with gr.Row():
                    rename = gr.Button("Rename", size="sm", elem_id="conv-rename")
                    forget = gr.Button("Delete", size="sm", variant="stop", elem_id="conv-delete")
                # what confirm() answered, filled in by the Delete button's js= step
                forget_ok = gr.Checkbox(False, visible=False, elem_id="conv-delete-ok")
            export = gr.Button("Download conversation (.md)", size="sm", elem_id="export")
            export_file = gr.File(
                label="Conversation as Markdown", elem_id="export-file", height=90, visible=False
            )
        gr.Markdown(
            "## Ask the news\nAnswers quote and cite the articles; click a `[n]` "
            "to see its passage."
        )
        status = gr.Markdown(store_line(), elem_id="store-line")
        with gr.Tab("Ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    placeholder, examples = empty_chat()
                    chat = gr.Chatbot(
                        label="Conversation",
                        height=520,
                        elem_id="chat",
                        buttons=[],
                        feedback_options=None,
                        sanitize_html=True,
                        placeholder=placeholder,
                        examples=examples or None,
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            placeholder="Ask about the articles…",
                            show_label=False,
                            scale=5,
                            elem_id="question",
                        )
                        send = gr.Button(
                            "Ask", variant="primary", scale=0, min_width=80, elem_id="ask"
                        )
                        halt = gr.Button(
                            "Stop", variant="secondary", scale=0, min_width=70, elem_id="stop"
                        )
                    problem = gr.Markdown(visible=False, elem_id="ask-error")
                    edit_note = gr.Markdown(visible=False, elem_id="edit-note")
                    with gr.Row():
                        again = gr.Button(
                            "Regenerate last answer", size="sm", scale=0, elem_id="regenerate"
                        )
                        edit = gr.Button(
                            "Edit last question", size="sm", scale=0, elem_id="edit-last"
                        )
                    with gr.Accordion(
                        "Filters and settings", open=False, elem_id="filters"
                    ) as filters_box:
                        with gr.Row():
                            since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="since")
                            until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="until")
                            as_of = gr.Textbox(
                                label="As of (YYYY-MM-DD; default today)", elem_id="as-of"
                            )
                        outlets = gr.Dropdown(
                            choices=assistant.sources(),
                            multiselect=True,
                            label="Outlets",
                            elem_id="outlets",
                        )
                        top_k = gr.Slider(
                            1, 12, value=settings.top_k, step=1, label="Passages to answer from"
                        )
                        mode = gr.Radio(
                            modes,
                            value="llm" if settings.use_llm else "extractive",
                            label="Answer mode",
                        )
                        gr.Markdown(
                            f"Store: `{assistant.store.location}` · collection "
                            f"`{settings.collection}`",
                            elem_id="store-path",
                        )
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    panel = gr.HTML(sources_html(None), elem_id="sources")
        with gr.Tab("Briefing"):
            with gr.Row():
                topic = gr.Textbox(
                    label="Topic",
                    placeholder="e.g. Israel–Hezbollah border",
                    scale=4,
                    elem_id="topic",
                )
                b_since = gr.Textbox(label="From (YYYY-MM-DD)", scale=1)
                b_until = gr.Textbox(label="To (YYYY-MM-DD)", scale=1)
            make = gr.Button("Write briefing", variant="primary", elem_id="brief")
            download = gr.File(label="Markdown", elem_id="brief-file")
            report = gr.Markdown(elem_id="brief-text")
        with gr.Tab("Library"):
            uploads = gr.File(
                label="Add articles (" + " ".join(ACCEPTED) + ")",
                file_count="multiple",
                file_types=ACCEPTED,
                elem_id="upload",
            )
            add = gr.Button("Add to library", variant="primary", elem_id="add")
            results = gr.Dataframe(
                headers=["file", "result", "detail"],
                label="Upload results",
                elem_id="upload-results",
                interactive=False,
            )
            articles = gr.Dataframe(
                value=library_rows(),
                label="Stored articles",
                headers=["id", "date", "outlet", "title", "chunks"],
                interactive=False,
                elem_id="articles",
            )
            with gr.Row():
                victim = gr.Dropdown(
                    choices=[], value=None, label="Article to delete", elem_id="victim"
                )
                remove = gr.Button("Delete article…", variant="stop", elem_id="delete")
            with gr.Row(visible=False, elem_id="confirm-delete") as confirm_row:
                confirm_text = gr.Markdown(elem_id="confirm-text")
                confirm = gr.Button(
                    "Yes, delete it", variant="stop", size="sm", elem_id="confirm-yes"
                )
                cancel = gr.Button("Keep it", size="sm", elem_id="confirm-no")
            deleted = gr.Markdown(elem_id="deleted")
            gr.Markdown(
                "### Watched feeds\nRSS, Atom or JSON feeds polled by `rag watch` "
                "(run with no feed arguments, it polls this list)."
            )
            feeds = gr.Dataframe(
                value=[],
                headers=FEED_HEADERS,
                label="Watched feeds",
                interactive=False,
                wrap=True,
                elem_id="feeds",
                column_widths=["28%", "16%", "14%", "26%", "16%"],
            )
            with gr.Row():
                feed_url = gr.Textbox(
                    label="Feed address",
                    scale=4,
                    elem_id="feed-url",
                    placeholder="https://example.com/rss.xml",
                )
                watch = gr.Button("Watch feed", variant="primary", scale=1, elem_id="feed-add")
            feed_said = gr.Markdown(elem_id="feed-result")
            with gr.Row():
                unwanted = gr.Dropdown(
                    choices=[], value=None, label="Feed to stop watching", elem_id="feed-victim"
                )
                unwatch_button = gr.Button("Stop watching…", variant="stop", elem_id="feed-remove")
            with gr.Row(visible=False, elem_id="confirm-unwatch") as unwatch_row:
                unwatch_text = gr.Markdown(elem_id="unwatch-text")
                unwatch_yes = gr.Button(
                    "Yes, stop watching", variant="stop", size="sm", elem_id="unwatch-yes"
                )
                unwatch_no = gr.Button("Keep watching", size="sm", elem_id="unwatch-no")

        library_outputs = [articles, status, outlets, victim]
        feed_outputs = [feeds, unwanted]
        app.load(
            on_load,
            None,
            [*library_outputs, *feed_outputs, listing, chat],
            api_visibility="private",
        )
        checks = [
            question,
            pending,
            problem,
            since,
            until,
            as_of,
            filters_box,
            replace,
            editing,
            edit_note,
        ]
        streamed = [chat, panel, conversation, listing]
        answer_inputs = [
            pending,
            since,
            until,
            outlets,
            top_k,
            mode,
            as_of,
            conversation,
            search,
            replace,
        ]
        for trigger in (send.click, question.submit):
            trigger(
                prepare,
                [question, since, until, as_of, editing],
                checks,
                api_visibility="private",
                show_progress="hidden",
                trigger_mode="multiple",
            ).then(
                ask_stream,
                answer_inputs,
                streamed,
                api_visibility="private",
                show_progress="hidden",
            )
        # a suggested question in the empty chat is asked as if typed
        chat.example_select(
            picked_suggestion, None, [question], api_visibility="private", show_progress="hidden"
        ).then(
            prepare,
            [question, since, until, as_of, editing],
            checks,
            api_visibility="private",
            show_progress="hidden",
        ).then(
            ask_stream, answer_inputs, streamed, api_visibility="private", show_progress="hidden"
        )
        again.click(
            regenerate,
            [conversation],
            [pending, replace, since, until, outlets, top_k, mode, as_of],
            api_visibility="private",
            show_progress="hidden",
        ).then(
            ask_stream, answer_inputs, streamed, api_visibility="private", show_progress="hidden"
        )
        edit.click(
            edit_last,
            [conversation],
            [question, editing, edit_note],
            api_visibility="private",
            show_progress="hidden",
        )
        halt.click(stop, [conversation], None, api_visibility="private")
        new_chat.click(
            new_conversation,
            [search],
            [chat, panel, conversation, title, listing],
            api_visibility="private",
        ).then(
            lambda: (False, gr.update(visible=False)),
            None,
            [editing, edit_note],
            api_visibility="private",
        )
        listing.input(
            open_conversation,
            [listing],
            [chat, panel, conversation, title],
            api_visibility="private",
        ).then(
            lambda: (False, gr.update(visible=False)),
            None,
            [editing, edit_note],
            api_visibility="private",
        )
        search.change(
            find_conversations,
            [search, conversation],
            [listing],
            api_visibility="private",
            show_progress="hidden",
        )
        rename.click(
            rename_conversation, [conversation, title, search], [listing], api_visibility="private"
        )
        forget.click(
            delete_conversation,
            [conversation, search, forget_ok],
            [chat, panel, conversation, title, listing],
            api_visibility="private",
            js="(c, s) => [c, s, confirm('Delete this conversation and all its answers?')]",
        )
        export.click(export_conversation, [conversation], [export_file], api_visibility="private")
        add.click(
            upload,
            [uploads],
            [results, *library_outputs],
            api_visibility="private",
            show_progress_on=[results],
        )
        remove.click(
            ask_to_delete,
            [victim],
            [deleted, confirm_text, confirm_row, doomed],
            api_visibility="private",
        )
        confirm.click(
            delete,
            [doomed],
            [*library_outputs, deleted, confirm_row, doomed],
            api_visibility="private",
        )
        cancel.click(
            lambda: ("Nothing was deleted.", gr.update(visible=False), None),
            None,
            [deleted, confirm_row, doomed],
            api_visibility="private",
        )
        for trigger in (watch.click, feed_url.submit):
            trigger(
                add_feed,
                [feed_url],
                [*feed_outputs, feed_said, feed_url, *library_outputs],
                api_visibility="private",
                show_progress_on=[feed_said],
            )
        unwatch_button.click(
            ask_to_unwatch,
            [unwanted],
            [feed_said, unwatch_text, unwatch_row, doomed_feed],
            api_visibility="private",
        )
        unwatch_yes.click(
            unwatch,
            [doomed_feed],
            [*feed_outputs, feed_said, unwatch_row, doomed_feed],
            api_visibility="private",
        )
        unwatch_no.click(
            lambda: ("Still watching it.", gr.update(visible=False), None),
            None,
            [feed_said, unwatch_row, doomed_feed],
            api_visibility="private",
        )
        make.click(
            briefing, [topic, b_since, b_until], [download, report], api_visibility="private"
        )
        gr.api(api_ask, api_name="ask")
        gr.api(api_ask_as_of, api_name="ask_as_of")
    return app


def launch_options(settings: Settings) -> dict[str, Any]:
    """What the app is served with, whether by Gradio's own `launch` or mounted on FastAPI
    for several workers (`ui.workers`): the login, upload limit, page style and files."""
    auth = None
    if settings.ui_auth:
        user, _, password = settings.ui_auth.get_secret_value().partition(":")
        if not user or not password:
            raise ValueError("RAG_UI_AUTH must be 'user:password'")
        auth = (user, password)
    from starlette.middleware import Middleware

    from ui.auth import LoginRequired

    return dict(
        auth=auth,
        app_kwargs={"middleware": [Middleware(LoginRequired)]},
        max_file_size=int(settings.ui_max_upload_mb * 1_048_576),
        css=CSS,
        head=HEAD,
        footer_links=["api"],
        # our handlers word their errors (ui.failures); Gradio's own stay in the log
        show_error=False,
        allowed_paths=[str(settings.data_dir / "briefings")],
    )


def launch(
    assistant: Assistant, host: str | None = None, port: int | None = None, share: bool = False
) -> None:
    settings = assistant.settings
    options = launch_options(settings)
    assistant.warm_up()  # four requests may run at once: nothing loads for the first time in two
    build_app(assistant).queue(default_concurrency_limit=4).launch(
        server_name=host or settings.ui_host,
        server_port=port or settings.ui_port,
        share=share,
        quiet=False,
        **options,
    )
