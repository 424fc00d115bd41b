"""Articles written as page markup, and a beacon that records what fetches it.

`markup_articles` writes a folder with one hostile article (tags, Markdown links and images,
a backtick in its file name, a bidi override in its title, a `javascript:` url) beside a plain
one with a web url; every address in the hostile one points at `beacon`. `Beacon` is an HTTP
server on 127.0.0.1 that answers everything with 204 and keeps the paths asked for: a browser
that renders the article as markup asks it for something. Not a corpus for answers' quality.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOPIC = "port of Zarqa dredging"
WEB_URL = "https://harbour.example/zarqa"  # the plain article's url: the one link allowed


def _hostile(beacon: str) -> str:
    return f"""---
title: Zarqa <img src="{beacon}/title.png"> dredging \u202eedisni
source: <form action="{beacon}/post">Harbour News</form>
url: javascript:alert(1)
date: 2024-03-02
---
The harbour master said the dredging of the port of Zarqa cost $7 million <img src="{beacon}/beacon.png"> in total.
The port of Zarqa dredging was paid for by the city, the council said [2](http://evil.example/fake).
Officials said the port of Zarqa dredging <form action="{beacon}/steal"><input name=q></form> finished in March 2024.
<meta http-equiv="refresh" content="0;url={beacon}/refresh"> Ships will use the deeper port of Zarqa channel from April, the harbour master said.
<style>@import url({beacon}/style.css); body{{display:none}}</style> The port of Zarqa dredging removed 2 million tonnes of silt, engineers said ![x]({beacon}/image.png).
<script>fetch("{beacon}/script")</script> The dredging of the port of Zarqa took 5 months, `the port authority` said <img src=x onerror="fetch('{beacon}/onerror')">.
"""


PLAIN = f"""---
title: Port of Zarqa reopens
source: Harbour Daily
url: {WEB_URL}
date: 2024-04-02
---
The port of Zarqa reopened to ships on Monday after the dredging, the harbour master said.
"""


def markup_articles(folder: Path, beacon: str) -> Path:
    """`folder` holding the hostile article (its addresses at `beacon`) and the plain one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zarqa`<b>x.md").write_text(_hostile(beacon), encoding="utf-8")
    (folder / "reopens.md").write_text(PLAIN, encoding="utf-8")
    return folder


class Beacon:
    """`with Beacon() as beacon:` a server on 127.0.0.1; `beacon.url`, `beacon.hits`."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Beacon:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
