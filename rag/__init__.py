"""rag: answer questions about news articles, citing the exact passages used.

The library behind the `rag` command, the Gradio UI (`ui/`) and the eval harness (`eval/`);
those import `rag`, never the reverse. Start at `rag.assistant` (wiring) and `rag.ingest`.
"""

__version__ = "0.1.0"
