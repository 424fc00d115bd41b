"""The Gradio web UI over `rag.assistant`: chat, source panel, filters, library.

`ui.app.build_app` wires the page (`ui.layout`) to its controllers (`ui.controllers`: the
chat, conversations, library and feeds, briefing, the `/ask` API), `ui.render` turns answers
into HTML, `ui/static/` holds the page's style and script (`ui.assets`), `ui.uploads` keeps
uploaded files inside the data dir and private, `ui.auth` guards and throttles login,
`ui.failures` words errors for people. It holds no retrieval logic of its own.
"""
