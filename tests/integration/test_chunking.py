"""No chunk is ever truncated by the embedder; chunks keep exact offsets and metadata."""

from __future__ import annotations

from pathlib import Path

from llama_index.core import Document
from llama_index.core.ingestion import run_transformations
from llama_index.core.schema import MetadataMode

from rag.index.embedder import get_embed_model
from rag.ingest.chunking import build_transformations
from rag.ingest.readers import read_paths
from rag.settings import Settings
from tests.helpers import SEEDS


def _long_articles(folder: Path) -> list[Document]:
    seeds = read_paths([SEEDS]).documents
    (folder / "long.txt").write_text("\n\n".join(d.text for d in seeds) * 3)
    # one sentence far longer than the window, with no punctuation to split on
    run_on = " ".join(f"word{i} Hezbollah-aligned 63,500 displaced" for i in range(400))
    (folder / "runon.txt").write_text("Headline\n\n" + run_on + ".")
    (folder / "numbers.txt").write_text(" ".join(str(10_000 + i) for i in range(900)) + ".")
    docs = read_paths([folder]).documents
    assert len(docs) == 3 and len(docs[0].text) > 50_000
    return docs


def test_every_chunk_fits_the_window_of_the_real_model(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(
        update={
            "chunk_tokens": 10_000,  # asks for too much
            "embed_runtime": "torch",
        }
    )  # sentence-transformers
    docs = _long_articles(tmp_path)
    nodes = run_transformations(docs, build_transformations(settings))
    tokenizer = get_embed_model(settings)._model.tokenizer  # the model's own tokenizer
    window = get_embed_model(settings)._model.max_seq_length
    assert window == 256
    lengths = [
        len(tokenizer(n.get_content(metadata_mode=MetadataMode.EMBED))["input_ids"]) for n in nodes
    ]
    assert max(lengths) <= 256, max(lengths)
    assert min(lengths) > 20
    # nothing was lost: every article's text is covered by its chunks
    for doc in docs:
        mine = [n for n in nodes if n.ref_doc_id == doc.doc_id]
        covered = " ".join(doc.text[n.start_char_idx : n.end_char_idx] for n in mine)
        assert set(doc.text.split()) <= set(covered.split())


def test_chunks_are_sentence_bounded_with_exact_offsets_and_metadata(settings: Settings) -> None:
    docs = read_paths([SEEDS]).documents
    nodes = run_transformations(docs, build_transformations(settings))
    by_id = {d.doc_id: d for d in docs}
    for node in nodes:
        doc = by_id[node.ref_doc_id]
        assert doc.text[node.start_char_idx : node.end_char_idx] == node.text
        assert node.text.rstrip()[-1] in '.”"’:)?!' or node.end_char_idx == len(
            doc.text.rstrip()
        ), node.text[-40:]
        assert node.id_ == f"{doc.doc_id}#{node.metadata['chunk']}"
        for key in ("title", "date", "source", "url", "doc_id"):
            assert node.metadata[key] == doc.metadata[key]
    # "Lt. Gen. Herzi Halevi" does not end a sentence, so no chunk ends on "Lt."
    assert not any(n.text.rstrip().endswith("Lt.") for n in nodes)
