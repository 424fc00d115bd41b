"""The page's components, laid out: one class per region, each building itself in place.

`Page` builds the whole page inside the open `NewsBlocks` (the sidebar of conversations,
the header, the Ask, Briefing and Library tabs) and keeps every component as a named
attribute, so controllers (`ui.controllers`) return `{component: value}` and `ui.app` wires
events by name. The values a fresh page shows come in as an `Opening`, read by the
controllers; this module reads nothing and handles no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from rag import SUPPORTED_SUFFIXES
from ui.render import FEED_HEADERS, LIBRARY_HEADERS, sources_html

ACCEPTED = SUPPORTED_SUFFIXES  # what ingest reads, so the picker offers exactly that


def outlets_hint(outlets: list[str]) -> str | None:
    """Why the Outlets list is empty, when it is (otherwise no words under it)."""
    if outlets:
        return None
    return "None of the stored articles names its outlet, so there is none to choose."


@dataclass(frozen=True)
class Opening:
    """What a page shows before its first load event refreshes it."""

    store_line: str  # the header: how many articles, which answer mode
    placeholder: str  # the empty chat's words
    examples: list[ExampleMessage]  # the suggested questions under them
    library_rows: list[list[Any]]
    outlets: list[str]
    modes: list[str]  # the answer modes offered; the first is the default without an LLM
    default_mode: str
    top_k: int
    store: str  # where the store is and which collection, said under the filters


class States:
    """Per-browser values no component shows."""

    def __init__(self) -> None:
        self.conversation = gr.State(None)
        self.pending = gr.State(None)  # the question Regenerate asks again
        self.replace = gr.State(False)  # the pending question replaces the last exchange
        self.editing = gr.State(False)  # the box holds the last question, being edited
        # the open conversation's id as text, mirrored into the page's address by the page
        # script (a gr.State's value never reaches the browser)
        self.address = gr.Textbox(visible="hidden", elem_id="conv-address")


class ConfirmRow:
    """A hidden row that asks before something is removed: the question, yes and no, and
    (in `doomed`) what a yes removes. `ids` are the elem_ids of the question and buttons."""

    def __init__(self, elem_id: str, ids: tuple[str, str, str], yes: str, no: str = "Keep it"):
        self.doomed = gr.State(None)
        self.elem_id = elem_id
        with gr.Row(visible=False, elem_id=elem_id) as row:
            self.text = gr.Markdown(elem_id=ids[0])
            self.yes = gr.Button(yes, variant="stop", size="sm", elem_id=ids[1])
            self.no = gr.Button(no, size="sm", elem_id=ids[2])
        self.row = row


class Sidebar:
    """The conversation list: new, search, open, rename, delete, download."""

    def __init__(self) -> None:
        with gr.Sidebar(label="Conversations", open=True, elem_id="sidebar"):
            self.new_chat = gr.Button("New conversation", size="sm", elem_id="new-chat")
            self.search = gr.Textbox(
                placeholder="Search conversations…", show_label=False, elem_id="conv-search"
            )
            self.listing = gr.Radio(choices=[], label="Conversations", elem_id="conv-list")
            with gr.Accordion("Rename or delete", open=False, elem_id="conv-manage"):
                self.title = gr.Textbox(label="Title", elem_id="conv-title")
                with gr.Row():
                    self.rename = gr.Button("Rename", size="sm", elem_id="conv-rename")
                    self.forget = gr.Button(
                        "Delete", size="sm", variant="stop", elem_id="conv-delete"
                    )
                # what confirm() answered, filled in by the Delete button's js= step
                self.forget_ok = gr.Checkbox(False, visible=False, elem_id="conv-delete-ok")
            with gr.Row(visible=False, elem_id="conv-undo-row") as self.undo_row:
                self.undo_note = gr.Markdown(elem_id="conv-undo-note")
                self.undo = gr.Button("Undo", size="sm", scale=0, elem_id="conv-undo")
            self.deleted = gr.State(None)  # the conversation Undo brings back
            # its file is rewritten whenever the open conversation changes, so one click
            # downloads the conversation on screen
            self.export = gr.DownloadButton(
                "Download conversation (.md)", size="sm", elem_id="export", interactive=False
            )


class AskTab:
    """The chat with its input, Stop, regenerate and edit, the filters, and the source panel."""

    def __init__(self, opening: Opening) -> None:
        with gr.Tab("Ask"), gr.Row():
            with gr.Column(scale=3):
                self.chat = gr.Chatbot(
                    label="Conversation",
                    height=520,
                    elem_id="chat",
                    buttons=[],
                    feedback_options=None,
                    sanitize_html=True,
                    placeholder=opening.placeholder,
                    examples=opening.examples or None,
                )
                with gr.Row():
                    self.question = gr.Textbox(
                        placeholder="Ask about the articles…",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                    )
                    self.send = gr.Button(
                        "Ask", variant="primary", scale=0, min_width=80, elem_id="ask"
                    )
                    self.halt = gr.Button(
                        "Stop", variant="secondary", scale=0, min_width=70, elem_id="stop"
                    )
                with gr.Row(visible=False, elem_id="active-filters") as self.active_row:
                    self.active = gr.Markdown(elem_id="active-filters-text")
                    self.clear_filters = gr.Button(
                        "Clear filters", size="sm", scale=0, min_width=110, elem_id="clear-filters"
                    )
                # asks a suggested next question (its js= step hands over the link's text)
                self.follow_up = gr.Button(visible="hidden", elem_id="follow-up-ask")
                self.problem = gr.Markdown(visible=False, elem_id="ask-error")
                # questions sent while an answer is being written, waiting their turn
                self.waiting = gr.Markdown(visible=False, elem_id="ask-waiting")
                # takes back a waiting question (its js= step hands over the link's number)
                self.take_back = gr.Button(visible="hidden", elem_id="take-back")
                self.edit_note = gr.Markdown(visible=False, elem_id="edit-note")
                with gr.Row():
                    self.again = gr.Button(
                        "Regenerate last answer", size="sm", scale=0, elem_id="regenerate"
                    )
                    self.edit = gr.Button(
                        "Edit last question", size="sm", scale=0, elem_id="edit-last"
                    )
                self._filters(opening)
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                self.panel = gr.HTML(sources_html(None), elem_id="sources")
                # over the page when shown (fixed in place by the page style); built inside
                # the tab, since a component between two tabs splits the tab bar in two
                self.article = ArticleView()

    def last_exchange_buttons(self, writing: bool) -> dict[Any, Any]:
        """Regenerate and Edit act on the last exchange: greyed while its answer is being
        written (Stop ends it), as they are in the chat tools readers know."""
        return {button: gr.update(interactive=not writing) for button in (self.again, self.edit)}

    def _filters(self, opening: Opening) -> None:
        with gr.Accordion("Filters and settings", open=False, elem_id="filters") as box:
            with gr.Row():
                self.since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="since")
                self.until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="until")
                self.as_of = gr.Textbox(label="As of (YYYY-MM-DD; default today)", elem_id="as-of")
            self.outlets = gr.Dropdown(
                choices=opening.outlets,
                multiselect=True,
                label="Outlets",
                elem_id="outlets",
                info=outlets_hint(opening.outlets),
            )
            self.top_k = gr.Slider(
                1, 12, value=opening.top_k, step=1, label="Passages to answer from"
            )
            self.mode = gr.Radio(opening.modes, value=opening.default_mode, label="Answer mode")
            gr.Markdown(opening.store, elem_id="store-path")
        self.filters_box = box


class ArticleView:
    """The whole article a citation quotes, over the page, scrolled to the quote; Close hides
    it. The page script asks for one by clicking the hidden `open`, whose `js=` step hands
    over `{"doc", "quote"}` as the value of `wanted`."""

    def __init__(self) -> None:
        self.wanted = gr.Textbox(visible="hidden", elem_id="article-wanted")
        self.open = gr.Button(visible="hidden", elem_id="article-open")
        with gr.Column(visible=False, elem_id="article-view") as self.box:
            self.close = gr.Button("Close", size="sm", elem_id="article-close")
            self.text = gr.HTML(elem_id="article")


class BriefingTab:
    """Briefings kept like conversations: the list (open one, delete it), and a topic and
    dates in, a new briefing shown and offered as a Markdown file; topics followed above them
    (follow the topic typed, open one to read what changed, refresh them all)."""

    def __init__(self) -> None:
        with gr.Tab("Briefing"), gr.Row():
            with gr.Column(scale=1, min_width=240):
                # followed topics; "● " marks one with news this reader has not opened
                self.topics = gr.Radio(choices=[], label="Followed topics", elem_id="topic-list")
                self.refresh = gr.Button("Refresh topics", size="sm", elem_id="topics-refresh")
                self.kept = gr.Radio(choices=[], label="Kept briefings", elem_id="brief-list")
                self.remove = gr.Button(
                    "Delete this briefing",
                    size="sm",
                    variant="stop",
                    interactive=False,
                    elem_id="brief-delete",
                )
                # what confirm() answered, filled in by the Delete button's js= step
                self.remove_ok = gr.Checkbox(False, visible=False, elem_id="brief-delete-ok")
            with gr.Column(scale=4):
                with gr.Row():
                    self.topic = gr.Textbox(
                        label="Topic",
                        placeholder="e.g. Israel–Hezbollah border",
                        scale=4,
                        elem_id="topic",
                    )
                    self.since = gr.Textbox(label="From (YYYY-MM-DD)", scale=1)
                    self.until = gr.Textbox(label="To (YYYY-MM-DD)", scale=1)
                with gr.Row():
                    self.make = gr.Button("Write briefing", variant="primary", elem_id="brief")
                    self.follow = gr.Button("Follow this topic", elem_id="topic-follow")
                self.download = gr.File(label="Markdown", elem_id="brief-file")
                self.report = gr.Markdown(elem_id="brief-text")


class LibraryTab:
    """Uploads, the stored articles and deleting one (asked first); the watched feeds below."""

    def __init__(self, opening: Opening) -> None:
        self.uploads = gr.File(
            label="Add articles (" + " ".join(ACCEPTED) + ")",
            file_count="multiple",
            file_types=ACCEPTED,
            elem_id="upload",
        )
        self.add = gr.Button("Add to library", variant="primary", elem_id="add")
        self.results = gr.Dataframe(
            headers=["file", "result", "detail"],
            label="Upload results",
            elem_id="upload-results",
            interactive=False,
        )
        self.articles = gr.Dataframe(
            value=opening.library_rows,
            label="Stored articles",
            headers=LIBRARY_HEADERS,
            interactive=False,
            elem_id="articles",
        )
        with gr.Row():
            self.victim = gr.Dropdown(
                choices=[], value=None, label="Article to delete", elem_id="victim"
            )
            self.remove = gr.Button("Delete article…", variant="stop", elem_id="delete")
        self.confirming = ConfirmRow(
            "confirm-delete", ("confirm-text", "confirm-yes", "confirm-no"), "Yes, delete it"
        )
        with gr.Row():
            self.deleted = gr.Markdown(elem_id="deleted")
            self.undo = gr.Button(
                "Undo", size="sm", scale=0, min_width=80, visible=False, elem_id="article-undo"
            )
        self.undo_doc = gr.State(None)  # the article Undo brings back


class FeedsPanel:
    """The watched feeds (under the library): the table, adding one, stopping (asked first)."""

    def __init__(self) -> None:
        gr.Markdown(
            "### Watched feeds\nRSS, Atom or JSON feeds polled by `rag watch` "
            "(run with no feed arguments, it polls this list)."
        )
        self.table = gr.Dataframe(
            value=[],
            headers=FEED_HEADERS,
            label="Watched feeds",
            interactive=False,
            wrap=True,
            elem_id="feeds",
            column_widths=["28%", "16%", "14%", "26%", "16%"],
        )
        with gr.Row():
            self.url = gr.Textbox(
                label="Feed address",
                scale=4,
                elem_id="feed-url",
                placeholder="https://example.com/rss.xml",
            )
            self.watch = gr.Button("Watch feed", variant="primary", scale=1, elem_id="feed-add")
        self.said = gr.Markdown(elem_id="feed-result")
        with gr.Row():
            self.unwanted = gr.Dropdown(
                choices=[], value=None, label="Feed to stop watching", elem_id="feed-victim"
            )
            self.remove = gr.Button("Stop watching…", variant="stop", elem_id="feed-remove")
        self.confirming = ConfirmRow(
            "confirm-unwatch",
            ("unwatch-text", "unwatch-yes", "unwatch-no"),
            "Yes, stop watching",
            "Keep watching",
        )


class Page:
    """The whole page, built in the Blocks that is open when it is made."""

    def __init__(self, opening: Opening) -> None:
        self.states = States()
        self.sidebar = Sidebar()
        gr.Markdown(
            "## Ask the news\nAnswers quote and cite the articles; click a `[n]` "
            "to see its passage."
        )
        self.status = gr.Markdown(opening.store_line, elem_id="store-line")
        self.ask = AskTab(opening)
        self.briefing = BriefingTab()
        with gr.Tab("Library"):
            self.library = LibraryTab(opening)
            self.feeds = FeedsPanel()
