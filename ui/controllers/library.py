"""The Library tab's articles: the header line, the table, uploads, and deleting (asked first).

Uploads go through `ui.uploads` (kept inside the data dir, one file at a time so the bar
moves per file); deleting asks first, naming the article. After each change the header,
the table, the outlet filter and the delete choices are read fresh (`view`), so the page
never shows a stale library. Each handler returns `{component: value}`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import gradio as gr

from rag import Assistant, StoreUnavailable, as_text, code_span
from ui.controllers.asked_first import AskedFirst
from ui.controllers.shared import Outputs, Shared, page_of
from ui.failures import as_gradio_error
from ui.layout import Page, outlets_hint
from ui.uploads import UploadResult, discard_temp_copies, save_and_ingest

ROWS = 500  # the most result lines a page keeps of its Adds


def store_line(assistant: Assistant) -> str:
    """The header: how many articles are stored and how answers are written."""
    count = len(assistant.library())
    settings = assistant.settings
    mode = f"LLM `{settings.llm_model}`" if settings.use_llm else "extractive (offline)"
    return f"**{count} articles** · mode {mode}"


def library_rows(assistant: Assistant) -> list[list[Any]]:
    """The stored articles, newest first, as a reader scans them: headline, outlet, date,
    passages, and the id (what the command line and the delete menu name) last. An unknown
    outlet is left blank rather than said on every line."""
    records = assistant.library()
    rows = sorted(records.items(), key=lambda kv: (kv[1].date, kv[0]), reverse=True)
    return [[r.title or doc, r.source, r.date or "undated", r.chunks, doc] for doc, r in rows]


class LibraryController(AskedFirst):
    nothing, kept = "Nothing to delete.", "Nothing was deleted."

    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.page = shared, page
        self._noting = threading.Lock()  # two Adds from one page may end at once
        lib = page.library
        self.confirm, self.said = lib.confirming, lib.deleted
        self.viewed = [lib.articles, page.status, page.ask.outlets, lib.victim]
        self.uploaded = [lib.results, *self.viewed]
        self.outputs(self.viewed)
        self.answered += [lib.undo, lib.undo_doc]
        self.restored = [*self.viewed, self.said, lib.undo, lib.undo_doc]

    def view(self) -> Outputs:
        """The articles table, header line, outlet choices and delete choices, read fresh.
        Outputs: `self.viewed`."""
        assistant, lib = self.shared.assistant, self.page.library
        rows = library_rows(assistant)
        return {
            lib.articles: rows,
            self.page.status: store_line(assistant),
            self.page.ask.outlets: gr.update(
                choices=(outlets := assistant.sources()), info=outlets_hint(outlets)
            ),
            lib.victim: gr.update(choices=[(f"{r[0]} ({r[4]})", r[4]) for r in rows], value=None),
        }

    def upload(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),
    ) -> Outputs:
        """Add the files one at a time, so the bar moves per file ("Adding file 2 of 3"; no
        name, since the results table below lists names as they are done); over the
        file-count limit they are refused together. Gradio's temporary copy of
        each file is removed once it is kept or refused. The page empties its file box as
        Add is clicked, so files chosen meanwhile are the next Add's, which runs too; the
        table lists what every Add from the page did, the last to end first, so one ending
        after another does not hide the other's. Outputs: `self.uploaded`."""
        pairs = [(Path(f).name, Path(f)) for f in files or []]
        limit = self.shared.settings.ui_max_files
        batches = [pairs] if len(pairs) > limit else [[p] for p in pairs]
        results: list[UploadResult] = []
        try:
            for done, batch in enumerate(batches):
                progress(
                    done / max(len(batches), 1), desc=f"Adding file {done + 1} of {len(batches)}"
                )
                try:
                    with self.shared.lock:
                        results += save_and_ingest(self.shared.assistant, batch)
                except StoreUnavailable as err:
                    results += [UploadResult(name, "rejected", str(err)) for name, _ in batch]
                except Exception as err:
                    raise as_gradio_error(err, "adding the files") from err
        finally:
            discard_temp_copies(Path(f) for f in files or [])
        progress(1.0, desc="Done")
        rows = [[r.file, r.result, r.detail] for r in results]
        page = page_of(request)
        if page:
            with self._noting:
                rows = self.shared.added[page] = (rows + self.shared.added.get(page, []))[:ROWS]
        return {self.page.library.results: rows} | self.view()

    def ask_first(self, doc_id: str | None) -> Outputs:
        """The first click on Delete only asks, naming the article. Outputs: `self.asked`."""
        record = self.shared.assistant.library().get(doc_id or "")
        if not doc_id or record is None:
            return self.asking("Pick an article to delete.")
        title = as_text(record.title or doc_id)
        said = ", ".join(x for x in (record.source, record.date) if x)
        question = (
            f"Delete **{title}** ({code_span(doc_id)}"
            f"{', ' + as_text(said) if said else ''}) "
            f"and its {record.chunks} passages? You can undo it right after."
        )
        return self.asking("", question, doc_id)

    def remove(self, doomed: str | None) -> Outputs:
        """Yes: delete it, and offer Undo for as long as the page stays (the trash keeps
        the article for days: `rag restore` brings it back later)."""
        lib = self.page.library
        out = super().remove(doomed)
        gone = bool(doomed) and doomed not in self.shared.assistant.library()
        return out | {lib.undo: gr.update(visible=gone), lib.undo_doc: doomed if gone else None}

    def undo(self, doc_id: str | None) -> Outputs:
        """Bring back the article just deleted, as it was. Outputs: `self.restored`."""
        lib = self.page.library
        try:
            with self.shared.lock:
                back = bool(doc_id) and self.shared.assistant.restore(doc_id or "")
            said = (
                f"Restored {code_span(doc_id or '')}."
                if back
                else "That article can no longer be brought back."
            )
        except (StoreUnavailable, ValueError) as err:
            said = f"**Not restored:** {as_text(str(err))}"
        hidden = gr.update(visible=False)
        return self.view() | {self.said: said, lib.undo: hidden, lib.undo_doc: None}

    def act(self, doc_id: str) -> str:
        """Delete the article the reader confirmed; what happened, in one line."""
        try:
            with self.shared.lock:
                gone = self.shared.assistant.delete(doc_id)
        except StoreUnavailable as err:
            return f"**Not deleted:** {as_text(str(err))}"
        except Exception as err:
            raise as_gradio_error(err, f"deleting {doc_id}") from err
        return f"Deleted {code_span(doc_id)}." if gone else f"{code_span(doc_id)} is not stored."
