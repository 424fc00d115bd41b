"""The Gradio web UI over `rag.assistant`: chat, source panel, filters, library.

`ui.app.build_app` lays it out, `ui.render` turns answers into HTML, `ui.uploads` keeps
uploaded files inside the data dir and private, `ui.auth` guards and throttles login,
`ui.failures` words errors for people. It holds no retrieval logic of its own.
"""
