"""Feed autodiscovery: from a site's page to the feed it announces.

A person adding a feed often gives the site's home page. Pages announce their feeds with
`<link rel="alternate" type="application/rss+xml" href="…">` (also Atom and JSON Feed types);
`alternate_feeds` lists those, resolved against the page's address, in page order. `find_feed`
fetches what was given once: a feed is returned as it is, an HTML page gives the first feed it
announces, anything else is refused with a sentence saying why. It is used where a feed is
expected (watching one, in the UI or `rag watch`), not for `rag ingest URL`, where a page is an
article to store (article pages announce their site's feed too). It reads no entries.
"""

from __future__ import annotations

from urllib.parse import urljoin

from rag.ingest.feeds import is_feed_response
from rag.ingest.urls import is_url
from rag.ingest.web import FEED_ACCEPT, PAGE_ACCEPT, Fetcher, FetchError, decode_text

ALTERNATE_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
)


def alternate_feeds(html: str, page_url: str) -> list[str]:
    """The feed addresses a page announces (`<link rel=alternate type=…feed type…>`)."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several types on odd markup; such a page announces none
        return []
    found: list[str] = []
    for link in tree.iterfind(".//link[@rel]"):
        rel = link.get("rel", "").lower().split()
        kind = link.get("type", "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in ALTERNATE_TYPES and href:
            target = urljoin(page_url, href)
            if is_url(target) and target not in found:
                found.append(target)
    return found


def find_feed(url: str, fetcher: Fetcher) -> str:
    """The feed to watch for `url`: itself when it is a feed, else the first feed its page
    announces. Raises `ValueError` (one line naming the URL) when there is none."""
    try:
        fetched = fetcher.get(url, accept=FEED_ACCEPT + ", " + PAGE_ACCEPT)
    except FetchError as err:
        raise ValueError(f"{url}: {err}; the feed was not added") from None
    if is_feed_response(fetched.body, fetched.content_type):
        return url
    if fetched.content_type in ("text/html", "application/xhtml+xml"):
        try:
            feeds = alternate_feeds(
                decode_text(fetched.body, fetched.headers.get("content-type", "")), fetched.url
            )
        except FetchError as err:
            raise ValueError(f"{url}: {err}; the feed was not added") from None
        if feeds:
            return feeds[0]
        raise ValueError(
            f"{url}: is an HTML page that announces no feed (no <link "
            'rel="alternate" type="application/rss+xml">); give the feed\'s '
            "own address. The feed was not added"
        )
    return url  # let the poll say what is wrong with it, in the words it uses for feeds
