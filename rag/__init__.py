"""rag: answer questions about news articles, citing the exact passages used.

The library behind the `rag` command, the Gradio UI (`ui/`) and the eval harness (`eval/`);
those import the public names below, never the reverse. Names load on first use so that
`import rag` (and `rag --help`) stays instant. Layout:

- `rag.assistant`   the facade: ingest, retrieve, ask, library
- `rag.answer`      what an answer is (`Answer`, `Citation`, `Passage`) and its JSON
- `rag.answer_text` an answer in words for a terminal
- `rag.answering`   the answerers (extractive, generated + citation check, fallback)
- `rag.retrieval`   hybrid dense + BM25 retrieval with filters
- `rag.ingest`      readers (txt, md, html, pdf, feeds), chunking, the crash-safe pipeline
- `rag.index`       Chroma store and registry, BM25, the local embedder
- `rag.text`        sentences, dates, time named in questions, vocabulary, figures
- `rag.briefing`    cited briefings
- `rag.following`   topics followed over time: briefing versions and what changed
- `rag.console`     what every command line shares; `rag.cli` the `rag` command
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from rag import skipped_extras

__version__ = "0.1.0"
skipped_extras.install()

_PUBLIC = {
    "Assistant": "rag.assistant",
    "describe": "rag.assistant",
    "in_words": "rag.assistant",
    "Answer": "rag.answer",
    "Citation": "rag.answer",
    "CheckReport": "rag.answer",
    "Dropped": "rag.answer",
    "Passage": "rag.answer",
    "to_passages": "rag.answer",
    "render_text": "rag.answer_text",
    "also_line": "rag.answer_text",
    "MARKER": "rag.text.markers",
    "NOT_SAID": "rag.text.markers",
    "cited_numbers": "rag.text.markers",
    "marker_runs": "rag.text.markers",
    "strip_markers": "rag.text.markers",
    "Filters": "rag.retrieval",
    # what a question from outside may hold (UI fields, HTTP API, MCP tools)
    "AskRequest": "rag.requests",
    "Scope": "rag.requests",
    "ask_request": "rag.requests",
    "checked_day": "rag.requests",
    "MAX_QUESTION_CHARS": "rag.requests",
    "Settings": "rag.settings",
    "StoreUnavailable": "rag.errors",
    "DiskFull": "rag.errors",
    "disk_full": "rag.errors",
    "problem_message": "rag.errors",
    "LLMError": "rag.errors",
    "LLMConfigError": "rag.errors",
    "LLMUnavailable": "rag.errors",
    "IngestReport": "rag.ingest.report",
    "ParseProblem": "rag.ingest.readers",
    "ParseWarning": "rag.ingest.readers",
    "SUPPORTED_SUFFIXES": "rag.ingest.formats",
    "is_feed_file": "rag.ingest.formats",
    "Briefing": "rag.briefing",
    "build_briefing": "rag.briefing",
    "check_briefing": "rag.briefing",
    "render_markdown": "rag.briefing",
    # following a story: topics, their versions and what changed
    "Topic": "rag.following",
    "Topics": "rag.following",
    "refresh_topic": "rag.following:refresh",
    "says_again": "rag.following.changes",  # the filters What changed applies, one by one
    "is_view": "rag.text.reporting_lines",
    "leans_on_another_sentence": "rag.text.reporting_lines",
    "parse_date": "rag.text.dates",
    "written_day": "rag.text.dates",
    "stated_dates": "rag.briefing.when",  # the dates a sentence states, and which are background
    "suggested_questions": "rag.suggestions",
    "follow_up_questions": "rag.suggestions",
    "Fetcher": "rag.ingest.web",
    "poll_feeds": "rag.ingest.watch",
    "FeedPoll": "rag.ingest.feed_reads",
    "FeedState": "rag.ingest.feed_state",
    "StoryIndex": "rag.index.stories",
    "story_signature": "rag.index.stories",
    # what every command line shares (the UI's and the harness's commands too)
    "fail": "rag.console",
    "load_settings": "rag.console",
    "open_assistant": "rag.console",
    "quiet_libraries": "rag.console",
    "add_unlisted_uploads_on_start": "rag.console",
    "describe_error": "rag.settings",
    # article text shown as data, never markup
    "as_text": "rag.text.markup",
    "code_span": "rag.text.markup",
    "framed": "rag.text.markup",
    "visible": "rag.text.markup",
    "web_link": "rag.text.markup",
    # the parts `rag bench` and the reader's training measure one by one
    "Store": "rag.index.store",
    "HybridRetriever": "rag.retrieval",
    "MatchingBM25Retriever": "rag.index.bm25",
    "get_embed_model": "rag.index.embedder",
    "CachedEmbedding": "rag.index.vector_cache",
    "get_embedder_spec": "rag.index.embedder",
    "int8_units": "rag.index.precision",
    "bf16_units": "rag.index.precision",
    "best_precision": "rag.index.precision",
    "minilm_dir": "rag.index.onnx_model",
    "build_transformations": "rag.ingest.chunking",
    "read_paths": "rag.ingest.readers",
    "ingest_paths": "rag.ingest.pipeline:ingest",  # `rag.ingest` is the package's name
    "sentence_spans": "rag.text.sentences",
    "answer_spans": "rag.text.answer_kinds",
    "Reader": "rag.reader.model",
    "ExtractiveAnswerer": "rag.answering.extractive",
    "Question": "rag.text.question",  # a question and the day it is asked, as answerers read it
    "shared_reader": "rag.reader.model",
    "ReaderRerank": "rag.reader.rerank",
    "READER_CALIBRATION": "rag.answering.reading:CALIBRATION",
    "reader_calibration": "rag.answering.reading:calibration",
    "answer_probability": "rag.answering.reading",
    "off_question": "rag.answering.relevance",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'rag' has no attribute {name!r}")
    module, _, attribute = _PUBLIC[name].partition(":")
    value = getattr(import_module(module), attribute or name)
    globals()[name] = value
    return value
