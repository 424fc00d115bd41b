"""The Gradio app: the page (`ui.layout`) wired to its controllers (`ui.controllers`).

Everything it answers comes from `rag.assistant.Assistant`; the controllers do the work per
area (the chat, the sidebar's conversations, the library and its watched feeds, the
briefing, the `/ask` API) and return `{component: value}`, and this module only says which
event calls which handler with which inputs. The page's style and script are static files
(`ui.assets`). `launch_options` is what the app is served with, by `launch` here or by
several workers (`ui.workers`).
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from gradio.blocks import Block
from gradio.events import api as endpoint

from rag import Assistant, Settings
from ui.api import api_routes, keys_of
from ui.assets import CSS, HEAD
from ui.controllers.api import ApiController
from ui.controllers.article import ArticleController
from ui.controllers.asked_first import AskedFirst
from ui.controllers.briefing import BriefingController
from ui.controllers.chat import ChatController, empty_chat
from ui.controllers.feeds import FeedsController
from ui.controllers.filters import FiltersController
from ui.controllers.library import LibraryController, library_rows, store_line
from ui.controllers.shared import Outputs, Shared, owner
from ui.controllers.sidebar import SidebarController
from ui.controllers.topics import TopicsController
from ui.failures import NewsBlocks
from ui.layout import Opening, Page

PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # no API endpoint for page events
QUIET: dict[str, Any] = {**PRIVATE, "show_progress": "hidden"}
# Events that rewrite the conversation list run one at a time, in the order they were
# made: a search typed right after a rename must not be answered from before the rename
# and land last, hiding the renamed conversation.
LISTING: dict[str, Any] = {"concurrency_id": "conversation-list", "concurrency_limit": 1}
# The chat's streams only relay an answer written in its own thread (`AnswerRun`, one at a
# time): bounded, readers waiting behind one answer filled every place and a question sent
# then showed nothing until one was free. Unbounded, it shows at once and says it waits.
RELAY: dict[str, Any] = {"concurrency_limit": None}
# A request made while the same one still runs is done after it (Gradio's default, "once",
# drops it unseen: a second question, the files chosen next, another topic or feed). Each
# handler takes its input with its own event, so two never meet in between.
EVERY: dict[str, Any] = {"trigger_mode": "multiple"}


def asks_first(button: gr.Button, choice: Block, removal: AskedFirst) -> None:
    """`button` asks about the `choice` in the removal's row; its yes removes, its no keeps."""
    confirm = removal.confirm
    shown = f"() => ragShow('#{confirm.elem_id}')"  # the question is brought to the click
    button.click(removal.ask_first, [choice], removal.asked, **PRIVATE).then(
        None, None, None, js=shown
    )
    confirm.yes.click(removal.remove, [confirm.doomed], removal.answered, **PRIVATE)
    confirm.no.click(removal.keep, None, removal.asked, **PRIVATE)


def opening(shared: Shared) -> Opening:
    """What a fresh page shows, read from the store now."""
    assistant, settings = shared.assistant, shared.settings
    placeholder, examples = empty_chat(assistant)
    return Opening(
        store_line=store_line(assistant),
        placeholder=placeholder,
        examples=examples,
        library_rows=library_rows(assistant),
        outlets=assistant.sources(),
        modes=shared.modes,
        default_mode="llm" if settings.use_llm else "extractive",
        top_k=settings.top_k,
        store=f"Store: `{assistant.store.location}` · collection `{settings.collection}`",
    )


