"""The web UI's conversations, kept on the server in SQLite (`<RAG_DATA_DIR>/conversations.db`).

One row per conversation (owner, title, times) and one row per message: the question as
typed, or the answer with its full `Answer.to_json()` and the question it was searched as,
so a conversation reopened later re-renders with the same citations and source cards, and
follow-ups keep their context. A deleted conversation waits in a trash for a day, so the
delete can be undone. Every call names the owner (the login user when
`RAG_UI_AUTH` is set, "" otherwise) and only ever sees that owner's rows.

It lives in `ui/` because only the web UI has conversations: `rag ask` is one question per
call and the answering code neither needs nor reads them. It renders nothing and answers
nothing; the controllers (`ui.controllers.chat`, `ui.controllers.sidebar`) do both.
"""

from __future__ import annotations

import builtins
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    text TEXT NOT NULL,
    answer TEXT,
    searched TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    asked_with TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation, id);
CREATE TABLE IF NOT EXISTS trash (
    conversation INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    deleted REAL NOT NULL,
    kept TEXT NOT NULL
);
"""
TITLE_MAX_CHARS = 80
TRASH_KEPT_S = 24 * 3600  # how long a deleted conversation can be brought back


@dataclass
class Conversation:
    id: int
    title: str
    updated: float


@dataclass
class Message:
    role: str  # "user" | "assistant"
    text: str  # the question, the answer's text (searched), or what a failed answer said
    answer: dict[str, Any] | None  # Answer.to_json() of an answer
    searched: str  # the question as it was searched (a follow-up's rewrite)
    asked_with: dict[str, Any] | None = None  # a question's filters and settings, to ask again


class ConversationStore:
    """Conversations of many owners in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _make_private(path)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(messages)")}
        if "asked_with" not in columns:  # a file written before questions kept their filters
            with self._db:
                self._db.execute("ALTER TABLE messages ADD COLUMN asked_with TEXT")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    def create(self, owner: str, title: str) -> int:
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations (owner, title, created, updated) VALUES (?, ?, ?, ?)",
                (owner, _title(title), now, now),
            )
            return int(cur.lastrowid or 0)

    def list(self, owner: str, text: str = "") -> list[Conversation]:
        """The owner's conversations, newest first; with `text`, those whose title or any
        message contains it (case-insensitive)."""
        query = "SELECT id, title, updated FROM conversations c WHERE owner = ?"
        args: list[Any] = [owner]
        if text.strip():
            like = (
                "%"
                + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            query += (
                " AND (title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m "
                "WHERE m.conversation = c.id AND m.text LIKE ? ESCAPE '\\'))"
            )
            args += [like, like]
        with self._tx() as db:
            rows = db.execute(query + " ORDER BY updated DESC, id DESC", args).fetchall()
        return [Conversation(*row) for row in rows]

    def owns(self, owner: str, conversation: int | None) -> bool:
        if conversation is None:
            return False
        with self._tx() as db:
            return (
                db.execute(
                    "SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conversation, owner)
                ).fetchone()
                is not None
            )

    def title(self, owner: str, conversation: int) -> str:
        with self._tx() as db:
            row = db.execute(
                "SELECT title FROM conversations WHERE id = ? AND owner = ?", (conversation, owner)
            ).fetchone()
        return row[0] if row else ""

    def rename(self, owner: str, conversation: int, title: str) -> bool:
        if not title.strip():
            return False
        with self._tx() as db:
            cur = db.execute(
                "UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                (_title(title), conversation, owner),
            )
            return cur.rowcount == 1

    def delete(self, owner: str, conversation: int) -> bool:
        """Delete the owner's conversation, keeping a copy in the trash for `TRASH_KEPT_S`
        so `restore` can undo it (older trash is emptied here)."""
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM trash WHERE deleted < ?", (now - TRASH_KEPT_S,))
            row = db.execute(
                "SELECT id, title, created, updated FROM conversations WHERE id = ? AND owner = ?",
                (conversation, owner),
            ).fetchone()
            if row is None:
                return False
            messages = db.execute(
                "SELECT id, role, text, answer, searched, created, asked_with FROM messages "
                "WHERE conversation = ? ORDER BY id",
                (conversation,),
            ).fetchall()
            kept = json.dumps({"conversation": list(row), "messages": [list(m) for m in messages]})
            db.execute(
                "INSERT OR REPLACE INTO trash (conversation, owner, deleted, kept) "
                "VALUES (?, ?, ?, ?)",
                (conversation, owner, now, kept),
            )
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation,))
            return True

    def restore(self, owner: str, conversation: int) -> bool:
        """Bring back the owner's conversation from the trash, with its id and messages as
        they were (ids are never reused, so an address to it works again); False when it is
        not there (emptied, restored already, or not the owner's)."""
        with self._tx() as db:
            row = db.execute(
                "SELECT kept FROM trash WHERE conversation = ? AND owner = ? AND deleted >= ?",
                (conversation, owner, time.time() - TRASH_KEPT_S),
            ).fetchone()
            if row is None:
                return False
            kept = json.loads(row[0])
            db.execute(
                "INSERT INTO conversations (id, owner, title, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (kept["conversation"][0], owner, *kept["conversation"][1:]),
            )
            db.executemany(
                "INSERT INTO messages (id, conversation, role, text, answer, searched, created, "
                "asked_with) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(m[0], conversation, *m[1:]) for m in kept["messages"]],
            )
            db.execute("DELETE FROM trash WHERE conversation = ?", (conversation,))
            return True

    def add(
        self,
        owner: str,
        conversation: int,
        role: str,
        text: str,
        answer: dict[str, Any] | None = None,
        searched: str = "",
        asked_with: dict[str, Any] | None = None,
    ) -> None:
        """Append one message; refused (KeyError) when the conversation is not the owner's.
        A question keeps `asked_with` (its filters and settings) so it can be asked again."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "UPDATE conversations SET updated = ? WHERE id = ? AND owner = ?",
                (now, conversation, owner),
            )
            if cur.rowcount != 1:
                raise KeyError(f"conversation {conversation} is not yours or no longer exists")
            db.execute(
                "INSERT INTO messages (conversation, role, text, answer, searched, "
                "created, asked_with) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation,
                    role,
                    text,
                    json.dumps(answer, ensure_ascii=False) if answer is not None else None,
                    searched,
                    now,
                    json.dumps(asked_with, ensure_ascii=False) if asked_with else None,
                ),
            )

    def last_question(self, owner: str, conversation: int | None) -> str | None:
        """The conversation's last question as typed, or None when it has none (or is not
        the owner's)."""
        if conversation is None:
            return None
        with self._tx() as db:
            row = db.execute(
                "SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation "
                "WHERE c.id = ? AND c.owner = ? AND m.role = 'user' ORDER BY m.id DESC LIMIT 1",
                (conversation, owner),
            ).fetchone()
        return row[0] if row else None

    def drop_last_exchange(self, owner: str, conversation: int) -> str | None:
        """Remove the last question and everything after it (its answer), so regenerate and
        edit-and-resend replace the exchange instead of piling a second one on it; returns
        the question removed, or None when there was none."""
        with self._tx() as db:
            row = db.execute(
                "SELECT m.id, m.text FROM messages m JOIN conversations c ON "
                "c.id = m.conversation WHERE c.id = ? AND c.owner = ? AND m.role = 'user' "
                "ORDER BY m.id DESC LIMIT 1",
                (conversation, owner),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "DELETE FROM messages WHERE conversation = ? AND id >= ?", (conversation, row[0])
            )
            return str(row[1])

    def messages(self, owner: str, conversation: int) -> builtins.list[Message]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT m.role, m.text, m.answer, m.searched, m.asked_with FROM messages m "
                "JOIN conversations c ON c.id = m.conversation WHERE c.id = ? AND "
                "c.owner = ? ORDER BY m.id",
                (conversation, owner),
            ).fetchall()
        return [
            Message(
                role,
                text,
                json.loads(answer) if answer else None,
                searched,
                json.loads(asked_with) if asked_with else None,
            )
            for role, text, answer, searched, asked_with in rows
        ]


def _make_private(path: Path) -> None:
    """Create the database readable and writable by this user only, and narrow one an older
    version left 0644: it holds every chat, and the data dir is usually 0755. SQLite gives
    its -wal, -shm and -journal files the database's own mode, so they follow; ones already
    there are narrowed too."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in ("", "-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + name)
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(0o600)


def _title(text: str) -> str:
    words = " ".join(text.split())
    return (
        words if len(words) <= TITLE_MAX_CHARS else words[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    )
