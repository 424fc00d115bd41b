"""The ONNX embedder at fp32 gives sentence-transformers' vectors (cosine >= 0.999), in input
order; bf16 (ingest's, on PyTorch) gives the same vectors to 1e-4; int8 stays close to fp32
and gives a text one vector whatever it is batched with. A session begun on a thread while a
command imports (`rag.warm_start`) is handed over once, and never built before the model is
exported."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from llama_index.core.ingestion import run_transformations
from llama_index.core.schema import MetadataMode

from rag.index import onnx_model
from rag.index.embedder import get_embed_model
from rag.index.onnx_embed import OnnxMiniLM
from rag.ingest.chunking import build_transformations
from rag.ingest.readers import read_paths
from rag.settings import Settings
from tests.helpers import SEEDS


def test_onnx_matches_sentence_transformers_on_seed_chunks(settings: Settings) -> None:
    nodes = run_transformations(read_paths([SEEDS]).documents, build_transformations(settings))
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    texts += ["Short.", "Gallant " * 400]  # a tiny text and one past the window
    onnx = get_embed_model(settings.model_copy(update={"embed_precision": "fp32"}))
    assert isinstance(onnx, OnnxMiniLM)
    torch_model = get_embed_model(settings.model_copy(update={"embed_runtime": "torch"}))
    a = np.array(onnx.get_text_embedding_batch(texts))
    b = np.array(torch_model.get_text_embedding_batch(texts))
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.999, cosines.min()
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    q = np.array(onnx.get_query_embedding("Who is Mohammed Deif?"))
    assert float(q @ np.array(torch_model.get_query_embedding("Who is Mohammed Deif?"))) > 0.999


def test_int8_stays_close_to_fp32_and_ignores_its_batch(settings: Settings) -> None:
    nodes = run_transformations(read_paths([SEEDS]).documents, build_transformations(settings))
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    fp32 = get_embed_model(settings.model_copy(update={"embed_precision": "fp32"}))
    int8 = get_embed_model(settings.model_copy(update={"embed_precision": "int8"}))
    assert int8 is not fp32
    a = np.array(int8.get_text_embedding_batch(texts))
    b = np.array(fp32.get_text_embedding_batch(texts))
    cosines = (a * b).sum(axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.97, (cosines.mean(), cosines.min())
    assert not np.allclose(a, b, atol=1e-4)  # it really is another model
    alone = np.array([int8.get_text_embedding(t) for t in texts[:5]])
    assert np.array_equal(alone, a[:5])  # one text's vector, batched or not
    question = "How much did the pier cost?"
    assert int8.get_query_embedding(question) == int8.get_text_embedding(question)


def test_bf16_writes_fp32s_vectors_and_questions_stay_on_onnx(settings: Settings) -> None:
    from rag.index.torch_bf16 import Bf16MiniLM

    nodes = run_transformations(read_paths([SEEDS]).documents, build_transformations(settings))
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    texts += ["Short.", "Gallant " * 400]
    as_bf16 = settings.model_copy(update={"embed_precision": "bf16"})
    bulk = get_embed_model(as_bf16, bulk=True)
    assert isinstance(bulk, Bf16MiniLM)
    fp32 = get_embed_model(settings.model_copy(update={"embed_precision": "fp32"}))
    assert get_embed_model(as_bf16) is fp32  # questions: the fp32 ONNX model
    a = np.array(bulk.get_text_embedding_batch(texts))
    b = np.array(fp32.get_text_embedding_batch(texts))
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9995 and cosines.mean() >= 0.9999, (cosines.min(), cosines.mean())
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def assert_same_vectors(got: list[list[float]], want: list[list[float]]) -> None:
    """Vectors equal to bf16 rounding: each pair at cosine 0.99999 or closer."""
    a, b = np.array(got), np.array(want)
    assert a.shape == b.shape
    cosines = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cosines.min() >= 0.99999, cosines.min()


@pytest.mark.slow  # starts the child process
def test_the_child_process_embedder_gives_the_in_process_vectors(settings: Settings) -> None:
    """Ingest's bulk embedder runs in a child process: the same vectors as in this one, a
    child that is released and started again on the next call, and its failure said."""
    from rag.index.torch_bf16 import Bf16InChild

    nodes = run_transformations(read_paths([SEEDS]).documents, build_transformations(settings))
    texts = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes] + ["Short."]
    as_bf16 = settings.model_copy(update={"embed_precision": "bf16"})
    child = get_embed_model(as_bf16, bulk=True, child=True)
    assert isinstance(child, Bf16InChild)
    here = get_embed_model(as_bf16, bulk=True)
    assert child is not here
    first = child.get_text_embedding_batch(texts)
    # the same model and weights; bf16 sums may be grouped otherwise with another thread
    # count (on a CPU without AMX the last digits differ), so "the same" is to rounding
    assert_same_vectors(first, here.get_text_embedding_batch(texts))
    process = child._child
    child.release()
    assert process.poll() == 0  # it ended because its input closed
    assert_same_vectors(child.get_text_embedding_batch(texts[:3]), first[:3])  # a new child
    assert child._child is not None and child._child.pid != process.pid
    child._child.kill()
    child._child.wait()
    with pytest.raises(RuntimeError, match="embedding process ended unexpectedly"):
        child.get_text_embedding_batch(["after the child died"])
    child._child = None  # what release() leaves: the next call starts a child again
    assert len(child.get_text_embedding("again")) == 384
    child.release()


def test_a_session_begun_on_a_thread_is_handed_over_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built_on: list[str] = []
    build = onnx_model._new_session

    def recorded(threads: int, precision: onnx_model.OnnxPrecision = "fp32") -> object:
        built_on.append(threading.current_thread().name)
        return build(threads, precision)

    monkeypatch.setattr(onnx_model, "_new_session", recorded)
    onnx_model.start_session(1, "fp32")
    first = onnx_model.session(1, "fp32")  # the thread's
    second = onnx_model.session(1, "fp32")  # taken once: a new one
    assert built_on == ["warm-start", threading.current_thread().name]
    assert first is not second
    assert [i.name for i in first.get_inputs()] == [i.name for i in second.get_inputs()]


def test_a_model_not_yet_exported_is_left_to_the_caller(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    # exporting imports PyTorch, which the thread must not: it builds nothing then
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    onnx_model.start_session(3, "fp32")
    prepared = onnx_model._PREPARED.pop((3, "fp32"))
    assert prepared.get() is None
    assert not (tmp_path / "rag-news").exists()
