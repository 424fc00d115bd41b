"""RSS 0.9x/1.0/2.0 and Atom feeds (via feedparser) and JSON Feed 1.0/1.1 → the entries
worth reading.

`parse_feed` refuses, with a `Skip` saying why, a feed that is not well-formed XML or is not a
feed at all (an HTML page served at a feed's address); inside an accepted feed, entries
without a link and repeated guids are left out and described in `Feed.problems`, one line
each, so the rest still lands. An entry carries its full text when the feed has it
(`<content:encoded>`, Atom `<content>`); otherwise only its summary, and the caller fetches
the article page. Links are made canonical (`rag.ingest.urls`). JSON Feed
(https://jsonfeed.org/version/1.1) is read here with the json module (feedparser 6.0 does not
read it) into the same `FeedEntry`s. It fetches nothing and builds no documents
(`rag.ingest.remote`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.sax
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from rag.ingest.problems import Skip
from rag.ingest.urls import canonical_url, is_url

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+xml",
    "application/x-rss+xml",
}
_FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.I)
_JSON_FEED_START = re.compile(
    rb'^(\xef\xbb\xbf)?\s*\{.{0,2000}?"version"\s*:\s*'
    rb'"https?://jsonfeed\.org/version/',
    re.S,
)


@dataclass(frozen=True)
class FeedEntry:
    """One article a feed announces."""

    key: str  # what names the entry inside its feed: its guid, else its link
    link: str  # canonical url of the article: its id once stored
    title: str
    published: date | None
    content_html: str  # the full text as HTML; "" when the feed carries only a summary
    summary_html: str
    fingerprint: str  # changes whenever the feed says something new about the entry


@dataclass
class Feed:
    url: str
    title: str
    version: str
    entries: list[FeedEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries left out, one line each


def is_feed_response(body: bytes, content_type: str) -> bool:
    """Whether a response is (meant as) a feed: a feed media type, or a feed's root element."""
    return (
        content_type in FEED_TYPES
        or content_type == "application/feed+json"
        or bool(_FEED_START.match(body[:2048]) or _JSON_FEED_START.match(body[:2048]))
    )


def parse_feed(body: bytes, url: str, content_type_header: str) -> Feed:
    """The entries of a feed; raises `Skip` when the response is not a usable feed."""
    import feedparser

    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return parse_json_feed(body, url)
    if _HTML_START.match(body[:512]):
        raise Skip(
            "is an HTML page, not an RSS or Atom feed (was the page's address given "
            "instead of its feed's?)"
        )
    parsed = feedparser.parse(
        body, response_headers={"content-type": content_type_header or "application/xml"}
    )
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXException):
        where = ""
        if isinstance(error, xml.sax.SAXParseException):
            where = f" at line {error.getLineNumber()}, column {error.getColumnNumber()}"
        raise Skip(
            f"is not well-formed XML{where} ({error.getMessage()}); nothing was taken from it"
        )
    if not parsed.get("version"):
        raise Skip("is not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root)")
    feed = Feed(url=url, title=str(parsed.feed.get("title") or "").strip(), version=parsed.version)
    feed.entries = _read_entries(feed, list(parsed.entries), _entry_link, _entry)
    return feed


