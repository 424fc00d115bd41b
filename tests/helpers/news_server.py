"""A small news site on 127.0.0.1 for the feed tests: two feeds, their articles, bad sources.

`NewsSite` holds what is published (also a JSON Feed, `/culture.json`, and a home page that
announces the feeds with <link rel="alternate">, `/`); `advance()` moves it on between polls (a new
entry, an updated article, a removed one); unchanged feeds answer 304 to a conditional GET. The
`/bad/...` paths each play one broken source (malformed XML, an HTML page served as a feed,
404, 410, a redirect loop, a server that never answers, an endless response, Latin-1 bytes
with no charset, entries without links, duplicate guids), and `/flaky.xml` answers 503 with
Retry-After once (`/bad/busy.xml` answers 429 "come back in an hour"). Every request is
logged (`requests`) so tests can count what was sent. Nothing here asserts anything.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from rag.settings import Settings
from tests.helpers.servers import QuietHandler

PARAGRAPHS = {
    "harbour": (
        "Harbour ferry returns after storm repairs",
        "The Northport harbour ferry resumed service on Monday after three weeks of "
        "storm repairs to its landing stage. The operator said crossings will run "
        "every twenty minutes at peak times. Repairs cost the port authority 2.4 "
        "million euros, paid from its reserve fund.",
    ),
    "library": (
        "City library extends opening hours",
        "The central library in Northport will open until ten in the evening from "
        "next month. The council approved the extra hours after a petition signed by "
        "4,800 residents. Staff numbers will rise by six to cover the late shifts.",
    ),
    "bakery": (
        "Bakery chain opens a café in the old station",
        "The Miller bakery chain opened a café in the restored station building on "
        "Friday. Its owner said the café employs fourteen people and bakes rye bread "
        "on site every morning. The station had stood empty for eleven years.",
    ),
    "tram": (
        "Tram line to the airport approved",
        "Regional planners approved a tram line linking Northport to its airport. "
        "Construction is due to start in spring and take four years. The line will have "
        "nine stops and carry an expected 12,000 passengers a day.",
    ),
    "orchard": (
        "Orchard cooperative wins export contract",
        "The Valley orchard cooperative signed a contract to export apples to three "
        "Nordic supermarkets. Its chairwoman said the deal covers 900 tonnes a year. "
        "Members voted unanimously to accept it at a meeting on Thursday.",
    ),
    "bridge": (
        "Old swing bridge to be restored",
        "The old swing bridge over the Wend canal will be restored rather than "
        "replaced, the heritage board ruled. Engineers found its iron frame sound. "
        "The restoration is expected to take eighteen months.",
    ),
    "museum": (
        "Maritime museum reopens with a lifeboat gallery",
        "The Northport maritime museum reopened on Saturday after a two-year "
        "refit. Its new gallery shows the lifeboat that saved 31 sailors in 1953. "
        "Entry stays free for children under twelve.",
    ),
}


@dataclass
class NewsSite:
    """What the site publishes now; tests change it between polls with `advance()`."""

    world: list[str] = field(default_factory=lambda: ["harbour", "library"])
    business: list[str] = field(default_factory=lambda: ["bakery", "tram", "harbour"])
    culture: list[str] = field(default_factory=lambda: ["bridge", "museum"])
    updates: dict[str, str] = field(default_factory=dict)  # slug -> extra sentence
    requests: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    huge_bytes_sent: int = 0
    flaky_calls: int = 0
    base: str = ""
    missing_pages: set[str] = field(default_factory=set)  # slugs whose page answers 404
    advance_after: int | None = None  # polls after which `advance()` happens by itself
    feed_gets: dict[str, int] = field(default_factory=dict)
    advanced: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def advance(self) -> None:
        """Poll 3's news: a new entry (orchard), an updated article (library), a removed one
        (tram leaves the business feed)."""
        self.advanced = True
        self.world = [*self.world, "orchard"]
        self.updates["library"] = (
            "Update: the council later said the longer hours start on the first Monday of March."
        )
        self.business = [s for s in self.business if s != "tram"]

    def text(self, slug: str) -> str:
        body = PARAGRAPHS[slug][1]
        return f"{body} {self.updates[slug]}" if slug in self.updates else body

    def day(self, slug: str) -> str:
        """The article's day of June 2026 (fixed per article)."""
        return f"{list(PARAGRAPHS).index(slug) + 1:02d}"

    def url(self, slug: str) -> str:
        return f"{self.base}/news/{slug}.html"

    # --- documents ----------------------------------------------------------------------
    def world_rss(self) -> bytes:
        """RSS 2.0 with the full text in <content:encoded>; links carry tracking params."""
        items = "".join(
            f"<item><title>{escape(PARAGRAPHS[s][0])}</title>"
            f"<link>{self.url(s)}?utm_source=rss&amp;utm_medium=feed</link>"
            f'<guid isPermaLink="false">world-{s}</guid>'
            f"<pubDate>{self.day(s)} Jun 2026 08:00:00 GMT</pubDate>"
            f"<description>{escape(self.text(s)[:60])}</description>"
            f"<content:encoded><![CDATA[<p>{self.text(s)}</p>]]></content:encoded></item>"
            for s in self.world
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Northport Herald</title><link>{self.base}/</link>"
            f"<description>World</description>{items}</channel></rss>"
        ).encode()

    def business_atom(self) -> bytes:
        """Atom with summaries only: each article page must be fetched."""
        entries = "".join(
            f"<entry><id>tag:northport,2026:{s}</id><title>{escape(PARAGRAPHS[s][0])}</title>"
            f'<link rel="alternate" href="{self.url(s)}?fbclid=XYZ&amp;utm_campaign=a#top"/>'
            f"<updated>2026-06-{self.day(s)}T09:00:00Z</updated>"
            f"<summary>{escape(self.text(s)[:50])}</summary></entry>"
            for s in self.business
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Northport Business</title>'
            f"<id>{self.base}/business.atom</id><updated>2026-06-05T09:00:00Z</updated>"
            f"{entries}</feed>"
        ).encode()

    def culture_json(self) -> bytes:
        """JSON Feed 1.1: bridge carries only a summary (its page must be fetched), the
        others their full text as content_text."""
        import json

        items = [
            {
                "id": f"culture-{s}",
                "url": self.url(s) + "?utm_source=json",
                "title": PARAGRAPHS[s][0],
                "date_published": f"2026-06-{self.day(s)}T07:30:00Z",
                **(
                    {"summary": self.text(s)[:40]}
                    if s == "bridge"
                    else {"content_text": self.text(s)}
                ),
            }
            for s in self.culture
        ]
        return json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Northport Culture",
                "home_page_url": self.base + "/",
                "items": items,
            }
        ).encode()

    def home(self) -> bytes:
        """The site's home page: no feed itself, but it announces its feeds."""
        return (
            "<!doctype html><html><head><title>Northport Herald</title>"
            '<link rel="stylesheet" href="/style.css">'
            '<link rel="alternate" type="application/feed+json" title="Culture" '
            'href="/culture.json">'
            '<link rel="alternate" type="application/rss+xml" title="World" '
            'href="/world.rss"></head><body><h1>Northport Herald</h1>'
            "<p>Today's news.</p></body></html>"
        ).encode()

    def page(self, slug: str) -> str:
        title, _ = PARAGRAPHS[slug]
        paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in self.text(slug).split(". ") if s)
        return (
            f"<!doctype html><html><head><title>{escape(title)}</title>"
            f'<link rel="canonical" href="/news/{slug}.html">'
            '<meta property="og:site_name" content="Northport Herald">'
            '<meta name="date" content="2026-06-01"></head><body><nav>Home | World</nav>'
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
            "<footer>© Northport Herald</footer></body></html>"
        )

    def bad(self, name: str) -> tuple[int, dict[str, str], bytes]:
        rss = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Bad</title>{}</channel></rss>'
        )
        match name:
            case "malformed.xml":
                return (
                    200,
                    {"Content-Type": "application/rss+xml"},
                    (
                        rss.format(
                            f"<item><title>Cut off</title><link>{self.url('bridge')}</link>"
                        )[:-25]
                    ).encode(),
                )
            case "html-as-feed.xml":
                return (
                    200,
                    {"Content-Type": "application/rss+xml"},
                    (
                        b"<!doctype html><html><head><title>Home</title></head><body><p>Welcome"
                        b" to our site.</p></body></html>"
                    ),
                )
            case "latin1.xml":
                return (
                    200,
                    {"Content-Type": "application/rss+xml"},
                    rss.format(
                        "<item><title>Caf\u00e9 ferm\u00e9</title><link>"
                        f"{self.url('bridge')}</link><description>\u00e9t\u00e9</description>"
                        "</item>"
                    ).encode("latin-1"),
                )
            case "nolinks.xml":
                return (
                    200,
                    {"Content-Type": "application/rss+xml"},
                    rss.format(
                        '<item><title>No link here</title><guid isPermaLink="false">n1</guid>'
                        "<description>Only a summary.</description></item>"
                    ).encode(),
                )
            case "dupguids.xml":
                item = (
                    '<item><title>{}</title><link>{}</link><guid isPermaLink="false">'
                    "same</guid><content:encoded><![CDATA[<p>{}</p>]]></content:encoded>"
                    "</item>"
                )
                body = rss.format(
                    item.format("Bridge", self.url("bridge"), self.text("bridge"))
                    + item.format("Bridge again", self.url("tram"), self.text("tram"))
                )
                body = body.replace(
                    '<rss version="2.0">',
                    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
                )
                return 200, {"Content-Type": "application/rss+xml"}, body.encode()
            case "busy.xml":  # asks for longer than a poll may wait
                return 429, {"Retry-After": "3600", "Content-Type": "text/plain"}, b"slow down"
            case "missing.xml":
                return 404, {"Content-Type": "text/plain"}, b"not found"
            case "gone.xml":
                return 410, {"Content-Type": "text/plain"}, b"gone"
        return 404, {}, b""


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
            with site.lock:
                site.requests.append((self.path, status, dict(self.headers.items())))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _feed(self, body: bytes, media: str) -> None:
            tag = _etag(body)
            modified = formatdate(1780000000 + len(body), usegmt=True)
            if self.headers.get("If-None-Match") == tag:
                return self._send(304, {"ETag": tag})
            self._send(200, {"Content-Type": media, "ETag": tag, "Last-Modified": modified}, body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            if path in ("/world.rss", "/business.atom"):
                with site.lock:
                    site.feed_gets[path] = site.feed_gets.get(path, 0) + 1
                    if (
                        site.advance_after is not None
                        and not site.advanced
                        and site.feed_gets[path] > site.advance_after
                    ):
                        site.advance()
            if path == "/world.rss":
                return self._feed(site.world_rss(), "application/rss+xml; charset=utf-8")
            if path == "/business.atom":
                return self._feed(site.business_atom(), "application/atom+xml")
            if path == "/culture.json":
                return self._feed(site.culture_json(), "application/feed+json")
            if path == "/":
                return self._send(200, {"Content-Type": "text/html; charset=utf-8"}, site.home())
            if path == "/bad/nofeed.html":  # a page that announces no feed
                return self._send(
                    200,
                    {"Content-Type": "text/html; charset=utf-8"},
                    b"<!doctype html><html><head><title>About</title></head>"
                    b"<body><p>About us.</p></body></html>",
                )
            if path.startswith("/news/") and path.endswith(".html"):
                slug = path[len("/news/") : -len(".html")]
                if slug in PARAGRAPHS and slug not in site.missing_pages:
                    if slug == "bakery":  # a declared non-UTF-8 charset is read correctly
                        return self._send(
                            200,
                            {"Content-Type": "text/html; charset=windows-1252"},
                            site.page(slug).encode("cp1252"),
                        )
                    return self._send(
                        200, {"Content-Type": "text/html; charset=utf-8"}, site.page(slug).encode()
                    )
            if path == "/bad/loop":
                return self._send(302, {"Location": "/bad/loop-again"})
            if path == "/bad/loop-again":
                return self._send(302, {"Location": "/bad/loop"})
            if path == "/bad/slow.xml":
                with site.lock:
                    site.requests.append((self.path, 0, dict(self.headers.items())))
                time.sleep(30)  # never answers within the client's timeout
                return
            if path == "/bad/huge.xml":
                return self._huge()
            if path == "/flaky.xml":
                site.flaky_calls += 1
                if site.flaky_calls == 1:
                    return self._send(503, {"Retry-After": "1"}, b"busy")
                return self._feed(site.world_rss(), "application/rss+xml")
            if path.startswith("/bad/"):
                return self._send(*site.bad(path[len("/bad/") :]))
            self._send(404, {"Content-Type": "text/plain"}, b"no such page")

        def _huge(self) -> None:
            """200 MB of feed, streamed without a Content-Length (so the client must stop)."""
            with site.lock:
                site.requests.append((self.path, 200, dict(self.headers.items())))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"<!-- " + b"x" * (1 << 20) + b" -->"
            try:
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
                for _ in range(200):
                    self.wfile.write(chunk)
                    site.huge_bytes_sent += len(chunk)
            except OSError:
                pass

    return Handler


class NewsServer:
    """The site served on a free port of 127.0.0.1 from a background thread."""

    def __init__(self, site: NewsSite | None = None) -> None:
        self.site = site or NewsSite()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self.httpd.daemon_threads = True
        self.site.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return self.site.base

    def __enter__(self) -> "NewsServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_to(self, path: str) -> list[tuple[str, int, dict[str, str]]]:
        return [r for r in self.site.requests if r[0].split("?")[0] == path]


def quick_fetch_settings(tmp_path: Path) -> Settings:
    """Settings for fetching from this site: a store under `tmp_path`, and timeouts, sizes
    and back-offs short enough that the tests of slow or failing sources finish quickly."""
    return Settings(
        data_dir=tmp_path / "data",
        fetch_timeout=1,
        fetch_max_mb=1,
        fetch_backoff=0.05,
        fetch_max_wait=5,
    )
