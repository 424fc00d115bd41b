"""The evaluation harness over `rag.assistant` (issue 3): gold Q&A sets, metrics, reports."""
