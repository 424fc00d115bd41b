"""Registry and claim records read and written in pages, and collections created safely.

Chroma refuses one call with more records than its max batch size (5,461 here): a re-ingest
of 10,000 small files once failed that way, so every read, upsert and delete of records goes
in pages of `PAGE`. Records carry no meaning in vector space: each gets a one-number dummy
vector. What it leaves out: chunks (written through llama-index's `ChromaVectorStore`).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

Metadata = dict[str, Any]  # one record's flat metadata, as Chroma holds it
PAGE = 5000
DUMMY_VECTOR = [1.0]  # registry records carry no meaning in vector space


def pages(ids: list[str]) -> Iterator[list[str]]:
    """`ids` in pages of at most `PAGE`."""
    for start in range(0, len(ids), PAGE):
        yield ids[start : start + PAGE]


def metadatas(
    collection: Any, ids: list[str] | None, where: Metadata | None = None
) -> dict[str, Metadata]:
    """Metadata by record id, of these ids or of all records (matching `where`), paged."""
    found: dict[str, Metadata] = {}
    if ids is not None:
        for ids_page in pages(ids):
            page = collection.get(ids=ids_page, where=where, include=["metadatas"])
            found.update(zip(page["ids"], page["metadatas"]))
        return found
    offset = 0
    while True:
        page = collection.get(where=where, include=["metadatas"], limit=PAGE, offset=offset)
        found.update(zip(page["ids"], page["metadatas"]))
        if len(page["ids"]) < PAGE:
            return found
        offset += PAGE


def update(collection: Any, fields: dict[str, Metadata]) -> None:
    """Merge `fields` into the metadata of these records, in pages."""
    for page in pages(list(fields)):
        collection.update(ids=page, metadatas=[fields[i] for i in page])


def upsert(collection: Any, records: dict[str, Metadata]) -> None:
    for page in pages(list(records)):
        collection.upsert(
            ids=page, metadatas=[records[i] for i in page], embeddings=[DUMMY_VECTOR] * len(page)
        )


def delete(collection: Any, ids: Iterable[str]) -> None:
    for page in pages(list(ids)):
        collection.delete(ids=page)


def collection(client: Any, lock: Any, name: str, metadata: Metadata | None = None) -> Any:
    """The collection `name`, created holding `lock` when it is not there yet (on the
    embedded store, two processes creating one collection at once is the race in `open`)."""
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(name, embedding_function=None)
    except NotFoundError:
        with lock:
            return client.get_or_create_collection(name, metadata=metadata, embedding_function=None)
