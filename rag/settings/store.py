"""Where the assistant keeps its data: the data folder, the Chroma collection, a Chroma server.

The field group `Settings` reads these from (`RAG_DATA_DIR`, `RAG_COLLECTION`,
`RAG_CHROMA_URL`), each checked as it is read so a bad value is one line naming the variable,
not a traceback when the store first opens; and the paths inside the data folder that follow
from them. Opening the store is `rag.index`'s job.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, Field, field_validator

COLLECTION_NAME_MAX = 512  # Chroma's limit on a collection name
_COLLECTION_NAME = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?")


class StoreFields(BaseModel):
    """The store's location and name, and the folders inside it."""

    data_dir: Path = Field(
        Path(".rag"), description="Where the on-disk Chroma store, the BM25 index and caches live."
    )
    collection: str = Field(
        "articles",
        description="Chroma collection holding the article chunks (a second one, "
        "'<collection>__articles', records which article versions are fully stored).",
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a `chroma run` server (e.g. http://127.0.0.1:8000). "
        "Unset: Chroma runs embedded on disk in data_dir.",
    )

    @property
    def uploads_dir(self) -> Path:
        """Where files uploaded through the UI are kept (inside data_dir, nowhere else)."""
        return self.data_dir / "uploads"

    @property
    def topics_dir(self) -> Path:
        """Where followed topics and their briefing versions are kept (`rag.following`)."""
        return self.data_dir / "topics"

    @property
    def bm25_dir(self) -> Path:
        """Where the BM25 index of this collection is persisted."""
        return self.data_dir / "bm25" / self.collection

    @field_validator("chroma_url")
    @classmethod
    def _chroma_url_is_a_url(cls, value: str | None) -> str | None:
        """Unset or blank: the embedded store. Else an http(s) URL with a host (and a
        numeric port, if any), caught here rather than as a traceback on first use."""
        if not value or not value.strip():
            return None
        try:
            url = urlparse(value.strip())
            url.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                "is not a URL of a `chroma run` server; use e.g. "
                "http://127.0.0.1:8000, or unset it for the on-disk store"
            )
        return value.strip()

    @field_validator("collection")
    @classmethod
    def _collection_is_a_chroma_name(cls, value: str) -> str:
        """Chroma refuses other names only once the store is opened, and that refusal read
        as a damaged database. It also names the bm25/<collection> folder, and the longest
        suffix added ('__articles') must still fit Chroma's 512 characters."""
        longest = COLLECTION_NAME_MAX - len("__articles")
        if not 3 <= len(value) <= longest or not _COLLECTION_NAME.fullmatch(value):
            raise ValueError(
                f"is not a collection name; use 3-{longest} letters, digits, "
                "'.', '_' or '-', starting and ending with a letter or digit "
                "(e.g. articles)"
            )
        return value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir_is_given(cls, value: object) -> object:
        """An empty value would silently mean the current directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty; give a folder, or unset it for ./.rag")
        return value

    @field_validator("data_dir")
    @classmethod
    def _data_dir_is_a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError("is a file, not a folder; give a folder for the store")
        return value
