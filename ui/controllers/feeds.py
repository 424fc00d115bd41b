"""The Library tab's watched feeds: the table, watching one, stopping (asked first).

Adding a feed polls it at once through `Assistant.watch_feed` (its articles are stored, so
the library's view is read fresh too) and says what it brought; a refused feed is said in
one line and kept out of the list. Stopping asks first, naming the feed; its articles stay.
Each handler returns `{component: value}`. Polling on a schedule is `rag watch`'s.
"""

from __future__ import annotations

import gradio as gr

from rag import StoreUnavailable, as_text, code_span
from ui.controllers.asked_first import AskedFirst
from ui.controllers.library import LibraryController
from ui.controllers.shared import Outputs, Shared
from ui.failures import as_gradio_error
from ui.layout import Page
from ui.render import feed_poll_markdown, feed_rows


class FeedsController(AskedFirst):
    nothing, kept = "Nothing to remove.", "Still watching it."

    def __init__(self, shared: Shared, page: Page, library: LibraryController) -> None:
        self.shared, self.page, self.library = shared, page, library
        feeds = page.feeds
        self.confirm, self.said = feeds.confirming, feeds.said
        self.viewed = [feeds.table, feeds.unwanted]
        self.added = [*self.viewed, feeds.said, feeds.url, *library.viewed]
        self.outputs(self.viewed)

    def view(self) -> Outputs:
        """The watched feeds table and the remove choices, read fresh from the store's
        feeds.json. Outputs: `self.viewed`."""
        feeds = self.page.feeds
        try:
            watched = self.shared.assistant.watched_feeds()
        except ValueError as err:  # a damaged feeds.json: say so in the table, keep the page
            return {
                feeds.table: [[str(err), "", "", "", ""]],
                feeds.unwanted: gr.update(choices=[], value=None),
            }
        choices = [(f"{s.title or url} ({url})", url) for url, s in watched.items()]
        return {
            feeds.table: feed_rows(watched),
            feeds.unwanted: gr.update(choices=choices, value=None),
        }

    def add(self, url: str | None) -> Outputs:
        """Watch a feed: the URL is checked and its first poll runs now (its articles are
        stored), and what it brought is said; a refused feed is said in one line and kept
        out of the list, its address put back in the box to be mended. The page took the
        address out of the box as it was sent, so nothing here empties it: that would wipe
        an address typed since. Outputs: `self.added`."""
        feeds, assistant = self.page.feeds, self.shared.assistant
        url = (url or "").strip()
        try:
            before = assistant.watched_feeds()
            with self.shared.lock:
                line = assistant.watch_feed(url)
            state = assistant.watched_feeds().get(line.url)
        except (ValueError, StoreUnavailable) as err:
            said = f"**Not added:** {as_text(str(err))}"
            return self.view() | {feeds.said: said, feeds.url: url} | self.library.view()
        except Exception as err:
            raise as_gradio_error(err, f"adding the feed {url}") from err
        said = feed_poll_markdown(line, state.title if state else "", line.url in before, given=url)
        if state and state.last_problems:
            said += "\n\n" + "\n".join(f"- {as_text(p)}" for p in state.last_problems)
        return self.view() | {feeds.said: said} | self.library.view()

    def ask_first(self, url: str | None) -> Outputs:
        """The first click on Stop watching only asks, naming the feed. Outputs:
        `self.asked`."""
        state = self.shared.assistant.watched_feeds().get(url or "")
        if not url or state is None:
            return self.asking("Pick a feed to stop watching.")
        name = f"**{as_text(state.title)}** ({code_span(url)})" if state.title else code_span(url)
        brought = state.totals.get("new", 0)
        stay = (
            f"The {brought} article{'s' if brought != 1 else ''} it brought stay"
            if brought
            else "Its articles stay"
        )
        question = (
            f"Stop watching {name}? It will not be polled again. {stay} in the "
            "library (delete them above if you want them gone)."
        )
        return self.asking("", question, url)

    def act(self, url: str) -> str:
        """Stop watching the feed the reader confirmed; what happened, in one line."""
        try:
            gone = self.shared.assistant.unwatch_feed(url)
        except ValueError as err:
            return f"**Not removed:** {as_text(str(err))}"
        except Exception as err:
            raise as_gradio_error(err, f"removing the feed {url}") from err
        if gone:
            return f"No longer watching {code_span(url)}; its articles stay in the library."
        return f"{code_span(url)} is not watched."