def parse_json_feed(body: bytes, url: str) -> Feed:
    """A JSON Feed's items as entries; raises `Skip` for bad JSON or JSON that is not one."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise Skip(
            f"is not UTF-8 (byte 0x{body[err.start]:02x} at offset {err.start}), as "
            "JSON Feed requires; nothing was taken from it"
        ) from None
    except ValueError as err:
        raise Skip(f"is not valid JSON ({err}); nothing was taken from it") from None
    version = str(data.get("version") or "") if isinstance(data, dict) else ""
    if not version.startswith(("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")):
        raise Skip('is JSON but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")')
    items = data.get("items")
    if not isinstance(items, list):
        raise Skip('is a JSON Feed without an "items" list')
    feed = Feed(
        url=url,
        title=str(data.get("title") or "").strip(),
        version="json" + version.rsplit("/", 1)[-1].replace(".", ""),
    )
    feed.entries = _read_entries(
        feed, [i for i in items if isinstance(i, dict)], _json_item_link, _json_entry
    )
    return feed


def _json_item_link(raw: dict[str, Any]) -> str:
    return next(
        (
            str(u)
            for u in (raw.get("url"), raw.get("external_url"), raw.get("id"))
            if isinstance(u, str) and is_url(u)
        ),
        "",
    )


def _fingerprint(*fields: str) -> str:
    """What an entry said, hashed: a changed title, date or text makes the entry new again."""
    return hashlib.sha256(json.dumps(list(fields)).encode()).hexdigest()[:24]


def _json_entry(raw: dict[str, Any], key: str, link: str, title: str) -> FeedEntry:
    """One JSON Feed item as an entry (its HTML, or its text as paragraphs)."""
    content = str(raw.get("content_html") or "").strip()
    if not content and str(raw.get("content_text") or "").strip():
        content = "".join(
            f"<p>{html.escape(p.strip())}</p>"
            for p in str(raw["content_text"]).split("\n\n")
            if p.strip()
        )
    summary = str(raw.get("summary") or "").strip()
    stamp = str(raw.get("date_published") or raw.get("date_modified") or "")
    fingerprint = _fingerprint(
        key,
        link,
        title,
        str(raw.get("date_published") or ""),
        str(raw.get("date_modified") or ""),
        content,
        summary,
    )
    return FeedEntry(
        key=key,
        link=canonical_url(link),
        title=title,
        published=_rfc3339_day(stamp),
        content_html=content,
        summary_html=summary,
        fingerprint=fingerprint,
    )


def _read_entries(
    feed: Feed,
    raws: list[dict[str, Any]],
    link_of: Callable[[dict[str, Any]], str],
    make: Callable[[dict[str, Any], str, str, str], FeedEntry],
) -> list[FeedEntry]:
    """The entries of either format, keyed by guid (else link): an entry without a link and a
    repeated guid are left out, and said so in `feed.problems`."""
    entries: list[FeedEntry] = []
    linkless: list[str] = []
    seen: dict[str, int] = {}
    for raw in raws:
        link = link_of(raw)
        title = str(raw.get("title") or "").strip()
        if not link:
            linkless.append(title or str(raw.get("id") or "(untitled)"))
            continue
        key = str(raw.get("id") or "") or link
        if key in seen:
            seen[key] += 1
            continue
        seen[key] = 1
        entries.append(make(raw, key, link, title))
    _say_left_out(feed, linkless, len(raws), seen)
    return entries


def _rfc3339_day(stamp: str) -> date | None:
    """The day (in UTC, as feedparser gives RSS and Atom dates) of an RFC 3339 time
    ("2026-06-01T08:00:00Z"), or None when there is none or it is not one."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when.astimezone(timezone.utc) if when.tzinfo else when).date()


def _say_left_out(feed: Feed, linkless: list[str], total: int, seen: dict[str, int]) -> None:
    if linkless:
        feed.problems.append(
            f"{len(linkless)} of {total} entries have no link to an article "
            f"(first: {linkless[0][:60]!r}); they were skipped"
        )
    for key, count in seen.items():
        if count > 1:
            feed.problems.append(
                f"guid {key[:80]!r} is used by {count} entries; only the first was read"
            )


def _entry_link(raw: dict[str, Any]) -> str:
    """The entry's article url: its link, else a guid that is a url."""
    link = str(raw.get("link") or "")
    if not is_url(link):
        guid = str(raw.get("id") or "")
        link = guid if is_url(guid) else ""
    return canonical_url(link) if link else ""


def _entry(raw: dict[str, Any], key: str, link: str, title: str) -> FeedEntry:
    content = " ".join(str(c.get("value") or "") for c in raw.get("content") or []).strip()
    summary = str(raw.get("summary") or "").strip()
    if content and content == summary:  # feedparser copies a lone Atom <content> to summary
        summary = ""
    # dict.get: feedparser's own get() maps a missing 'published' to 'updated', with a warning
    stamp = dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    fingerprint = _fingerprint(
        key,
        link,
        title,
        str(dict.get(raw, "published") or ""),
        str(dict.get(raw, "updated") or ""),
        content,
        summary,
    )
    return FeedEntry(
        key=key,
        link=link,
        title=title,
        published=published,
        content_html=content,
        summary_html=summary,
        fingerprint=fingerprint,
    )
