"""Polite HTTP fetching of feeds and article pages, and the text inside the bytes.

One `Fetcher` per run: a User-Agent naming the tool, timeouts (and a deadline for the whole
response), a size limit enforced while streaming (a 200 MB answer is cut off at the limit,
never read whole), at most `MAX_REDIRECTS` redirects, one request at a time per host,
conditional GET (ETag / Last-Modified) and retries of 429/5xx that honour Retry-After. Every
failure is a `FetchError` whose message names what went wrong so it can be shown as one line
next to the URL. `decode_text` turns bytes into text by the declared charset and refuses
non-UTF-8 bytes that declare none (guessing would store mojibake). It parses neither feeds
(`rag.ingest.feeds`) nor pages (`rag.ingest.remote`).
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urlsplit

import httpx

from rag import __version__
from rag.settings import Settings

MAX_REDIRECTS = 5
USER_AGENT = (
    f"rag-news/{__version__} (news question-answering assistant; "
    "reads feeds and articles it was pointed at)"
)
RETRIED_STATUSES = {429, 500, 502, 503, 504}
# What a feed read and a page read ask for (a feed first; a page when given a page).
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, for a person."""

    def __init__(self, message: str, retry_at: float | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at  # epoch seconds the server asked us to wait until, if any


@dataclass
class Fetched:
    """One response: the final URL (after redirects), its status, headers and body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    requests: int = 1  # HTTP requests sent for it, redirects and retries included
    milliseconds: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Fetcher:
    """Fetches URLs politely; shared by the threads of one run (per-host lock)."""

    settings: Settings
    sleep: Callable[[float], None] = time.sleep
    requests_sent: int = 0
    _host_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _client: httpx.Client | None = None
    _local: threading.local = field(default_factory=threading.local)

    @property
    def client(self) -> httpx.Client:
        with self._guard:  # the feeds of a poll are read on several threads
            if self._client is None:
                self._client = httpx.Client(
                    headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
                    timeout=httpx.Timeout(self.settings.fetch_timeout),
                    follow_redirects=True,
                    max_redirects=MAX_REDIRECTS,
                )
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _host_lock(self, url: str) -> threading.Lock:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def get(
        self, url: str, *, etag: str = "", last_modified: str = "", accept: str = "*/*"
    ) -> Fetched:
        """GET `url` (conditionally when validators are given); raises `FetchError`.

        A 304 comes back as a `Fetched` with `not_modified`; 429 and 5xx are retried
        `fetch_retries` times, waiting as the server's Retry-After says (up to
        `fetch_max_wait`) or a doubling backoff; any other status >= 400 is an error.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.perf_counter()
        sent = 0
        wait = self.settings.fetch_backoff
        for attempt in range(self.settings.fetch_retries + 1):
            with self._host_lock(url):
                fetched = self._once(url, headers)
            sent += fetched.requests
            self._count(fetched.requests)
            if fetched.status not in RETRIED_STATUSES:
                break
            asked = retry_after(fetched.headers.get("retry-after", ""))
            if asked is not None and asked > self.settings.fetch_max_wait:
                raise FetchError(
                    f"HTTP {fetched.status}; the server asks to wait "
                    f"{asked:.0f} s, so it is left alone until then",
                    retry_at=time.time() + asked,
                )
            if attempt == self.settings.fetch_retries:
                break
            self.sleep(asked if asked is not None else wait)
            wait *= 2
        fetched.requests = sent
        fetched.milliseconds = round((time.perf_counter() - started) * 1000, 1)
        if fetched.status == 304 or fetched.status < 400:
            return fetched
        tries = f" after {sent} tries" if fetched.status in RETRIED_STATUSES and sent > 1 else ""
        raise FetchError(
            f"HTTP {fetched.status} {_reason(fetched.status)}{tries}"
            + (" (the server says it is gone for good)" if fetched.status == 410 else "")
        )

    def _count(self, n: int) -> None:
        with self._guard:
            self.requests_sent += n
        self._local.count = getattr(self._local, "count", 0) + n

    def start_counting(self) -> None:
        """Count this thread's requests from now (`counted`): one feed's cost in a poll."""
        self._local.count = 0

    def counted(self) -> int:
        """Requests this thread sent since `start_counting`."""
        return getattr(self._local, "count", 0)

    def _once(self, url: str, headers: dict[str, str]) -> Fetched:
        limit = int(self.settings.fetch_max_mb * 1_048_576)
        deadline = time.monotonic() + 3 * self.settings.fetch_timeout
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                sent = len(response.history) + 1
                final = str(response.url)
                head = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code >= 300:
                    return Fetched(final, response.status_code, head, requests=sent)
                declared = head.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        f"response is {int(declared) / 1_048_576:,.0f} MB, over "
                        f"the {self.settings.fetch_max_mb:g} MB limit "
                        "(RAG_FETCH_MAX_MB); not read"
                    )
                body = bytearray()
                for piece in response.iter_bytes():
                    body += piece
                    if len(body) > limit:
                        raise FetchError(
                            f"response is over the {self.settings.fetch_max_mb:g}"
                            " MB limit (RAG_FETCH_MAX_MB); stopped reading there"
                        )
                    if time.monotonic() > deadline:
                        raise FetchError(
                            "response did not finish within "
                            f"{3 * self.settings.fetch_timeout:g} s; gave up"
                        )
                return Fetched(final, response.status_code, head, bytes(body), requests=sent)
        except httpx.TooManyRedirects:
            self._count(MAX_REDIRECTS + 1)
            raise FetchError(
                f"redirected more than {MAX_REDIRECTS} times (a redirect loop?)"
            ) from None
        except httpx.TimeoutException:
            self._count(1)
            raise FetchError(
                f"no answer within {self.settings.fetch_timeout:g} s (RAG_FETCH_TIMEOUT)"
            ) from None
        except httpx.UnsupportedProtocol:
            raise FetchError("not an http(s) URL") from None
        except httpx.HTTPError as err:
            self._count(1)
            raise FetchError(f"cannot be fetched ({type(err).__name__}: {err})") from None


def retry_after(value: str) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.I)


def declared_charset(body: bytes, content_type_header: str) -> str:
    """The charset the response declares: HTTP header, BOM, XML declaration or <meta>."""
    if m := re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", content_type_header, re.I):
        return m.group(1)
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if declared := _XML_DECL.match(body[:512]):
        return declared.group(1).decode()
    if declared := _META_CHARSET.search(body[:4096]):
        return declared.group(1).decode()
    return ""


def decode_text(body: bytes, content_type_header: str) -> str:
    """The response as text, by its declared charset; raises `FetchError` when it cannot be
    decoded, or is not UTF-8 and declares no charset."""
    charset = declared_charset(body, content_type_header)
    if not charset:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as err:
            raise FetchError(
                f"is not UTF-8 (byte 0x{body[err.start]:02x} at offset {err.start}) and "
                "declares no charset; the publisher should declare one"
            ) from None
    try:
        return body.decode(charset)
    except LookupError:
        raise FetchError(f"declares an unknown charset {charset!r}") from None
    except UnicodeDecodeError as err:
        raise FetchError(
            f"is not valid {charset} as it declares (byte 0x{body[err.start]:02x}"
            f" at offset {err.start})"
        ) from None
