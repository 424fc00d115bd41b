"""The chat's controller called directly: streaming, Stop and regenerate, without a server.

A scripted assistant stands in for `rag.Assistant`: it says a stage, streams its words through
`on_token` and returns an answer citing one passage. Each handler's `{component: value}` is
read by component, and every component it names must be one of its declared outputs (what
`ui.app` wires), or Gradio would refuse the update.
"""

from __future__ import annotations

import copy
import threading
import time
from types import SimpleNamespace
from typing import Any, Callable, Iterator, cast

import gradio as gr
import pytest

from rag import MAX_QUESTION_CHARS, Answer, Assistant, Citation, Passage, Settings, as_text
from rag.conversation import Turn
from ui.controllers.chat import STOPPED, ChatController
from ui.controllers.run import AnswerRun
from ui.controllers.shared import Outputs, Shared
from ui.conversations import ConversationStore
from ui.layout import Opening, Page

QUOTE = "Gallant called Deif the “Osama bin Laden of Gaza”"
READER = cast(gr.Request, SimpleNamespace(username="reader"))


class ScriptedAssistant:
    """What the chat calls of an assistant: a stage, the words one token at a time, then an
    answer citing [1]; with `endless`, words until the token callback refuses one."""

    def __init__(self, settings: Settings, words: list[str], endless: bool = False) -> None:
        self.settings, self.words, self.endless = settings, words, endless
        self.asked: list[dict[str, Any]] = []
        self.hung_up = threading.Event()  # the token callback ended the stream

    def library(self) -> dict[str, dict[str, Any]]:
        return {}

    def sources(self) -> list[str]:
        return ["Times of Israel"]

    def removed(self, doc_ids: Any) -> dict[str, str]:
        return {}  # nothing was ever deleted here

    def next_turn(self, history: list[str], follow_up: str) -> Turn:
        return Turn(follow_up)

    def ask(self, question: str, on_token: Callable[[str], None], **how: Any) -> Answer:
        self.asked.append({"question": question, **how})
        how["on_stage"]("retrieving passages")
        try:
            for word in self.words:
                on_token(word)
            while self.endless:
                on_token("and more ")
                time.sleep(0.01)
        except BaseException:
            self.hung_up.set()
            raise
        return answer(question, "".join(self.words), len(self.asked))


def answer(question: str, text: str, n: int) -> Answer:
    passage = Passage(1, "c1", "deif.txt", "Deif", "2024-07-14", "Times of Israel", "", QUOTE, 1.0)
    cite = Citation(1, "deif.txt", "Deif", "2024-07-14", "Times of Israel", "", QUOTE, 1.0, "c1")
    return Answer(question, f"{text} (answer {n})", False, "extractive", [cite], [passage])


def chat_for(settings: Settings, fake: ScriptedAssistant, tmp: Any) -> ChatController:
    opening = Opening("", "", [], [], fake.sources(), ["extractive"], "extractive", 6, "")
    with gr.Blocks():
        page = Page(opening)
    shared = Shared(cast(Assistant, fake), ConversationStore(tmp / "conversations.db"))
    return ChatController(shared, page)


def asked_with(chat: ChatController, **fields: Any) -> list[Any]:
    """`ask_stream`'s inputs as the page holds them (question in `pending`), in wired order,
    and the reader's request (`by`, from one page of the reader unless given)."""
    held = {"since": "", "until": "", "outlets": [], "top_k": 6, "mode": "extractive"}
    held |= {"as_of": "", "conversation": None, "search": "", "replace": False} | fields
    names = ["since", "until", "outlets", "top_k", "mode", "as_of", "conversation", "search"]
    return [held["pending"], *(held[n] for n in names), held["replace"], held.get("by", READER)]


def streamed(chat: ChatController, **fields: Any) -> Iterator[Outputs]:
    for out in chat.ask_stream(*asked_with(chat, **fields)):
        assert set(out) <= set(chat.streamed), "a component ask_stream is not wired to"
        yield {k: copy.deepcopy(v) for k, v in out.items()}  # as sent: the chat is redrawn in place


