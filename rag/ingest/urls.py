"""Canonical article URLs, the ids of articles read from the web.

The same article reached through two feeds, or with a newsletter's tracking parameters, must
be one article: so the scheme and host are lower-cased, the default port, the fragment and
tracking parameters (utm_*, fbclid, gclid, ...) dropped, and the other parameters kept in
their order (they may select the article). It does not follow redirects or read
<link rel=canonical>; `rag.ingest.remote` does that with the fetched page.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
}
TRACKING_PREFIXES = ("utm_", "_hs", "mkt_", "pk_")


def is_url(text: str) -> bool:
    """Whether a command-line source is a web address rather than a path."""
    return text.lower().startswith(("http://", "https://"))


def canonical_url(url: str) -> str:
    """`url` without what does not identify the article (see the module docstring)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in {("http", 80), ("https", 443)}
        else f"{host}:{port}"
    )
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def _tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)
