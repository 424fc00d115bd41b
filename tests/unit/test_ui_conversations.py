"""Kept conversations: each owner sees only their own; an answer reopens exactly as shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Answer, CheckReport, Citation, Dropped, Passage
from ui.conversations import ConversationStore
from ui.render import chat_message, sources_html


def an_answer() -> Answer:
    passage = Passage(
        rank=1,
        chunk_id="c1",
        doc="002.txt",
        title="Gallant and Austin",
        date="2024-07-16",
        source="Times",
        url="https://example.com/a",
        text="He called him the “Osama bin Laden of Gaza,” the readout said.",
        score=0.9,
        start=100,
        end=163,
    )
    citation = Citation(
        n=1,
        doc="002.txt",
        title="Gallant and Austin",
        date="2024-07-16",
        source="Times",
        url="https://example.com/a",
        quote="He called him the “Osama bin Laden of Gaza,”",
        score=0.9,
        chunk_id="c1",
        start=100,
        end=144,
        passage=1,
    )
    return Answer(
        question="What did Gallant call Deif?",
        abstained=False,
        mode="extractive",
        answer="He called him the “Osama bin Laden of Gaza” [1]",
        citations=[citation],
        passages=[passage],
        citation_check=CheckReport(dropped=[Dropped("Deif is 90", 1, "states “90” not in [1]")]),
    )


def one_exchange(store: ConversationStore, answer: Answer) -> int:
    """ana's conversation: the Deif question and `answer`, searched as "Deif?"."""
    chat = store.create("ana", "What did Gallant call Deif?")
    store.add("ana", chat, "user", "What did Gallant call Deif?")
    store.add("ana", chat, "assistant", answer.answer, answer.to_json(), "Deif?")
    return chat


