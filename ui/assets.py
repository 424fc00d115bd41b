"""The page's own style and script, read once from the files in `ui/static/`.

`CSS` is `app.css` as Gradio's `css=` takes it; `HEAD` is `app.js` wrapped in a `<script>`
tag for Gradio's `head=`. They are read through `importlib.resources`, so an installed
package (where `ui/static/` is package data) finds them as a checkout does. What the cards
and the script do is said in the files themselves; this module only loads them.
"""

from __future__ import annotations

from importlib.resources import files


def _static(name: str) -> str:
    return (files("ui") / "static" / name).read_text(encoding="utf-8")


CSS = _static("app.css")
HEAD = "<script>\n" + _static("app.js") + "</script>"
