"""Web sources → llama-index `Document`s: feeds and article pages, as files become them.

`read_source` fetches one URL (`rag.ingest.web`); a feed (`rag.ingest.feeds`) becomes one
document per entry, an HTML page one document. A feed entry that carries only a summary gets
its article page fetched and read with trafilatura exactly as a local .html file is
(`rag.ingest.html_pages.read_html`). Ids are canonical urls: the page's <link rel=canonical>
when a page was read, else the entry's link, tracking parameters removed. Each document's
`path` is the URL it came through (the feed's, or the page's), so `rag docs` says where an
article came from. Entries the caller already has (same fingerprint) are not read again.
`read_urls` is the counterpart of `read_paths` for `rag ingest URL…`. It neither stores
anything (`rag.ingest.pipeline`) nor keeps poll state (`rag.ingest.watch`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from llama_index.core import Document

from rag.ingest.discover import alternate_feeds
from rag.ingest.documents import checked_date, make_document
from rag.ingest.feeds import Feed, FeedEntry, is_feed_response, parse_feed
from rag.ingest.html_pages import read_html
from rag.ingest.problems import Limits, ParseProblem, ParseWarning, Skip
from rag.ingest.readers import ParseResult
from rag.ingest.text_files import read_text
from rag.ingest.urls import canonical_url, is_url
from rag.ingest.web import FEED_ACCEPT, PAGE_ACCEPT, Fetched, Fetcher, FetchError, decode_text

__all__ = ["read_urls", "read_source", "SourceRead"]

PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain", ""}


@dataclass
class SourceRead:
    """What one URL gave: documents, and for a feed which entries they came from."""

    url: str
    fetched: Fetched | None = None
    feed: Feed | None = None
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    entry_ids: dict[str, str] = field(default_factory=dict)  # entry key -> document id
    unchanged: int = 0  # entries skipped because the caller already had them
    page_failed: bool = False  # an article page could not be fetched: worth trying again
    retry_at: float | None = None  # the server asked to be left alone until then

    @property
    def not_modified(self) -> bool:
        return self.fetched is not None and self.fetched.not_modified


def read_urls(urls: list[str], fetcher: Fetcher, limits: Limits) -> ParseResult:
    """Every document the URLs give (feeds and pages); the same article once."""
    result = ParseResult()
    seen: set[str] = set()
    for url in urls:
        read = read_source(url, fetcher, limits)
        result.problems += read.problems
        result.warnings += read.warnings
        for doc in read.documents:
            if doc.doc_id not in seen:  # one article through two feeds: the first copy
                seen.add(doc.doc_id)
                result.documents.append(doc)
    return result


def read_source(
    url: str,
    fetcher: Fetcher,
    limits: Limits,
    *,
    feed_only: bool = False,
    etag: str = "",
    last_modified: str = "",
    known: dict[str, str] | None = None,
) -> SourceRead:
    """Fetch and read one URL; never raises for a bad source (see `SourceRead.problems`).

    `feed_only` (watched feeds): an HTML page is refused rather than read as an article.
    `known`: entry key → fingerprint of entries already stored; those are not read again.
    """
    read = SourceRead(url)
    try:
        fetched = fetcher.get(
            url,
            etag=etag,
            last_modified=last_modified,
            accept=FEED_ACCEPT if feed_only else PAGE_ACCEPT + ", " + FEED_ACCEPT,
        )
    except FetchError as err:
        read.problems.append(ParseProblem(url, str(err)))
        read.retry_at = err.retry_at
        return read
    read.fetched = fetched
    if fetched.not_modified:
        return read
    try:
        if feed_only or is_feed_response(fetched.body, fetched.content_type):
            decode_text(fetched.body, fetched.headers.get("content-type", ""))  # charset check
            read.feed = parse_feed(fetched.body, url, fetched.headers.get("content-type", ""))
        else:
            doc, issue = _page_document(fetched, url, limits)
            read.documents.append(doc)
            if issue:
                read.warnings.append(ParseWarning(url, issue))
            return read
    except (Skip, FetchError) as why:
        read.problems.append(ParseProblem(url, str(why) + _announced(fetched)))
        return read
    read.problems += [ParseProblem(url, message) for message in read.feed.problems]
    for entry in read.feed.entries:
        if known and known.get(entry.key) == entry.fingerprint:
            read.unchanged += 1
            continue
        try:
            doc, issue = _entry_document(entry, read.feed, fetcher, limits)
        except FetchError as err:
            read.page_failed = True
            read.problems.append(
                ParseProblem(
                    url,
                    f"entry {entry.title[:60]!r}: its article "
                    f"page {entry.link} {err}; skipped this time",
                )
            )
            continue
        except Skip as why:
            read.problems.append(
                ParseProblem(url, f"entry {entry.title[:60]!r} ({entry.link}): {why}")
            )
            continue
        read.documents.append(doc)
        read.entry_ids[entry.key] = doc.doc_id
        if issue:
            read.warnings.append(ParseWarning(url, f"entry {entry.link}: {issue}"))
    return read


def _announced(page: Fetched) -> str:
    """For an HTML page given as a feed: the feed it announces, if any, for the message."""
    if page.content_type not in ("text/html", "application/xhtml+xml"):
        return ""
    try:
        feeds = alternate_feeds(
            decode_text(page.body, page.headers.get("content-type", "")), page.url
        )
    except FetchError:
        return ""
    return f"; the page announces its feed at {feeds[0]}: watch that" if feeds else ""


def _entry_document(
    entry: FeedEntry, feed: Feed, fetcher: Fetcher, limits: Limits
) -> tuple[Document, str]:
    """An entry as a document: its own full text, else its article page's."""
    published, issue = checked_date(
        entry.published.isoformat() if entry.published else "", "the entry's published date"
    )
    if entry.content_html:
        text = read_html(f"<html><body>{entry.content_html}</body></html>")["text"]
        return make_document(
            doc_id=entry.link,
            path=feed.url,
            text=text,
            title=entry.title,
            date=published,
            source=feed.title,
            url=entry.link,
            limits=limits,
        ), issue
    page = fetcher.get(entry.link, accept=PAGE_ACCEPT)
    fields, doc_id = _page_fields(page)
    page_date = fields.pop("date")
    page_issue = fields.pop("date_issue")
    return make_document(
        doc_id=doc_id,
        path=feed.url,
        text=fields["text"],
        title=entry.title or fields["title"],
        date=published or page_date,
        source=fields["source"] or feed.title,
        url=doc_id,
        limits=limits,
    ), issue or page_issue