def build_app(assistant: Assistant, shared: Shared | None = None) -> gr.Blocks:
    """The page on `assistant`; `shared` is the state it shares with the API (one lock)."""
    shared = shared or Shared.open(assistant)
    app = NewsBlocks(title="News Q&A")
    with app:
        page = Page(opening(shared))
        chat = ChatController(shared, page)
        bar = SidebarController(shared, page)
        library = LibraryController(shared, page)
        feeds = FeedsController(shared, page, library)
        api = ApiController(shared)
        ask, states, side = page.ask, page.states, page.sidebar

        def on_load(request: gr.Request) -> Outputs:
            """A (re)loaded page reads the library, feeds, conversations and suggestions, and
            opens the conversation its address names (`?c=ID`): a reload, a bookmark, or the
            browser's back and forward (the page script reloads on them)."""
            placeholder, examples = empty_chat(assistant)
            suggestions = gr.update(placeholder=placeholder, examples=examples or None)
            listing = shared.conversation_choices(owner(request))
            address = str(request.query_params.get("c", "")).strip()
            opened = bar.opened_at(address, request)
            view = library.view() | feeds.view() | {side.listing: listing}
            return view | opened | {ask.chat: opened.get(ask.chat, suggestions)}

        loaded = [*library.viewed, *feeds.viewed, *bar.opened]
        # a conversation opened while its answer is still being written follows it
        resumed: dict[str, Any] = {"fn": chat.resume, "inputs": [states.conversation]}
        resumed |= {"outputs": chat.streamed, **QUIET, **RELAY}
        app.load(on_load, None, loaded, **PRIVATE).then(**resumed)
        app.unload(shared.closed)  # forget what the closed page showed
        # the handlers that change the open conversation name it in `address` (and fill the
        # Download button with it); the page script writes it into the page's address
        states.address.change(None, [states.address], None, js="(c) => ragAddress(c)")

        chosen = FiltersController(page)  # the line beside the box naming active filters
        for field in chosen.fields:
            field.change(chosen.show, chosen.fields, chosen.shown, **QUIET)
        ask.clear_filters.click(chosen.clear, None, chosen.cleared, **QUIET)

        # a question comes with its own send: two sent back to back never meet in a state
        sent_with = [ask.question, ask.since, ask.until, ask.outlets, ask.top_k, ask.mode]
        sent_with += [ask.as_of, states.conversation, side.search, states.editing]
        n = len(sent_with)
        # Every send runs, even while an answer is being written; the chat makes a later
        # question wait its turn. The page's script empties the box as a question is sent.
        sent: dict[str, Any] = {**EVERY, **QUIET, **RELAY}
        typed = f"(...a) => ragSent('#question textarea', a.slice(0, {n}))"
        for trigger in (ask.send.click, ask.question.submit):
            trigger(chat.send, sent_with, chat.sent_to, js=typed, **sent)
        # a suggested question in the empty chat, or a suggested next one under the latest
        # answer, is asked as if typed, leaving what the box holds alone
        ask.chat.example_select(chat.send_suggestion, sent_with[1:], chat.sent_to, **sent)
        follow = f"(...a) => [window.ragFollowUp, ...a.slice(1, {n})]"
        ask.follow_up.click(chat.send, sent_with, chat.sent_to, js=follow, **sent)
        answer_inputs = [states.pending, ask.since, ask.until, ask.outlets, ask.top_k, ask.mode]
        answer_inputs += [ask.as_of, states.conversation, side.search, states.replace]
        ask.again.click(chat.regenerate, [states.conversation], chat.asked_again, **QUIET).then(
            chat.ask_stream, answer_inputs, chat.streamed, **QUIET, **RELAY
        )
        ask.edit.click(chat.edit_last, [states.conversation], chat.edited, **QUIET)
        ask.halt.click(chat.stop, [states.conversation], None, **PRIVATE)
        ask.take_back.click(  # a "take back" link in the note of waiting questions
            chat.take_back,
            [ask.question, ask.question, states.conversation],
            chat.taken_back,
            js="(w, box, c) => [window.ragTakeBack, box, c]",
            **EVERY,
            **PRIVATE,
        )

        # the chat's own Clear button (Gradio's, top right) empties the page as New
        # conversation does: the cleared one stays kept and listed, and the next question
        # starts another instead of landing, unseen, in the one cleared away
        for anew in (side.new_chat.click, ask.chat.clear):
            anew(bar.new, [side.search], bar.cleared, **PRIVATE, **LISTING).then(
                bar.leave_editing, None, bar.not_editing, **PRIVATE
            )
        side.listing.input(bar.open, [side.listing], bar.shown, **PRIVATE, **LISTING).then(
            bar.leave_editing, None, bar.not_editing, **PRIVATE
        ).then(**resumed)
        side.search.change(
            bar.find, [side.search, states.conversation], [side.listing], **QUIET, **LISTING
        )
        side.rename.click(
            bar.rename,
            [states.conversation, side.title, side.search],
            [side.listing],
            **PRIVATE,
            **LISTING,
        ).then(bar.export, [states.conversation], [side.export], **QUIET)
        side.forget.click(
            bar.delete,
            [states.conversation, side.search, side.forget_ok],
            bar.undoable,
            **PRIVATE,
            **LISTING,
            js="(c, s) => [c, s, confirm('Delete this conversation and all its answers?')]",
        )

        reading, article = ArticleController(shared, page), page.ask.article
        article.open.click(  # "Read the article" on a source card (ui/static/app.js)
            reading.show, [article.wanted], reading.shown, js="() => [window.ragWanted]", **QUIET
        ).then(None, None, None, js="() => ragQuote()")
        page.ask.article.close.click(reading.close, None, reading.shown, **QUIET)

        side.undo.click(
            bar.undo, [side.deleted, side.search], bar.undoable, **PRIVATE, **LISTING
        ).then(bar.leave_editing, None, bar.not_editing, **PRIVATE)

        lib, watched = page.library, page.feeds
        # the box is emptied as Add is clicked: what it held goes with the click
        lib.add.click(
            library.upload,
            [lib.uploads],
            library.uploaded,
            show_progress_on=[lib.results],
            js="(files) => ragFilesSent(files)",
            **EVERY,
            **PRIVATE,
        )
        asks_first(lib.remove, lib.victim, library)
        lib.undo.click(library.undo, [lib.undo_doc], library.restored, **PRIVATE)
        # the address leaves its box as it is sent
        for trigger in (watched.watch.click, watched.url.submit):
            trigger(
                feeds.add,
                [watched.url],
                feeds.added,
                show_progress_on=[watched.said],
                js="(u) => ragSent('#feed-url input, #feed-url textarea', [u])",
                **EVERY,
                **PRIVATE,
            )
        asks_first(watched.remove, watched.unwanted, feeds)

        brief, briefings = page.briefing, BriefingController(shared, page)
        app.load(briefings.view, None, briefings.listed, **PRIVATE)
        brief.make.click(
            briefings.write,
            [brief.topic, brief.since, brief.until],
            briefings.written,
            **EVERY,
            **PRIVATE,
        )
        brief.kept.input(briefings.open, [brief.kept], briefings.written, **PRIVATE)
        brief.remove.click(
            briefings.delete,
            [brief.kept, brief.remove_ok],
            briefings.written,
            js="(k, ok) => [k, confirm('Delete this briefing?')]",
            **PRIVATE,
        )
        topics = TopicsController(shared, page)
        app.load(topics.view, None, topics.listed, **PRIVATE)
        brief.follow.click(
            topics.follow, [brief.topic, brief.since, brief.until], topics.shown, **EVERY, **PRIVATE
        )
        brief.topics.input(topics.open, [brief.topics], topics.shown, **PRIVATE)
        brief.refresh.click(topics.refresh_all, None, topics.shown, **PRIVATE)
        endpoint(api.ask, api_name="ask")
        endpoint(api.ask_as_of, api_name="ask_as_of")
    return app


