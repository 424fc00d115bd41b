"""Opening Chroma: a `chroma run` server over HTTP, the on-disk store, or a private copy of
an on-disk store this process may not write (Chroma's engine writes on every start, even to
read). Errors say in one line what is wrong and how to get going again (start the server,
rebuild a damaged or truncated store). What it leaves out: the collections and the registry
(`rag.index.store`).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from rag.errors import StoreUnavailable, disk_full
from rag.settings import Settings

log = logging.getLogger(__name__)


def read_only_reason(settings: Settings) -> str | None:
    """Why this process cannot write the on-disk store ("a read-only file system", "no write
    permission"), or None when it can (or the store does not exist yet)."""
    if settings.chroma_url:
        return None
    folder = settings.data_dir / "chroma"
    database = folder / "chroma.sqlite3"
    if not database.exists():
        return None  # nothing stored yet: creating it will say what is wrong, if anything
    if os.statvfs(database).f_flag & os.ST_RDONLY:
        return "a read-only file system"  # root writes through permission bits, not this
    if not all(os.access(p, os.W_OK) for p in (settings.data_dir, folder, database)):
        return "no write permission"
    return None


def _private_copy(folder: Path) -> Path:
    """A copy of the Chroma folder in a temporary place only this process uses; removed at
    exit. Chroma's engine writes to its database on start, even to read."""
    copy = Path(tempfile.mkdtemp(prefix="rag-read-only-")) / "chroma"
    atexit.register(shutil.rmtree, copy.parent, ignore_errors=True)
    shutil.copytree(folder, copy)
    for path in (copy, *copy.rglob("*")):
        path.chmod(0o700 if path.is_dir() else 0o600)  # a copy of a chmod a-w store
    return copy


def open_client(settings: Settings) -> Any:
    """A Chroma client: HTTP when `RAG_CHROMA_URL` is set, else persistent in data_dir (a
    private copy of it when the store is read-only for this process)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise StoreUnavailable(
                f"RAG_CHROMA_URL={settings.chroma_url!r} is not a URL; "
                "use e.g. http://127.0.0.1:8000"
            )
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as err:
            raise StoreUnavailable(
                f"Cannot reach the Chroma server at {settings.chroma_url} ({err}). Start it "
                "with `chroma run --path DIR --host 127.0.0.1 --port N`, or unset "
                "RAG_CHROMA_URL to use the on-disk store."
            ) from err
        return client
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "chroma"
    database = path / "chroma.sqlite3"
    if database.is_file() and database.stat().st_size == 0:
        # Chroma would quietly make a new empty database in it: every article gone, unsaid
        raise StoreUnavailable(
            f"{database.resolve()} is empty (0 bytes): the database was truncated and the "
            f"store's articles are gone. {rebuild_advice(settings)}"
        )
    if reason := read_only_reason(settings):
        log.info(
            "The store at %s is read-only (%s): reading a private copy; nothing will be saved.",
            path.resolve(),
            reason,
        )
        try:
            path = _private_copy(path)
        except OSError as err:
            raise StoreUnavailable(
                f"{path.resolve()} is read-only ({reason}) and could not be "
                f"copied to read it ({err.strerror or err})"
            ) from err
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as err:  # Chroma writes on start: a full disk is not a damaged store
        full = disk_full(
            err,
            settings.data_dir.resolve() / "chroma" / "chroma.sqlite3",
            "opening",
            check_space=True,
        )
        raise (full or StoreUnavailable(damaged_store_message(settings, err))) from err


def damaged_store_message(settings: Settings, err: BaseException) -> str:
    """What is wrong with an on-disk store Chroma cannot open, and how to rebuild it."""
    folder = settings.data_dir.resolve()
    reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:160]
    return (
        f"{folder / 'chroma' / 'chroma.sqlite3'} is not a readable Chroma database "
        f"({reason}). {rebuild_advice(settings)}"
    )


def rebuild_advice(settings: Settings) -> str:
    """How to rebuild an on-disk store from the article files."""
    folder = settings.data_dir.resolve()
    return (
        f"Rebuild the store: move {folder} aside (e.g. `mv {folder} {folder}.broken`), "
        "then `rag ingest` your article folders again."
    )


# what embedded Chroma says when a query reaches a vector another process added after this
# process opened the store: its in-memory index never loaded it
STALE_INDEX = "Error finding id"


def is_stale_index(err: BaseException) -> bool:
    """Whether `err` is embedded Chroma's in-process index missing another process's adds."""
    return STALE_INDEX in str(err)


def drop_engine(client: Any) -> None:
    """Forget this process's embedded Chroma engine of `client`'s path, so that the next
    client opened on it starts one that reads the store from disk.

    Embedded Chroma keeps one engine per path per process (`SharedSystemClient`), whose
    vector index holds what was there when it opened: after another process (`rag ingest`,
    `rag watch`) adds articles, a query whose filter reaches only them fails with
    `STALE_INDEX`. The old engine is not stopped: another thread may still be reading with
    it, and the clients made from it keep working as they did."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_system.pop(client._identifier, None)
