"""Topics: saved briefing requests with a name, and the briefing versions each has had.

A topic is what a reader follows for weeks ("Hurricane Ian", words plus outlets and dates);
each refresh that found news adds a version: when it was made, which stored article versions
it saw (ids and content hashes, so it can be rebuilt and so the next refresh knows what is
new), its Markdown, and its lines as data (text, the articles it cites, its figures) for the
next "what changed" to compare against. Kept as one JSON file per topic under
`<RAG_DATA_DIR>/topics/`, written whole to a temporary file and moved into place, so a
reader never sees half a file and a crash leaves the last version; every change re-reads the
file under a lock (`Topics.change`), so a refresh by `rag watch` and a reader opening the topic
in the UI at the same moment both stand. Which version each reader last opened is kept per
reader (the UI's login; "" on the command line). What it leaves out:
building and comparing briefings (`rag.following.refresh`, `rag.following.changes`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from rag.retrieval import Filters

VERSIONS_KEPT = 20  # older versions are dropped: a topic is read for what is new
_NAME = re.compile(r"^(?![.\s])[^/\\\x00-\x1f\x7f]{1,80}(?<!\s)$")  # no path, no control


@dataclass(frozen=True)
class Mention:
    """A line of a briefing version as the next version compares with it."""

    text: str
    docs: list[str]  # the articles it cites, one per syndicated copy
    source: str
    date: str
    title: str = ""
    url: str = ""
    quote: str = ""  # the first article's sentence, verbatim: what a footnote quotes
    vector: list[float] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Version:
    """One briefing of a topic: when, from which article versions, what it said."""

    made_at: str  # ISO time, UTC
    articles: dict[str, str]  # id -> content hash of every stored article the filters admitted
    markdown: str
    mentions: list[Mention]
    changes: list[str] = field(default_factory=list)  # what changed, as written at the top


@dataclass
class Topic:
    """A saved briefing request, and its versions oldest first."""

    name: str
    words: str  # what the briefing is about, as the reader wrote it
    since: str = ""
    until: str = ""
    sources: list[str] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    read_by: dict[str, str] = field(default_factory=dict)  # reader -> `made_at` last opened

    @property
    def filters(self) -> Filters:
        return Filters(
            since=date.fromisoformat(self.since) if self.since else None,
            until=date.fromisoformat(self.until) if self.until else None,
            sources=tuple(self.sources),
        )

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def unread(self, reader: str = "") -> bool:
        """Whether `reader` has not opened a version that came with news: the first one, or
        one whose refresh found changes, made after the version they last opened."""
        seen = self.read_by.get(reader, "")
        return any(v.made_at > seen and (v.changes or v is self.versions[0]) for v in self.versions)


class Topics:
    """The topics of one store, one JSON file each under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[str] = []  # topic files the last `list` could not read, and why

    def add(self, topic: Topic) -> Topic:
        """Save a new topic; ValueError when the name is taken or unusable."""
        check_name(topic.name)
        if not topic.words.strip():
            raise ValueError(f"topic {topic.name!r}: give the words it is about")
        with self._locked():
            if self.path(topic.name).exists():
                raise ValueError(f"a topic named {topic.name!r} exists already (`rag topic list`)")
            self.save(topic)
        return topic

    def get(self, name: str) -> Topic | None:
        path = self.path(name)
        return _load(path) if path.exists() else None

    def list(self) -> list[Topic]:
        """Every topic that can be read, by name; a damaged file is left out, and named
        with what is wrong in `problems` (one bad file does not hide the other topics)."""
        found, self.problems = [], []
        for path in sorted(self.folder.glob("*.json")) if self.folder.exists() else []:
            try:
                found.append(_load(path))
            except ValueError as err:
                self.problems.append(str(err))
        return sorted(found, key=lambda t: t.name.lower())

    def remove(self, name: str) -> bool:
        with self._locked():
            path = self.path(name)
            if not path.exists():
                return False
            path.unlink()
            return True

    def change(self, name: str, edit: Callable[[Topic], None]) -> Topic | None:
        """Apply `edit` to the topic as it is now on disk and save it, under the lock (None:
        no such topic, removed meanwhile)."""
        with self._locked():
            topic = self.get(name)
            if topic is not None:
                edit(topic)
                self.save(topic)
            return topic

    def mark_read(self, name: str, reader: str = "") -> Topic | None:
        """Record that `reader` opened the topic's newest version."""

        def read(topic: Topic) -> None:
            if topic.latest is not None:
                topic.read_by[reader] = topic.latest.made_at

        return self.change(name, read)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes (`fcntl.flock` on `folder/.lock`)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def save(self, topic: Topic) -> None:
        """Write the topic whole: a temporary file moved over the old one (callers that read
        first hold the lock: `change`)."""
        topic.versions = topic.versions[-VERSIONS_KEPT:]
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(topic), ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".topic-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path(topic.name))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def path(self, name: str) -> Path:
        return self.folder / f"{_slug(name)}.json"


def check_name(name: str) -> None:
    """ValueError unless `name` can name a topic: up to 80 characters, no slash, no control
    character, not starting with a dot or a space."""
    if not _NAME.fullmatch(name or ""):
        raise ValueError(
            f"topic name {name!r}: use up to 80 characters, without / or \\, not starting "
            "with a dot or a space"
        )


def _slug(name: str) -> str:
    """A file name for a topic name: "Ian" and "ian" are one topic, and no two names that
    differ otherwise share a file (other characters are written as `_XXXX_`)."""
    return "".join(c if c.isalnum() and c.isascii() else f"_{ord(c):04x}_" for c in name.lower())


def _load(path: Path) -> Topic:
    try:
        return _topic(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: not a topic file this version can read ({err})") from err


def _topic(data: dict[str, Any]) -> Topic:
    versions = [
        Version(**{**v, "mentions": [Mention(**m) for m in v.get("mentions", [])]})
        for v in data.get("versions", [])
    ]
    return Topic(**{**data, "versions": versions})
