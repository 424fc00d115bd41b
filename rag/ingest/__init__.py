"""Getting articles in: readers (files, folders, feeds), chunking, and the crash-safe pipeline.

`rag.ingest.pipeline.ingest` is the entry point; `Assistant.ingest` wraps it.
"""