def _page_document(fetched: Fetched, url: str, limits: Limits) -> tuple[Document, str]:
    fields, doc_id = _page_fields(fetched)
    issue = fields.pop("date_issue")
    return make_document(doc_id=doc_id, path=url, url=doc_id, limits=limits, **fields), issue


def _page_fields(page: Fetched) -> tuple[dict[str, Any], str]:
    """Text, title, date and outlet of an article page, and its canonical url."""
    if page.content_type not in PAGE_TYPES:
        raise Skip(f"is {page.content_type}, not an article page (HTML) or a feed")
    text = decode_text(page.body, page.headers.get("content-type", ""))
    if not text.strip():
        raise Skip("the page is empty")
    fields = read_text(text) if page.content_type == "text/plain" else read_html(text)
    fields.pop("url", None)  # trafilatura's guess; the canonical link is read below
    return fields, _canonical_of(
        text, page.url
    ) if page.content_type != "text/plain" else canonical_url(page.url)


def _canonical_of(html: str, final_url: str) -> str:
    """The page's <link rel=canonical> (resolved against where it was fetched), else the
    url it was fetched from, made canonical."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises a handful of types on odd markup; the url still serves
        return canonical_url(final_url)
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            target = urljoin(final_url, link.get("href").strip())
            if is_url(target):
                return canonical_url(target)
    return canonical_url(final_url)
