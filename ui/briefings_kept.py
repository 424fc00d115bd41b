"""Briefings kept under `<RAG_DATA_DIR>/briefings/`, for the API and the Briefing tab alike.

Each briefing is two files named by one key, `<UTC time>-<topic slug>`: its Markdown (what is
shown and downloaded) and its JSON (every section as data, with the topic, time and filters
that name it in a list). Keys sort by time, so the newest is listed first. The Briefing tab
and the API's `/api/briefings` read the same folder, so a briefing made in one is listed by
the other. It writes and reads files only; building a briefing is `rag.build_briefing`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

_KEY = re.compile(r"[0-9T]+-[a-z0-9-]+")


@dataclass(frozen=True)
class KeptBriefing:
    key: str
    topic: str
    generated_at: str
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How a list names it: the topic and when it was written ("… · 2026-12-04 13:05")."""
        return f"{self.topic} · {self.generated_at[:16].replace('T', ' ')}"


class KeptBriefings:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, topic: str, briefing: Any, markdown: str) -> KeptBriefing:
        """Keep a briefing just built (`briefing` is `rag.Briefing`), under a new key."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:60] or "briefing"
        key = f"{stamp}-{slug}"
        data = json.loads(json.dumps(briefing, default=_plain))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.markdown_path(key).write_text(markdown, encoding="utf-8")
        self._json(key).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return _named(key, data)

    def list(self) -> list[KeptBriefing]:
        """Kept briefings, newest first."""
        found = sorted(self.folder.glob("*.json"), reverse=True) if self.folder.exists() else []
        return [_named(p.stem, _read(p)) for p in found if _KEY.fullmatch(p.stem)]

    def get(self, key: str) -> tuple[KeptBriefing, str, dict[str, Any]] | None:
        """The briefing under `key`, its Markdown and its data; None when none is kept so."""
        if not self.has(key):
            return None
        data = _read(self._json(key))
        return _named(key, data), self.markdown_path(key).read_text(encoding="utf-8"), data

    def has(self, key: str) -> bool:
        return bool(_KEY.fullmatch(key or "")) and self._json(key).exists()

    def delete(self, key: str) -> bool:
        """Remove both files of the briefing under `key`; False when none is kept so."""
        if not self.has(key):
            return False
        self._json(key).unlink(missing_ok=True)
        self.markdown_path(key).unlink(missing_ok=True)
        return True

    def markdown_path(self, key: str) -> Path:
        return self.folder / f"{key}.md"

    def _json(self, key: str) -> Path:
        return self.folder / f"{key}.json"


def _named(key: str, data: dict[str, Any]) -> KeptBriefing:
    return KeptBriefing(
        key, data.get("topic", ""), data.get("generated_at", ""), data.get("filters", {})
    )


def _read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _plain(value: Any) -> Any:
    """What `json` cannot write by itself in a briefing: dataclasses, dates, tuples."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)
