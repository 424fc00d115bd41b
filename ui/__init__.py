"""The Gradio chat UI over `rag.assistant` (issue 5); it holds no retrieval logic of its own."""