def page_after(outs: list[Outputs]) -> Outputs:
    """What the page shows once `outs` have been sent: each component holds the last value
    sent to it (an event that leaves one out leaves it as it was)."""
    held: Outputs = {}
    for out in outs:
        held |= out
    return held


def last_message(out: Outputs, chat: ChatController) -> str:
    return str(out[chat.page.ask.chat][-1]["content"])


def writing(
    settings: Settings, tmp: Any, by: gr.Request = READER
) -> tuple[ScriptedAssistant, ChatController, Iterator[Outputs], int]:
    """A chat whose endless answer to one question, sent `by` a page, has begun: the
    scripted model, the chat, the stream read up to the answer's first words, and the
    conversation it is in."""
    fake = ScriptedAssistant(settings, ["The envoys "], endless=True)
    chat = chat_for(settings, fake, tmp)
    stream = streamed(chat, pending="What did the envoys talk about?", by=by)
    for out in stream:
        if chat.page.ask.chat in out and "The envoys" in last_message(out, chat):
            return fake, chat, stream, int(out[chat.page.states.conversation])
    raise AssertionError("the answer ended before its words showed")


@pytest.fixture
def words() -> list[str]:
    return ["Gallant ", "called Deif ", "the “Osama bin Laden of Gaza” [1]."]


