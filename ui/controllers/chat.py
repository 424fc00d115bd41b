"""The chat: check a question, stream its answer, Stop it, ask the last one again or edit it.

`send` checks the inputs before any work (a bad date marks its field and keeps the
question), then `ask_stream` stores the question and streams its answer while the input stays
free, a question sent meanwhile waiting its turn (`ui.controllers.turns`); the answer is
kept when it ends (`ui.controllers.run`), even if its page was closed, and `resume` lets a
reloaded page follow it; `stop` ends the answer being written, `take_back` a question
still waiting; `regenerate` and `edit_last`
put the last question back to be asked with `replace`, which drops the last exchange from
the store first. Mistakes in the inputs are said next to the input; an answer that fails
says so in its own message. Each handler returns `{component: value}` for the components of
`ui.layout` it changes. The empty chat's words and suggested questions (`empty_chat`) are
read here too.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from typing import Any, Iterator

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from rag import (
    MAX_QUESTION_CHARS,
    Assistant,
    Filters,
    as_text,
    checked_day,
    follow_up_questions,
    suggested_questions,
)
from ui.controllers.history import cited_articles, render_history, searched_so_far
from ui.controllers.run import AnswerRun
from ui.controllers.shared import (
    DATE_FIELDS,
    Outputs,
    Shared,
    date_problems,
    filters,
    owner,
    page_of,
)
from ui.controllers.turns import Turns
from ui.conversations import Message
from ui.layout import Page
from ui.render import chat_message, pending_message, sources_html

STOPPED = "*Stopped before the answer was finished.*"
# The same question with the same settings sent again from one page this soon is one send
# (a double click on Ask, Enter then a click): it would otherwise wait its turn and be
# asked twice.
DOUBLE_SEND_S = 2.0
EDITING = "*Editing the last question: sending it replaces that question and its answer.*"


def ending(kind: str, payload: Any) -> str:
    """The message that ends an answer which was stopped, or failed (`payload` says why)."""
    return STOPPED if kind == "stopped" else f"**Could not answer:** {as_text(payload)}"


def empty_chat(assistant: Assistant) -> tuple[str, list[ExampleMessage]]:
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


class ChatController:
    def __init__(self, shared: Shared, page: Page) -> None:
        self.shared, self.page = shared, page
        self.turns = Turns()  # questions sent while an answer is written wait their turn
        self._last_sent: dict[str, tuple[str, float]] = {}  # page -> (what it asked, when)
        self._sending = threading.Lock()
        ask, states = page.ask, page.states
        self.streamed = [ask.chat, ask.panel, states.conversation, page.sidebar.listing]
        self.streamed += [states.address, page.sidebar.export, ask.waiting, ask.again, ask.edit]
        self.sent_to = [ask.question, ask.problem, ask.since, ask.until, ask.as_of]
        self.sent_to += [ask.filters_box, states.editing, ask.edit_note, *self.streamed]
        self.asked_again = [states.pending, states.replace, ask.since, ask.until, ask.outlets]
        self.asked_again += [ask.top_k, ask.mode, ask.as_of]
        self.edited = [ask.question, states.editing, ask.edit_note]
        self.taken_back = [ask.waiting, ask.question]

    def send(
        self,
        question: str | None,
        since: str,
        until: str,
        sources: list[str] | None,
        top_k: int,
        mode: str,
        as_of: str,
        conversation: int | None,
        search: str,
        editing: bool,
        request: gr.Request,
    ) -> Iterator[Outputs]:
        """Ask a question the reader sent (typed, a suggestion, a follow-up), checking the
        inputs first. The page's script took a typed question out of the box as it was sent
        (`ragSent`), so nothing here writes to the box but to put back a question that is
        not asked: a reply that emptied it would wipe what the reader has typed since. The
        question comes with its own event, never through a state another send could
        overwrite first. Sent while the last question is being edited, it replaces the last
        exchange. Outputs: `self.sent_to`."""
        checked, asked = self.check(question, since, until, as_of)
        if asked is None:
            yield checked
            return
        answering = self.ask_stream(
            asked,
            since,
            until,
            sources,
            top_k,
            mode,
            as_of,
            conversation,
            search,
            bool(editing),
            request,
        )
        yield checked | next(answering, {})
        yield from answering

    def check(
        self, question: str | None, since: str, until: str, as_of: str
    ) -> tuple[Outputs, str | None]:
        """The inputs checked before any work, and the question to ask (None when nothing
        is asked): a bad date marks its field, and it and a question over the limit are said
        under the box, the question put back in it to be mended."""
        ask, states = self.page.ask, self.page.states
        problems = date_problems(since, until, as_of)
        fields = {"since": ask.since, "until": ask.until, "as_of": ask.as_of}
        out: Outputs = {
            fields[key]: gr.update(elem_classes=["invalid"] if key in problems else [])
            for key, _ in DATE_FIELDS
        }
        asked = (question or "").strip()
        if problems:
            note = "**Not asked yet** — " + " · ".join(problems.values())
            out[ask.filters_box] = gr.update(open=True)
        elif len(asked) > MAX_QUESTION_CHARS:
            note = (
                f"**Not asked yet** — the question is {len(asked)} characters, over the limit "
                f"of {MAX_QUESTION_CHARS}"
            )
        else:
            out[ask.problem] = gr.update(value="", visible=False)
            if not asked:
                return out, None
            out |= {states.editing: False, ask.edit_note: gr.update(visible=False)}
            return out, asked
        out |= {ask.problem: gr.update(value=note, visible=True), ask.question: question}
        return out, None

    def _sent_twice(self, request: gr.Request, asked: str) -> bool:
        """Whether this page's last send, less than `DOUBLE_SEND_S` ago, was `asked` (the
        question and its settings: the conversation is not compared, since a second click
        may come after the first started one); every send is noted, so a question asked
        again after another, or with other filters, is not taken for one."""
        page = page_of(request)
        if not page:
            return False
        now = time.monotonic()
        with self._sending:
            recent = {p: s for p, s in self._last_sent.items() if now - s[1] < DOUBLE_SEND_S}
            twice = recent.get(page, ("", 0.0))[0] == asked
            self._last_sent = recent | {page: (asked, now)}
        return twice

    def ask_stream(
        self,
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
    ) -> Iterator[Outputs]:
        """Answer `question` in the conversation, streaming; with `replace`, the last
        exchange (question and answer) is dropped from the store first, so the new one takes
        its place (regenerate, edit-and-resend). A question sent while an answer is still
        being written in the conversation waits for it, named in a note under the box, and
        is then asked (`ui.controllers.turns`); the same request sent twice in a moment from
        one page is asked once. The answer is drawn while the page shows its conversation,
        and kept when it ends even if the page was closed. Outputs: `self.streamed`."""
        ask, kept = self.page.ask, self.shared.kept
        if not question or date_problems(since, until, as_of):  # a date changed since
            yield {ask.chat: gr.skip()}  # `prepare` looked: nothing is asked
            return
        who = owner(request)
        chosen, day = filters(since, until, sources), checked_day(as_of, "As of")
        used: dict[str, Any] = {
            "since": since or "",
            "until": until or "",
            "sources": list(sources or []),
        }
        used |= {"top_k": int(top_k), "mode": mode, "as_of": as_of or ""}
        if self._sent_twice(request, json.dumps([question, used])) and not replace:
            yield {ask.chat: gr.skip()}  # a double click: the first send asks it
            return
        conversation, started = self._conversation_for(request, who, conversation, question)
        turn, run = self.turns.join(conversation, question), None
        try:
            if self.turns.must_wait(turn):  # an answer is still being written here
                yield {ask.waiting: self._waiting_note(conversation)}
            if not self.turns.wait(turn):  # taken back while it waited: never asked
                yield {ask.waiting: self._waiting_note(conversation)}
                return
            if replace and not started:
                kept.drop_last_exchange(who, conversation)
            earlier = kept.messages(who, conversation)
            run = self._start(question, used, chosen, day, who, conversation, earlier)
            listing = self.shared.conversation_choices(who, search, conversation)
            first: Outputs = {
                self.page.sidebar.listing: listing,
                self.page.states.address: str(conversation),  # the page's address names it
                ask.waiting: self._waiting_note(conversation),  # any still waiting behind it
            }
            yield from self._follow(run, earlier, question, conversation, request, first)
        finally:  # the next question goes once this answer is kept and drawn (kept alone
            if run is None:  # if the page was closed first)
                self.turns.leave(turn)
            else:
                run.when_settled(lambda: self.turns.leave(turn))

    def _conversation_for(
        self, request: gr.Request, who: str, conversation: int | None, question: str
    ) -> tuple[int, bool]:
        """The conversation a question sent from a page goes to, and whether it starts
        there. A page with an empty chat (`conversation` None) may already show one that a
        question sent just before began, its reply not yet there (`Shared.showing`): the
        question goes on in it, not in a second new one. A new conversation is shown on
        the page at once, so the next send finds it."""
        with self._sending:  # one page's sends settle this one at a time, in turn
            if conversation is None:
                conversation = self.shared.showing.get(page_of(request) or "")
            if conversation is not None and self.shared.kept.owns(who, conversation):
                return conversation, False
            conversation = self.shared.kept.create(who, question)
            self.shared.show(request, conversation)  # the new chat is this conversation
            return conversation, True

    def resume(self, conversation: int | None, request: gr.Request) -> Iterator[Outputs]:
        """Follow the answer still being written in the conversation a page has just
        opened (a reload, the sidebar): its words so far, then the rest as they come.
        Outputs: `self.streamed`."""
        ask, kept, who = self.page.ask, self.shared.kept, owner(request)
        run = self.shared.answering.get(conversation) if conversation is not None else None
        if conversation is None or run is None or not kept.owns(who, conversation):
            yield {ask.chat: gr.skip()}
            return
        messages = kept.messages(who, conversation)
        if not messages or messages[-1].role != "user":  # it was kept meanwhile: shown
            yield {ask.chat: gr.skip()}
            return
        yield from self._follow(run, messages[:-1], messages[-1].text, conversation, request, {})

    def _start(
        self,
        question: str,
        used: dict[str, Any],
        chosen: Filters | None,
        day: date | None,
        who: str,
        conversation: int,
        earlier: list[Message],
    ) -> AnswerRun:
        """Store the question with the settings `used` and start writing its answer, which
        is stored when it ends, whoever still watches (`AnswerRun`)."""
        kept, assistant = self.shared.kept, self.shared.assistant
        kept.add(who, conversation, "user", question, asked_with=used)
        asked = searched_so_far(earlier)

        def keep(kind: str, payload: Any) -> None:
            if not kept.owns(who, conversation):
                return  # deleted meanwhile (Delete stops the answer first: a race)
            if kind == "done":
                answer, searched = payload
                kept.add(who, conversation, "assistant", answer.answer, answer.to_json(), searched)
            else:
                kept.add(who, conversation, "assistant", ending(kind, payload))

        run = self.shared.answering[conversation] = AnswerRun(keep)
        run.when_settled(lambda: self._ended(conversation, run))

        def answer() -> Any:
            turn = assistant.next_turn(asked, question)
            written = assistant.ask(
                turn.question,
                filters=chosen,
                top_k=used["top_k"],
                mode=used["mode"],  # the radio offers only the modes
                as_of=day,
                on_token=run.token,
                on_retry=run.retry,
                on_stage=run.stage,
                topic=turn.topic,
            )
            return written, turn.searched

        run.start(answer, self.shared.lock)
        return run

    def _ended(self, conversation: int, run: AnswerRun) -> None:
        """`run` is kept: nothing is being written in the conversation now."""
        if self.shared.answering.get(conversation) is run:
            del self.shared.answering[conversation]

    def _follow(
        self,
        run: AnswerRun,
        earlier: list[Message],
        q: str,
        conversation: int,
        request: gr.Request,
        first: Outputs,
    ) -> Iterator[Outputs]:
        """The conversation's `earlier` messages and question `q`, then its answer drawn at
        each event of `run` until it ends (`_drawing`). Drawn only while the page shows the
        conversation: a reader who opened another one is not pulled back (the answer is kept
        all the same). `first` goes with the first drawing."""
        gone = self.shared.assistant.removed(cited_articles(earlier))
        history, _ = render_history(earlier, gone, offer_next=False)
        history.append({"role": "user", "content": as_text(q)})  # typed text, never markup
        for out in self._drawing(run, history, owner(request), conversation, q, first):
            yield (
                out if self.shared.shows(request, conversation) else {self.page.ask.chat: gr.skip()}
            )

    def _drawing(
        self,
        run: AnswerRun,
        history: list[dict[str, Any]],
        who: str,
        conversation: int,
        q: str,
        first: Outputs,
    ) -> Iterator[Outputs]:
        """The answer's message (after `history`) at each event of `run`: words as they
        come, then the kept answer, failure or note that it stopped."""
        ask, states = self.page.ask, self.page.states
        history.append({"role": "assistant", "content": pending_message("reading the question")})
        drawn = {
            ask.chat: history,
            ask.panel: sources_html(None),
            states.conversation: conversation,
        }
        yield first | ask.last_exchange_buttons(writing=True) | drawn
        done = ask.last_exchange_buttons(writing=False)
        streamed = ""
        for kind, payload in run.follow():
            if kind == "token":
                streamed += payload
                shown = as_text(streamed) + "\n\n" + pending_message("writing")
            elif kind == "stage":
                shown = pending_message(payload)
            elif kind == "retry":
                streamed, shown = "", pending_message(f"{payload}; retrying")
            elif kind in ("stopped", "error"):
                history[-1] = {"role": "assistant", "content": ending(kind, payload)}
                ended = {ask.chat: history, states.conversation: conversation}
                yield ended | done | self._download(who, conversation)
                return
            else:
                answer, searched = payload
                # The message and the panel are drawn once, whole: a redraw after the reader
                # has clicked a [n] would fold the sources again and put out the flashed card.
                nexts = follow_up_questions(answer, searched=searched)
                message = chat_message(answer, searched, q, follow_ups=nexts)
                history[-1] = {"role": "assistant", "content": message}
                yield done | {
                    ask.chat: history,
                    ask.panel: sources_html(answer),
                    states.conversation: conversation,
                }
                yield self._download(who, conversation)  # the file is written after it shows
                return
            history[-1] = {"role": "assistant", "content": shown}
            yield {ask.chat: history, states.conversation: conversation}

    def _waiting_note(self, conversation: int) -> dict[str, Any]:
        """The note under the box naming the questions that wait for the answer being
        written, in the order they will be asked; hidden when none waits."""
        waiting = self.turns.line(conversation)
        if not waiting:
            return gr.update(value="", visible=False)
        named = " · ".join(
            f"“{as_text(t.question)}” ([take back](#take-back-{t.number}))" for t in waiting
        )
        return gr.update(
            value=f"**Waiting** — asked once the answer above is finished: {named}", visible=True
        )

    def take_back(
        self, which: str, box: str, conversation: int | None, request: gr.Request
    ) -> Outputs:
        """Take back a question waiting its turn (`which`: its number, from the note's
        "take back" link): it is never asked, and goes back in the box to be mended unless
        the reader has begun another there. Outputs: `self.taken_back`."""
        ask = self.page.ask
        if conversation is None or not self.shared.kept.owns(owner(request), conversation):
            return {ask.waiting: gr.skip()}
        try:
            question = self.turns.withdraw(conversation, int(which))
        except (TypeError, ValueError):  # no number: no link of ours sent it
            question = None
        out: Outputs = {ask.waiting: self._waiting_note(conversation)}
        if question is not None and not (box or "").strip():
            out[ask.question] = question
        return out

    def _download(self, who: str, conversation: int) -> Outputs:
        """The Download button holding the conversation as it now stands."""
        return {self.page.sidebar.export: self.shared.downloads.button(who, conversation)}

    def stop(self, conversation: int | None, request: gr.Request) -> None:
        """End the answer being written: the chat says so at once, and an LLM stream is
        closed at its next token (an extractive answer finishes unseen in the background)."""
        if conversation is None or not self.shared.kept.owns(owner(request), conversation):
            return
        if (run := self.shared.answering.get(conversation)) is not None:
            run.stop()

    def regenerate(self, conversation: int | None, request: gr.Request) -> Outputs:
        """Ask the conversation's last question again with the filters and settings it was
        asked with (put back in their fields, so the reader sees them); its answer replaces
        the last one. An outlet since deleted is left out; a question kept before questions
        kept their filters is asked with the fields as they stand. Nothing happens while an
        answer is still being written, or in an empty chat. Outputs: `self.asked_again`."""
        ask, states, kept = self.page.ask, self.page.states, self.shared.kept
        who = owner(request)
        asked = (
            [m for m in kept.messages(who, conversation) if m.role == "user"]
            if conversation is not None and kept.owns(who, conversation)
            else []
        )
        if not asked or conversation in self.shared.answering:
            return {states.pending: None, states.replace: False}
        last, used = asked[-1], asked[-1].asked_with
        out: Outputs = {states.pending: last.text, states.replace: True}
        if not used:
            return out
        outlets_now = self.shared.assistant.sources()
        out |= {ask.since: used.get("since", ""), ask.until: used.get("until", "")}
        out[ask.outlets] = [s for s in used.get("sources", []) if s in outlets_now]
        out[ask.top_k] = used.get("top_k", self.shared.settings.top_k)
        if used.get("mode") in self.shared.modes:
            out[ask.mode] = used["mode"]
        out[ask.as_of] = used.get("as_of", "")
        return out

    def edit_last(self, conversation: int | None, request: gr.Request) -> Outputs:
        """Put the last question back in the box; sending it replaces the last exchange.
        Outputs: `self.edited`."""
        ask, editing = self.page.ask, self.page.states.editing
        last = self.shared.kept.last_question(owner(request), conversation)
        if last is None:
            return {editing: False, ask.edit_note: gr.update(visible=False)}
        return {
            ask.question: last,
            editing: True,
            ask.edit_note: gr.update(value=EDITING, visible=True),
        }

    def send_suggestion(
        self, picked: gr.SelectData, request: gr.Request, *held: Any
    ) -> Iterator[Outputs]:
        """Ask the suggested question clicked in the empty chat, as if typed (the box keeps
        whatever the reader had begun there); `held` are `send`'s inputs after the question.
        Outputs: `self.sent_to`."""
        yield from self.send(str((picked.value or {}).get("text", "")), *held, request)
