"""The Gradio web UI over `rag.assistant`: chat, source panel, filters, library.

`ui.app.build_app` lays it out, `ui.render` turns answers into HTML, `ui.uploads` keeps
uploaded files inside the data dir. It holds no retrieval logic of its own.
"""