def launch_options(settings: Settings, api: Shared | None = None) -> dict[str, Any]:
    """What the app is served with, whether by Gradio's own `launch` or mounted on FastAPI
    for several workers (`ui.workers`): the login, upload limit, page style and files, and
    with `api` (the state the page shares) the API's routes (`ui.api`). A bad login or key
    setting is a `ValueError` naming it."""
    auth = None
    if settings.ui_auth:
        user, _, password = settings.ui_auth.get_secret_value().partition(":")
        if not user or not password:
            raise ValueError("RAG_UI_AUTH must be 'user:password'")
        auth = (user, password)
    from starlette.middleware import Middleware

    from ui.auth import LoginRequired

    app_kwargs: dict[str, Any] = {"middleware": [Middleware(LoginRequired)]}
    if api is not None:  # a bad key or key file is said before anything is served
        app_kwargs["routes"], app_kwargs["lifespan"] = api_routes(api)
    else:
        keys_of(settings)
    return dict(
        auth=auth,
        app_kwargs=app_kwargs,
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
    shared = Shared.open(assistant)
    # a share link reaches this server from the tunnel on loopback: without keys the API's
    # loopback rule would let the whole internet in, so it is served with keys only
    with_api = not share or keys_of(settings).configured
    options = launch_options(settings, shared if with_api else None)
    if not with_api:
        print("The API (/v1, /api, /mcp) is off with --share until RAG_API_KEYS is set.")
    assistant.warm_up()  # four requests may run at once: nothing loads for the first time in two
    build_app(assistant, shared).queue(default_concurrency_limit=4).launch(
        server_name=host or settings.ui_host,
        server_port=port or settings.ui_port,
        share=share,
        quiet=False,
        **options,
    )
