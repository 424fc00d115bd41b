"""Split articles into sentence-bounded chunks that fit the embedder's window.

llama-index's `SentenceSplitter` does the splitting, counting tokens with the embedder's own
tokenizer and leaving room for the title header that is embedded with each chunk. A final
`WindowGuard` measures every chunk exactly as it will be embedded and splits again any that
would still overflow (a word piece can shift at a join), so nothing is ever silently
truncated. Chunk ids are `<article id>#<n>`, stable across runs so re-ingest never duplicates.
`MarkSentences` then records each chunk's sentence spans (kept out of what is embedded), so
the answerer need not split sentences again at question time.
"""

from __future__ import annotations

from typing import Any, Sequence, cast

from llama_index.core import Document
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import BaseNode, MetadataMode, TextNode, TransformComponent
from pydantic import PrivateAttr

from rag.index.embedder import EmbedderSpec, get_embedder_spec
from rag.settings import Settings
from rag.text.sentences import SPANS_KEY, encode_spans, sentence_spans, split_keeping_whitespace

SAFETY_TOKENS = 4  # slack for word pieces that merge differently when splits are joined


def chunk_budget(settings: Settings, spec: EmbedderSpec) -> int:
    """Tokens one chunk (header included) may hold: the setting, capped to the window."""
    return min(settings.chunk_tokens, spec.window - spec.special_tokens - SAFETY_TOKENS)


def build_splitter(
    settings: Settings, spec: EmbedderSpec, budget: int | None = None
) -> SentenceSplitter:
    budget = budget or chunk_budget(settings, spec)
    return SentenceSplitter(
        chunk_size=budget,
        chunk_overlap=min(settings.chunk_overlap, budget // 4),
        tokenizer=lambda text: range(spec.count_tokens(text)),
        paragraph_separator="\n\n",
        chunking_tokenizer_fn=split_keeping_whitespace,
        include_prev_next_rel=False,
    )


class WindowGuard(TransformComponent):
    """Re-splits any chunk whose embedded form would overflow the window; numbers chunks."""

    _spec: EmbedderSpec = PrivateAttr()
    _settings: Settings = PrivateAttr()

    def __init__(self, settings: Settings, spec: EmbedderSpec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._settings = settings
        self._spec = spec

    def embedded_tokens(self, node: BaseNode) -> int:
        """Tokens the embedder reads for this node, special tokens included."""
        text = node.get_content(metadata_mode=MetadataMode.EMBED)
        return self._spec.count_tokens(text) + self._spec.special_tokens

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        safe: list[BaseNode] = []
        for node in nodes:
            safe.extend(self._fit(node, chunk_budget(self._settings, self._spec)))
        counters: dict[str, int] = {}
        for node in safe:
            doc_id = node.ref_doc_id or node.metadata.get("doc_id", "")
            n = counters.get(doc_id, 0)
            counters[doc_id] = n + 1
            node.id_ = f"{doc_id}#{n}"
            node.metadata["chunk"] = n
        return safe

    def _fit(self, node: BaseNode, budget: int) -> list[BaseNode]:
        overflow = self.embedded_tokens(node) - self._spec.window
        if overflow <= 0 or not isinstance(node, TextNode):
            return [node]
        smaller = max(16, budget - overflow - SAFETY_TOKENS)
        if smaller >= budget:  # cannot shrink further; refuse rather than truncate
            raise ValueError(f"chunk of {node.ref_doc_id} cannot fit the embedder window")
        start = node.start_char_idx or 0
        pieces = build_splitter(self._settings, self._spec, smaller).split_text_metadata_aware(
            node.text, node.get_metadata_str(MetadataMode.EMBED)
        )
        result: list[BaseNode] = []
        cursor = 0
        for piece in pieces:
            offset = node.text.find(piece, cursor)
            cursor = max(cursor, offset)
            child = TextNode(
                text=piece,
                metadata=dict(node.metadata),
                relationships=dict(node.relationships),
                excluded_embed_metadata_keys=node.excluded_embed_metadata_keys,
                excluded_llm_metadata_keys=node.excluded_llm_metadata_keys,
                start_char_idx=start + offset if offset >= 0 else None,
                end_char_idx=start + offset + len(piece) if offset >= 0 else None,
            )
            result.extend(self._fit(child, smaller))
        return result


class MarkSentences(TransformComponent):
    """Stores each chunk's sentence spans in its metadata, excluded from embedding and LLM."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        for node in nodes:
            node.metadata[SPANS_KEY] = encode_spans(sentence_spans(node.get_content()))
            for keys in (node.excluded_embed_metadata_keys, node.excluded_llm_metadata_keys):
                if SPANS_KEY not in keys:
                    keys.append(SPANS_KEY)
        return list(nodes)


def build_transformations(settings: Settings) -> list[TransformComponent]:
    """Splitter, guard, sentence marks: the chunking half of the ingest pipeline."""
    spec = get_embedder_spec(settings)
    return [build_splitter(settings, spec), WindowGuard(settings, spec), MarkSentences()]


def chunk_documents(docs: list[Document], settings: Settings) -> list[BaseNode]:
    """Split articles into numbered, window-safe chunks.

    Shared by both ingest engines; chunk ids depend only on each article, so chunking a slice
    of the articles (a Ray batch) gives the same ids and texts as chunking all of them at once.
    """
    chunker = IngestionPipeline(transformations=build_transformations(settings))
    # a list: MarkSentences, the last transformation, returns one (the library says Sequence)
    return cast(list[BaseNode], chunker.run(documents=docs, show_progress=False))
