"""Canonical article urls, declared charsets and Retry-After values, without a network."""

from __future__ import annotations

import pytest

from rag.ingest.urls import canonical_url, is_url
from rag.ingest.web import FetchError, decode_text, retry_after


@pytest.mark.parametrize(
    "given, canonical",
    [
        (
            "https://News.Example.com:443/a/b?utm_source=rss&utm_medium=feed#top",
            "https://news.example.com/a/b",
        ),
        ("http://example.com:80?id=7&fbclid=abc&gclid=x&page=2", "http://example.com/?id=7&page=2"),
        ("https://example.com:8443/x?mc_cid=1&_hsenc=2&mkt_tok=3", "https://example.com:8443/x"),
        ("https://example.com/story?ref=home", "https://example.com/story?ref=home"),
    ],
)
def test_canonical_url_drops_tracking_fragment_and_default_port(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


def test_only_http_addresses_are_urls() -> None:
    assert is_url("https://a.example/feed") and is_url("HTTP://a.example")
    assert not is_url("seeds/a.html") and not is_url("ftp://a.example/x")


def test_text_is_decoded_by_its_declared_charset() -> None:
    latin = "Café".encode("latin-1")
    assert decode_text(latin, "text/html; charset=ISO-8859-1") == "Café"
    assert decode_text(
        b'<?xml version="1.0" encoding="windows-1252"?><r>' + latin + b"</r>", "application/xml"
    ).endswith("Café</r>")
    assert decode_text(b'<meta charset="latin-1"><p>' + latin, "text/html").endswith("Café")
    assert decode_text("Café".encode(), "text/html") == "Café"  # undeclared UTF-8 is fine


def test_undeclared_non_utf8_and_unknown_charsets_are_refused() -> None:
    with pytest.raises(
        FetchError,
        match=r"is not UTF-8 \(byte 0xe9 at offset 3\) and "
        "declares no charset",
    ):
        decode_text("Café".encode("latin-1"), "text/html")
    with pytest.raises(FetchError, match="declares an unknown charset 'klingon'"):
        decode_text(b"abc", "text/html; charset=klingon")


def test_retry_after_reads_seconds_and_http_dates() -> None:
    import time
    from email.utils import formatdate

    assert retry_after("120") == 120.0
    assert retry_after("") is None and retry_after("soon") is None
    later = retry_after(formatdate(time.time() + 60, usegmt=True))
    assert later is not None and 55 <= later <= 61
