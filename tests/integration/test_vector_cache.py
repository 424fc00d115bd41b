"""The answering vector cache (`rag.index.vector_cache`): the same vectors as the model, the
model asked only for texts it has not seen (each once), the oldest forgotten past the size,
and answers identical with and without it."""

from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.assistant import Assistant
from rag.index.embedder import get_embed_model
from rag.index.vector_cache import CachedEmbedding
from rag.settings import Settings

TEXTS = ["The pier cost $230 million.", "Gallant spoke with Austin.", "Hamas holds 133 hostages."]


class CountingModel(BaseEmbedding):
    """The real model, counting the texts it is asked to embed."""

    texts: int = 0
    _model: BaseEmbedding = PrivateAttr()

    def __init__(self, model: BaseEmbedding) -> None:
        super().__init__(model_name=model.model_name)
        self._model = model

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self._model.get_text_embedding_batch(texts)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def test_cached_vectors_are_the_models_and_only_new_texts_are_embedded(settings: Settings) -> None:
    model = get_embed_model(settings)
    counting = CountingModel(model)
    cached = CachedEmbedding(counting, size=10)
    first = cached.get_text_embedding_batch(TEXTS)
    assert counting.texts == 3
    again = cached.get_text_embedding_batch([TEXTS[2], "A new sentence.", TEXTS[0]])
    assert counting.texts == 4  # only the new sentence went to the model
    fresh = model.get_text_embedding_batch(TEXTS)
    for got, want in zip(first, fresh):
        assert max(abs(a - b) for a, b in zip(got, want)) < 1e-6
    assert again[0] == first[2] and again[2] == first[0]
    question = "How much did the pier cost?"
    assert cached.get_query_embedding(question) == model.get_query_embedding(question)


def test_the_oldest_vectors_are_forgotten_past_the_size(settings: Settings) -> None:
    cached = CachedEmbedding(get_embed_model(settings), size=2)
    cached.get_text_embedding_batch(TEXTS)
    assert [text for _, text in cached._kept] == TEXTS[1:]


def test_answers_are_the_same_with_and_without_the_cache(seeded: Assistant) -> None:
    questions = [
        "How much did the temporary Gaza pier cost?",
        "Who is Mohammed Deif?",
        "How many hostages are held by Hamas in Gaza?",
    ]
    plain = Assistant.from_settings(seeded.settings.model_copy(update={"answer_vector_cache": 0}))
    assert not plain.embed_model._kept  # size 0 keeps nothing
    want = [plain.ask(q) for q in questions]
    for _ in range(2):  # the second round answers from cached vectors
        got = [seeded.ask(q) for q in questions]
        assert [(a.answer, a.citations) for a in got] == [(a.answer, a.citations) for a in want]
    assert len(seeded.embed_model._kept) > 20


def test_a_text_repeated_in_one_batch_is_embedded_once(settings: Settings) -> None:
    for size in (10, 0):  # kept or not, a syndicated copy's sentence costs nothing more
        counting = CountingModel(get_embed_model(settings))
        cached = CachedEmbedding(counting, size=size)
        batch = [TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[0]]
        vectors = cached.get_text_embedding_batch(batch)
        assert counting.texts == 2
        assert vectors[0] == vectors[2] == vectors[3] and vectors[0] != vectors[1]