def test_partial_answers_stream_in_order_and_the_last_one_carries_its_citations(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    fake = ScriptedAssistant(settings, words)
    chat = chat_for(settings, fake, tmp_path)
    outs = list(streamed(chat, pending="What did Gallant call Deif?"))
    shown = [last_message(out, chat) for out in outs if chat.page.ask.chat in out]
    assert "Reading the question" in shown[0] and "Retrieving passages" in shown[1]
    partial = shown[2:-1]
    assert [s.split("\n\n")[0] for s in partial] == [
        "Gallant ",
        "Gallant called Deif ",
        "Gallant called Deif the “Osama bin Laden of Gaza” \\[1\\].",
    ]  # each token grows the text, in the order written, with the working stage below
    assert all("Writing" in s and "copy-md" not in s for s in partial)
    again, edit = chat.page.ask.again, chat.page.ask.edit
    # Regenerate and Edit are greyed from the first drawing until the answer lands
    assert outs[0][again]["interactive"] is False and outs[0][edit]["interactive"] is False
    assert page_after(outs)[again]["interactive"] is True
    assert page_after(outs)[edit]["interactive"] is True
    # the answer lands whole, with its panel; the download follows and redraws neither
    # (a redraw would fold the sources a reader has just opened with a click on [n])
    landed, download = outs[-2], outs[-1]
    assert set(download) == {chat.page.sidebar.export}
    final, panel = last_message(landed, chat), landed[chat.page.ask.panel]
    assert "(answer 1)" in final and "](#src-1)" in final and "Sources (1)" in final
    assert "<mark>" in final and "copy-md" in final and "working" not in final
    assert "id='src-1'" in panel and "deif.txt" in panel  # the panel shows its passage
    conversation = landed[chat.page.states.conversation]
    kept = chat.shared.kept.messages("reader", conversation)
    assert [m.role for m in kept] == ["user", "assistant"]
    assert kept[1].answer is not None and kept[1].answer["citations"][0]["doc"] == "deif.txt"
    assert chat.shared.answering == {}


def test_stop_ends_the_stream_and_the_chat_says_the_answer_was_stopped(
    settings: Settings, tmp_path: Any
) -> None:
    fake, chat, stream, conversation = writing(settings, tmp_path)
    chat.stop(conversation, READER)
    rest = list(stream)
    assert rest and last_message(rest[-1], chat) == STOPPED
    assert chat.page.ask.panel not in rest[-1]  # no sources for an unfinished answer
    assert fake.hung_up.wait(5)  # the LLM stream was closed at its next token
    kept = chat.shared.kept.messages("reader", conversation)  # type: ignore[arg-type]
    assert [(m.role, m.text, m.answer) for m in kept][1] == ("assistant", STOPPED, None)
    assert chat.shared.answering == {}
    # the next question is answered as usual
    fake.endless = False
    outs = list(streamed(chat, pending="And then?", conversation=conversation))
    assert "Sources (1)" in last_message(page_after(outs), chat)


def test_questions_sent_while_an_answer_is_written_wait_and_are_asked_in_order(
    settings: Settings, tmp_path: Any
) -> None:
    fake, chat, first, conversation = writing(settings, tmp_path)
    later: dict[str, list[Outputs]] = {}

    def send(question: str) -> None:  # each send is its own event, in its own thread
        later[question] = list(streamed(chat, pending=question, conversation=conversation))

    sent = ["Who is <b>Amos Hochstein</b>?", "And then?"]  # typed text shows as typed
    threads = [threading.Thread(target=send, args=(q,)) for q in sent]
    for n, thread in enumerate(threads):
        thread.start()
        deadline = time.monotonic() + 10
        while chat.turns.waiting(conversation) != sent[: n + 1]:  # type: ignore[arg-type]
            assert time.monotonic() < deadline, chat.turns.waiting(conversation)  # type: ignore[arg-type]
            time.sleep(0.01)
    assert [q["question"] for q in fake.asked] == ["What did the envoys talk about?"]
    fake.endless = False  # the first answer ends; the two waiting are asked after it
    list(first)
    for thread in threads:
        thread.join(10)
    waiting = chat.page.ask.waiting
    for question in sent:
        note = later[question][0]
        assert set(note) == {waiting} and note[waiting]["visible"] is True  # said at once …
        assert f"“{as_text(question)}”" in note[waiting]["value"]
    assert "<b>" not in later[sent[0]][0][waiting]["value"]  # escaped, never markup …
    drawn = page_after(later[sent[0]])[chat.page.ask.chat]
    assert drawn[-2]["content"] == "Who is &lt;b&gt;Amos Hochstein&lt;/b&gt;?"  # … in the chat too
    # … and once a question is asked, the note names only those still behind it
    behind = page_after(later[sent[0]])[waiting]["value"]
    assert behind.split(": ", 1)[1].startswith("“And then?” ([take back](#take-back-")
    assert page_after(later[sent[1]])[waiting]["visible"] is False
    assert [q["question"] for q in fake.asked] == ["What did the envoys talk about?", *sent]
    kept = chat.shared.kept.messages("reader", conversation)  # type: ignore[arg-type]
    assert [m.role for m in kept] == ["user", "assistant"] * 3
    assert [m.text for m in kept if m.role == "user"][1:] == sent
    assert chat.turns.waiting(conversation) == [] and chat.shared.answering == {}  # type: ignore[arg-type]


def test_the_same_request_sent_twice_in_a_moment_from_one_page_is_asked_once(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    fake = ScriptedAssistant(settings, words)
    chat = chat_for(settings, fake, tmp_path)
    tab, other_tab = (
        cast(gr.Request, SimpleNamespace(username="reader", session_hash=page))
        for page in ("tab-1", "tab-2")
    )
    first = list(streamed(chat, pending="Who is Deif?", by=tab))
    again = list(streamed(chat, pending="Who is Deif?", by=tab))  # a double click on Ask
    assert again == [{chat.page.ask.chat: gr.skip()}]
    started = page_after(first)[chat.page.states.conversation]  # the second click came late
    late = list(streamed(chat, pending="Who is Deif?", by=tab, conversation=started))
    assert late == [{chat.page.ask.chat: gr.skip()}]
    list(streamed(chat, pending="Who is Deif?", by=other_tab))  # another page is another send
    list(streamed(chat, pending="Who is Gallant?", by=tab))  # other words are another question
    list(streamed(chat, pending="Who is Gallant?", by=tab, replace=True))  # Regenerate
    list(streamed(chat, pending="Who is Gallant?", by=tab, since="2024-06-01"))  # a new filter
    asked = ["Who is Deif?"] * 2 + ["Who is Gallant?"] * 3
    assert [q["question"] for q in fake.asked] == asked


def test_an_answer_is_drawn_only_while_its_page_shows_its_conversation(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    chat = chat_for(settings, ScriptedAssistant(settings, words), tmp_path)
    tab = cast(gr.Request, SimpleNamespace(username="reader", session_hash="tab-1"))
    stream = streamed(chat, pending="Who is Deif?", by=tab)
    first = next(stream)
    conversation = first[chat.page.states.conversation]
    assert chat.shared.shows(tab, conversation)  # a new chat becomes this conversation
    chat.shared.show(tab, None)  # the reader opens a new chat (the sidebar says so)
    rest = list(stream)
    assert rest and all(out == {chat.page.ask.chat: gr.skip()} for out in rest)
    kept = chat.shared.kept.messages("reader", conversation)
    assert [m.role for m in kept] == ["user", "assistant"] and kept[1].answer is not None
    chat.shared.closed(tab)
    assert chat.shared.showing == {}


def test_a_page_closed_while_its_answer_is_written_loses_nothing_and_a_reload_follows_it(
    settings: Settings, tmp_path: Any
) -> None:
    fake, chat, stream, conversation = writing(settings, tmp_path)
    stream.close()  # the page was closed or reloaded: no one draws the answer now …
    assert not fake.hung_up.is_set()  # … but it is still being written
    waiting = threading.Thread(
        target=lambda: list(streamed(chat, pending="And then?", conversation=conversation))
    )
    waiting.start()  # a question sent meanwhile (from another page) waits for it
    resumed = chat.resume(conversation, READER)  # the reloaded page follows it
    seen = next(resumed)[chat.page.ask.chat]
    assert [m["role"] for m in seen] == ["user", "assistant"] and "working" in seen[-1]["content"]
    partial = next(resumed)
    assert chat.page.ask.chat in partial
    fake.endless = False
    outs = [partial, *resumed]
    final = last_message(page_after(outs), chat)
    assert "(answer 1)" in final and "Sources (1)" in final  # the answer, not "stopped"
    waiting.join(10)
    kept = chat.shared.kept.messages("reader", conversation)  # type: ignore[arg-type]
    assert [(m.role, m.text) for m in kept][::2] == [
        ("user", "What did the envoys talk about?"),
        ("user", "And then?"),
    ]
    assert [m.role for m in kept] == ["user", "assistant"] * 2 and kept[1].answer is not None
    assert chat.shared.answering == {}
    # once kept, a page opened on it has nothing to follow
    assert list(chat.resume(conversation, READER)) == [{chat.page.ask.chat: gr.skip()}]


def test_deleting_a_conversation_stops_the_answer_being_written_there(
    settings: Settings, tmp_path: Any
) -> None:
    from ui.controllers.history import render_history
    from ui.controllers.sidebar import SidebarController

    tab = cast(gr.Request, SimpleNamespace(username="reader", session_hash="tab-1"))
    fake, chat, stream, conversation = writing(settings, tmp_path, by=tab)
    SidebarController(chat.shared, chat.page).delete(conversation, "", True, tab)
    assert fake.hung_up.wait(5)  # the LLM stream was closed
    assert all(out == {chat.page.ask.chat: gr.skip()} for out in stream)  # the page moved on
    assert chat.shared.answering == {} and not chat.shared.kept.owns("reader", conversation)
    assert chat.shared.kept.restore("reader", conversation)  # Undo: it says it was stopped
    shown, _ = render_history(chat.shared.kept.messages("reader", conversation))
    assert [m["content"] for m in shown] == ["What did the envoys talk about?", STOPPED]


def test_stop_from_another_reader_changes_nothing(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    chat = chat_for(settings, ScriptedAssistant(settings, words), tmp_path)
    conversation = chat.shared.kept.create("reader", "Q")
    run = chat.shared.answering[conversation] = AnswerRun()
    chat.stop(conversation, cast(gr.Request, SimpleNamespace(username="someone else")))
    assert not run.stopped.is_set()


def test_regenerate_replaces_the_last_answer_and_keeps_the_older_ones(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    fake = ScriptedAssistant(settings, words)
    chat = chat_for(settings, fake, tmp_path)
    ask, states = chat.page.ask, chat.page.states
    first = list(streamed(chat, pending="Who is Deif?", since="2024-01-01"))
    conversation = page_after(first)[states.conversation]
    list(streamed(chat, pending="Who is Hochstein?", since="2024-01-01", conversation=conversation))
    before = chat.shared.kept.messages("reader", conversation)

    again = chat.regenerate(conversation, READER)
    assert set(again) <= set(chat.asked_again)
    assert again[states.pending] == "Who is Hochstein?" and again[states.replace] is True
    assert again[ask.since] == "2024-01-01"  # the filters it was asked with, put back
    assert again[ask.outlets] == [] and again[ask.top_k] == 6
    held = {"since": "", "until": "", "conversation": conversation, "replace": False}
    held |= {"pending": again[states.pending], "since": again[ask.since]}
    held |= {"until": again[ask.until], "replace": again[states.replace]}
    outs = list(streamed(chat, **held))

    after = chat.shared.kept.messages("reader", conversation)
    assert [(m.role, m.text) for m in after[:3]] == [(m.role, m.text) for m in before[:3]]
    assert before[3].text.endswith("(answer 2)") and after[3].text.endswith("(answer 3)")
    assert len(after) == 4  # in place of the last answer, not under it
    assert fake.asked[-1]["filters"].since.isoformat() == "2024-01-01"
    chat_shown = page_after(outs)[ask.chat]
    assert [m["content"] for m in chat_shown if m["role"] == "user"] == [
        "Who is Deif?",
        "Who is Hochstein?",
    ]
    assert "(answer 1)" in chat_shown[1]["content"] and "(answer 3)" in chat_shown[3]["content"]


def test_regenerate_does_nothing_while_an_answer_is_written_or_in_an_empty_chat(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    chat = chat_for(settings, ScriptedAssistant(settings, words), tmp_path)
    states = chat.page.states
    assert chat.regenerate(None, READER) == {states.pending: None, states.replace: False}
    outs = list(streamed(chat, pending="Who is Deif?"))
    conversation = page_after(outs)[states.conversation]
    chat.shared.answering[conversation] = AnswerRun()
    assert chat.regenerate(conversation, READER)[states.pending] is None


def sent(chat: ChatController, question: str, **fields: Any) -> list[Outputs]:
    """What the page is sent when the reader sends `question` (`ChatController.send`, its
    inputs in wired order: `editing` where `asked_with` has `replace`)."""
    held = asked_with(chat, pending=question, **fields)
    outs = []
    for out in chat.send(*held):
        assert set(out) <= set(chat.sent_to), "a component send is not wired to"
        outs.append({k: copy.deepcopy(v) for k, v in out.items()})
    return outs


def test_a_question_with_a_bad_date_is_not_asked_and_goes_back_in_the_box(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    fake = ScriptedAssistant(settings, words)
    chat = chat_for(settings, fake, tmp_path)
    ask, states = chat.page.ask, chat.page.states
    [out] = sent(chat, "Who is Deif?", since="last week")
    assert out[ask.question] == "Who is Deif?"  # the page had taken it: it is put back
    assert out[ask.since]["elem_classes"] == ["invalid"] and out[ask.until]["elem_classes"] == []
    assert "'last week' is not a date" in out[ask.problem]["value"]
    [backwards] = sent(chat, "Who is Deif?", since="2024-03-01", until="2024-01-31")
    assert backwards[ask.question] == "Who is Deif?"
    assert backwards[ask.until]["elem_classes"] == ["invalid"]
    assert "To (2024-01-31) is before From (2024-03-01)" in backwards[ask.problem]["value"]
    [too_long] = sent(chat, "W" * (MAX_QUESTION_CHARS + 1))
    assert "over the limit" in too_long[ask.problem]["value"] and too_long[ask.question]
    assert fake.asked == [] and chat.shared.kept.list("reader") == []
    good = page_after(sent(chat, " Who is Deif? ", since="2024-01-01", replace=True))
    assert ask.question not in good  # the page emptied the box; what was typed since stays
    assert good[states.editing] is False and good[ask.problem] == gr.update(value="", visible=False)
    assert "Osama bin Laden of Gaza" in last_message(good, chat)
    assert [q["question"] for q in fake.asked] == ["Who is Deif?"]


def test_a_question_sent_before_the_page_heard_of_the_conversation_goes_on_in_it(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    # Sent from an empty chat, right after the question that began a conversation there:
    # the page still says "no conversation", but it shows the one begun, so the second
    # question goes on in it (it once began a second conversation, and the page lost the
    # first). A new chat opened on the page afterwards begins another, as asked.
    from ui.controllers.sidebar import SidebarController

    chat = chat_for(settings, ScriptedAssistant(settings, words), tmp_path)
    tab = cast(gr.Request, SimpleNamespace(username="reader", session_hash="tab-1"))
    first = page_after(sent(chat, "Who is Deif?", by=tab))[chat.page.states.conversation]
    second = page_after(sent(chat, "Who is Hochstein?", by=tab))[chat.page.states.conversation]
    assert second == first
    kept = chat.shared.kept.messages("reader", first)
    assert [m.text for m in kept if m.role == "user"] == ["Who is Deif?", "Who is Hochstein?"]
    SidebarController(chat.shared, chat.page).new("", tab)
    third = page_after(sent(chat, "Who is Gallant?", by=tab))[chat.page.states.conversation]
    assert third != first and len(chat.shared.kept.list("reader")) == 2


def test_a_failed_answer_says_so_in_its_own_message(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    fake = ScriptedAssistant(settings, words)
    chat = chat_for(settings, fake, tmp_path)

    def broken(*args: Any, **kwargs: Any) -> Answer:
        raise ValueError("the store is being rebuilt")

    fake.ask = broken  # type: ignore[method-assign]
    outs = list(streamed(chat, pending="Who is Deif?"))
    assert last_message(outs[-1], chat) == "**Could not answer:** the store is being rebuilt"


def test_edit_and_resend_replaces_the_last_question_and_its_answer(
    settings: Settings, words: list[str], tmp_path: Any
) -> None:
    chat = chat_for(settings, ScriptedAssistant(settings, words), tmp_path)
    ask, states = chat.page.ask, chat.page.states
    conversation = page_after(list(streamed(chat, pending="Who is Deif?")))[states.conversation]
    list(streamed(chat, pending="Who is Hochstein?", conversation=conversation))
    editing = chat.edit_last(conversation, READER)
    assert set(editing) <= set(chat.edited)
    assert editing[ask.question] == "Who is Hochstein?" and editing[states.editing] is True
    resent = page_after(
        sent(chat, "Where did Hochstein meet Gallant?", replace=True, conversation=conversation)
    )
    assert resent[ask.edit_note] == gr.update(visible=False) and resent[states.editing] is False
    kept = chat.shared.kept.messages("reader", conversation)
    assert [(m.role, m.text) for m in kept if m.role == "user"] == [
        ("user", "Who is Deif?"),
        ("user", "Where did Hochstein meet Gallant?"),
    ]
    assert [m.role for m in kept] == ["user", "assistant"] * 2


def test_the_outlets_list_says_why_it_is_empty() -> None:
    from ui.layout import outlets_hint

    assert outlets_hint(["Reuters"]) is None
    assert "None of the stored articles names its outlet" in (outlets_hint([]) or "")


def test_a_search_that_finds_no_conversation_says_so(tmp_path: Any) -> None:
    from ui.controllers.shared import Shared
    from ui.conversations import ConversationStore

    shared = Shared(assistant=None, kept=ConversationStore(tmp_path / "c.db"))  # type: ignore[arg-type]
    made = shared.kept.create("", "How much did the pier cost?")
    found = shared.conversation_choices("", "pier")
    assert found["choices"] == [("How much did the pier cost?", made)] and found["info"] == ""
    none = shared.conversation_choices("", "eurovision ")
    assert none["choices"] == [] and none["info"] == "No conversation matches “eurovision”."


def test_the_line_beside_the_box_names_the_filters_in_force_and_clears_them() -> None:
    from ui.controllers.filters import FiltersController

    opening = Opening("", "", [], [], ["Reuters"], ["extractive"], "extractive", 6, "")
    with gr.Blocks():
        page = Page(opening)
    line = FiltersController(page)
    ask = page.ask
    shown = line.show("2024-01-01", "", ["Reuters", "*AP*"], "2024-06-01")
    assert set(shown) <= set(line.shown) and shown[ask.active_row]["visible"] is True
    assert shown[ask.active] == (
        "**Reading only** articles from Reuters or \\*AP\\* dated 2024-01-01 or later, "
        "asked as of 2024-06-01"
    )  # an outlet's name is text, not Markdown
    assert line.show("", "", [], "")[ask.active_row]["visible"] is False
    assert line.show("soon", "", [], "")[ask.active_row]["visible"] is False  # the note's job
    cleared = line.clear()
    assert set(cleared) <= set(line.cleared) and cleared[ask.outlets] == []
    assert cleared[ask.since] == cleared[ask.until] == cleared[ask.as_of] == ""


def test_an_answer_behind_another_says_it_waits_and_a_stop_ends_the_wait() -> None:
    from ui.controllers.run import WAITING

    lock, began = threading.Lock(), []
    lock.acquire()  # another reader's answer is being written
    run = AnswerRun()
    run.start(lambda: began.append("a") or "answer", lock)
    events = run.follow()
    assert next(events) == ("stage", WAITING)  # the reader sees why nothing comes yet
    lock.release()
    assert list(events) == [("done", "answer")] and began == ["a"]
    lock.acquire()
    stopped = AnswerRun()
    stopped.start(lambda: began.append("b"), lock)
    assert next(stopped.follow()) == ("stage", WAITING)
    stopped.stop()
    worker = f"answer-{id(stopped)}"
    deadline = time.monotonic() + 5
    while any(t.name == worker for t in threading.enumerate()):  # it leaves while the
        assert time.monotonic() < deadline, "still waiting after Stop"  # lock is still held
        time.sleep(0.05)
    lock.release()
    assert began == ["a"]


def test_a_waiting_question_taken_back_is_never_asked_and_goes_back_in_an_empty_box(
    settings: Settings, tmp_path: Any
) -> None:
    fake, chat, first, conversation = writing(settings, tmp_path)
    ask, later = chat.page.ask, []
    sending = threading.Thread(
        target=lambda: later.extend(streamed(chat, pending="And then?", conversation=conversation))
    )
    sending.start()
    deadline = time.monotonic() + 10
    while not chat.turns.line(conversation):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    [turn] = chat.turns.line(conversation)
    stranger = cast(gr.Request, SimpleNamespace(username="someone else"))
    assert chat.take_back(str(turn.number), "", conversation, stranger) == {ask.waiting: gr.skip()}
    taken = chat.take_back(str(turn.number), "", conversation, READER)
    assert taken[ask.question] == "And then?" and taken[ask.waiting]["visible"] is False
    sending.join(10)
    assert not sending.is_alive() and page_after(later)[ask.waiting]["visible"] is False
    again = chat.take_back(str(turn.number), "", conversation, READER)
    assert ask.question not in again  # taken back once only
    fake.endless = False
    list(first)
    kept = chat.shared.kept.messages("reader", conversation)
    assert [m.text for m in kept if m.role == "user"] == ["What did the envoys talk about?"]
    assert [q["question"] for q in fake.asked] == ["What did the envoys talk about?"]
