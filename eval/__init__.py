"""The evaluation harness over `rag.assistant`: gold Q&A sets, metrics, reports."""