def test_a_reopened_answer_renders_exactly_as_it_was_shown(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.db")
    answer = an_answer()
    chat = one_exchange(store, answer)
    reopened = ConversationStore(tmp_path / "conversations.db")  # a restarted server
    [question, reply] = reopened.messages("ana", chat)
    assert (question.role, question.text, reply.searched) == ("user", question.text, "Deif?")
    again = Answer.from_json(reply.answer or {})
    assert again == answer
    assert chat_message(again, "Deif?", question.text) == chat_message(
        answer, "Deif?", question.text
    )
    assert sources_html(again) == sources_html(answer)


def test_owners_never_see_each_others_conversations(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.db")
    mine = store.create("ana", "Hochstein's visit")
    store.add("ana", mine, "user", "When did Hochstein visit Tel Aviv?")
    theirs = store.create("ben", "Pier costs")
    assert [c.id for c in store.list("ana")] == [mine]
    assert store.messages("ben", mine) == [] and not store.owns("ben", mine)
    assert not store.rename("ben", mine, "taken") and not store.delete("ben", mine)
    with pytest.raises(KeyError):
        store.add("ben", mine, "user", "sneaking in")
    assert store.title("ana", mine) == "Hochstein's visit"
    assert [c.id for c in store.list("ben")] == [theirs]


def test_search_finds_titles_and_message_text_and_delete_removes_the_messages(
    tmp_path: Path,
) -> None:
    store = ConversationStore(tmp_path / "c.db")
    first = store.create("", "Deif")
    store.add("", first, "assistant", "the “Osama bin Laden of Gaza” [1]")
    second = store.create("", "Pier")
    store.add("", second, "user", "How much did the 100%_pier cost?")
    assert [c.id for c in store.list("", "osama BIN")] == [first]
    assert [c.id for c in store.list("", "100%_")] == [second]  # LIKE wildcards are literal
    assert [c.id for c in store.list("", "%")] == [second]
    assert (
        store.rename("", second, "  The   Gaza pier  ")
        and store.title("", second) == "The Gaza pier"
    )
    assert store.delete("", first) and store.list("", "osama") == []
    assert store.messages("", first) == []


def test_dropping_the_last_exchange_removes_the_last_question_and_its_answer_only(
    tmp_path: Path,
) -> None:
    store = ConversationStore(tmp_path / "conversations.db")
    answer = an_answer()
    chat = store.create("ana", "first")
    for question in ("first", "second"):
        store.add("ana", chat, "user", question)
        store.add("ana", chat, "assistant", answer.answer, answer.to_json())
    assert store.last_question("bob", chat) is None  # another owner sees nothing …
    assert store.drop_last_exchange("bob", chat) is None  # … and removes nothing
    assert store.last_question("ana", chat) == "second"
    assert store.drop_last_exchange("ana", chat) == "second"
    assert [(m.role, m.text) for m in store.messages("ana", chat)] == [
        ("user", "first"),
        ("assistant", answer.answer),
    ]
    store.add("ana", chat, "user", "third")  # a question whose answer never came
    assert store.drop_last_exchange("ana", chat) == "third"
    assert store.drop_last_exchange("ana", chat) == "first"
    assert store.messages("ana", chat) == [] and store.drop_last_exchange("ana", chat) is None
    assert store.last_question("ana", None) is None


def test_a_question_keeps_its_filters_and_an_older_file_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "conversations.db"
    with sqlite3.connect(path) as db:  # as written before questions kept their filters
        db.executescript("""CREATE TABLE conversations (id INTEGER PRIMARY KEY AUTOINCREMENT,
            owner TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL,
            updated REAL NOT NULL);
          CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation INTEGER
            NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL,
            text TEXT NOT NULL, answer TEXT, searched TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL);
          INSERT INTO conversations VALUES (1, '', 'old', 0, 0);
          INSERT INTO messages VALUES (1, 1, 'user', 'old question', NULL, '', 0);""")
    db.close()
    store = ConversationStore(path)
    store.add("", 1, "user", "new question", asked_with={"since": "2024-01-01", "top_k": 4})
    assert [(m.text, m.asked_with) for m in store.messages("", 1)] == [
        ("old question", None),
        ("new question", {"since": "2024-01-01", "top_k": 4}),
    ]


def test_the_database_and_its_wal_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    import os
    import sqlite3

    older = tmp_path / "old.db"  # as an earlier version left it: 0644 under umask 022
    sqlite3.connect(older).execute("PRAGMA journal_mode = WAL").connection.close()
    older.chmod(0o644)
    previous = os.umask(0o022)
    try:
        for path in (tmp_path / "new.db", older):
            store = ConversationStore(path)
            chat = store.create("ana", "Pier costs")
            store.add("ana", chat, "user", "What did the pier cost?")
            files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            assert [oct(f.stat().st_mode & 0o777) for f in files] == ["0o600"] * 3, path
    finally:
        os.umask(previous)


def test_a_deleted_conversation_can_be_restored_whole_by_its_owner_only(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "conversations.db")
    answer = an_answer()
    chat = store.create("ana", "What did Gallant call Deif?")
    store.add("ana", chat, "user", "What did Gallant call Deif?", asked_with={"top_k": 3})
    store.add("ana", chat, "assistant", answer.answer, answer.to_json(), "Deif?")
    store.rename("ana", chat, "Deif")
    before = store.messages("ana", chat)
    assert store.delete("ana", chat)
    assert not store.owns("ana", chat) and store.list("ana") == []
    assert not store.restore("bo", chat)  # another login cannot bring it back
    assert store.restore("ana", chat)
    assert store.owns("ana", chat) and store.title("ana", chat) == "Deif"
    assert store.messages("ana", chat) == before  # same id, same messages, filters kept
    assert not store.restore("ana", chat)  # the trash held it once
    store.add("ana", chat, "user", "And Hochstein?")  # it is a live conversation again
    assert [m.text for m in store.messages("ana", chat)][-1] == "And Hochstein?"


def test_the_trash_is_emptied_after_a_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.conversations as conversations

    store = ConversationStore(tmp_path / "conversations.db")
    old = store.create("ana", "old question")
    store.delete("ana", old)
    clock = conversations.time.time() + conversations.TRASH_KEPT_S + 1
    monkeypatch.setattr(conversations.time, "time", lambda: clock)
    assert not store.restore("ana", old)


def test_cards_of_a_deleted_article_say_so_and_offer_no_article(tmp_path: Path) -> None:
    from ui.controllers.history import render_history

    store = ConversationStore(tmp_path / "conversations.db")
    chat = one_exchange(store, an_answer())
    [_, kept], _ = render_history(store.messages("ana", chat), gone={})
    assert "open-article" in kept["content"] and "removed from the library" not in kept["content"]
    [_, gone], _ = render_history(store.messages("ana", chat), gone={"002.txt": ""})
    assert "open-article" not in gone["content"]
    assert "removed from the library" in gone["content"]
    assert "Osama bin Laden of Gaza" in gone["content"]  # the quote is kept
