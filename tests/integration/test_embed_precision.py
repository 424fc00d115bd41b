"""A store is embedded at one precision: it records it, `auto` follows it, a clash is refused.

The CPU decides only for new stores (int8 with VNNI or AMX, fp32 without); a store written
before precisions existed is fp32, and asking it at int8 is refused rather than mixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import StoreUnavailable
from rag.index.chroma_client import open_client
from rag.index.precision import EMBEDDER_KEY, best_precision, int8_units
from rag.index.store import Store
from rag.ingest.pipeline import ingest, recipe
from rag.settings import Settings
from tests.helpers import SEEDS


def test_the_cpu_decides_for_new_stores() -> None:
    assert best_precision(frozenset({"avx2", "fma"})) == "fp32"
    assert best_precision(frozenset({"avx512f", "avx512_vnni"})) == "int8"
    assert best_precision(frozenset({"amx_tile", "amx_int8"})) == "int8"
    assert int8_units(frozenset({"avx_vnni", "sse4_2"})) == ["avx_vnni"]


def _recorded(settings: Settings) -> str | None:
    client = open_client(settings)
    metadata = client.get_collection(settings.collection, embedding_function=None).metadata
    return (metadata or {}).get(EMBEDDER_KEY)


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_a_new_store_records_its_precision_and_auto_follows_it(
    settings: Settings, precision: str
) -> None:
    chosen = settings.model_copy(update={"embed_precision": precision})
    Store.open(chosen)
    assert _recorded(settings) == "all-MiniLM-L6-v2" + ("/int8" if precision == "int8" else "")
    assert Store.open(settings).settings.embed_precision == precision  # auto, reopened
    other = "fp32" if precision == "int8" else "int8"
    with pytest.raises(StoreUnavailable) as refused:
        Store.open(settings.model_copy(update={"embed_precision": other}))
    said = str(refused.value)
    assert str(settings.data_dir.resolve()) in said and "RAG_EMBED_PRECISION" in said
    assert f"embedded at {precision}" in said


def test_an_auto_store_gets_this_cpus_best(settings: Settings) -> None:
    assert Store.open(settings).settings.embed_precision == best_precision()


def test_a_store_from_before_precisions_is_fp32_and_keeps_its_articles(
    settings: Settings,
) -> None:
    client = open_client(settings)
    client.create_collection(
        settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    del client
    legacy = settings.model_copy(update={"embed_precision": "fp32"})
    first = ingest([SEEDS], legacy, progress=False)
    assert first.chunks > 0
    store = Store.open(settings)  # auto
    assert store.settings.embed_precision == "fp32"
    assert recipe(store.embedding_settings(settings)) == recipe(legacy)
    again = ingest([SEEDS], settings, progress=False)  # auto: nothing re-embedded
    assert again.chunks == 0 and len(again.skipped) == len(first.added)
    with pytest.raises(StoreUnavailable):
        ingest([SEEDS], settings.model_copy(update={"embed_precision": "int8"}), progress=False)
    assert Store.open(settings).chunks.count() == store.chunks.count()
    assert _recorded(settings) is None  # nothing written to the old store's metadata


def test_the_precision_is_part_of_each_articles_recipe(tmp_path: Path) -> None:
    base = Settings(data_dir=tmp_path)
    fp32 = recipe(base.model_copy(update={"embed_precision": "fp32"}))
    int8 = recipe(base.model_copy(update={"embed_precision": "int8"}))
    assert fp32 != int8 and "/int8" in int8 and "/int8" not in fp32
