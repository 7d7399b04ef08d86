"""Listings of new items: RSS/Atom feeds (feedparser) and sitemaps (lxml).

A listing that is not well-formed raises ``ListingError`` with a one-line
reason: nothing of a half-readable feed is used, so a broken night of one
source never stores a truncated item list (the next run simply tries again).
"""
from __future__ import annotations

import calendar
import io
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

MAX_SITEMAP_CHILDREN = 5  # newest child sitemaps of a sitemap index read per run


class ListingError(Exception):
    """A feed or sitemap could not be used; ``str(exc)`` says why."""


@dataclass(frozen=True)
class Item:
    """One entry of a listing: a page to fetch (or, for feeds, its inline content)."""

    url: str
    title: str | None = None
    date: str | None = None  # ISO 8601 when the listing gives one
    content_html: str | None = None  # the item's full content, when a feed carries it


# Problems feedparser reports that still leave a correct parse.
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


def parse_feed(body: bytes, *, content_type: str | None, url: str) -> list[Item]:
    """Items of an RSS or Atom feed, in feed order."""
    import feedparser  # only when feeds are fetched

    # Bytes, never a str: given a str that looks like a URL feedparser would fetch it itself.
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if type(exc).__name__ not in _HARMLESS_BOZO:
            raise ListingError(f"the feed is not well-formed XML ({_describe_xml_error(exc)})")
    if not parsed.get("version") and not parsed.entries:
        raise ListingError("the address does not serve an RSS or Atom feed")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or _first_link(entry)
        if not link:
            continue
        content = None
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry["content"]), key=len)
        elif entry.get("summary"):
            content = entry.get("summary")
        items.append(Item(urljoin(url, link.strip()), (entry.get("title") or "").strip() or None,
                          _struct_date(entry.get("published_parsed") or entry.get("updated_parsed")), content))
    return items


def _first_link(entry) -> str | None:
    for link in entry.get("links", []) or []:
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return link["href"]
    return None


def _struct_date(value) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, ValueError, TypeError):
        return None


def _describe_xml_error(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown problem"
    line = getattr(exc, "getLineNumber", None)
    col = getattr(exc, "getColumnNumber", None)
    msg = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    msg = " ".join(str(msg).split())[:160] or type(exc).__name__
    if callable(line) and callable(col):
        return f"{msg} at line {line()}, column {col()}"
    return msg


# --- sitemaps ------------------------------------------------------------------


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: page items, or (for a sitemap index) child sitemaps, newest first."""

    items: tuple[Item, ...]
    children: tuple[str, ...]


def _ungzip(body: bytes, max_bytes: int) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ListingError(f"the sitemap is a broken gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise ListingError(f"the sitemap is larger than {max_bytes // 2**20} MB once unpacked")
    return out


def parse_sitemap(body: bytes, *, url: str, max_bytes: int) -> Sitemap:
    """Pages (``<urlset>``) or child sitemaps (``<sitemapindex>``) of a sitemap."""
    from lxml import etree

    body = _ungzip(body, max_bytes)
    # No entity expansion, no network: a sitemap is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.parse(io.BytesIO(body), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"the sitemap is not well-formed XML ({' '.join(str(exc).split())[:160]})") from None
    tag = etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        raise ListingError(f"the address does not serve a sitemap (root element <{tag}>)")

    def child_text(el, name: str) -> str | None:
        for sub in el.iter():
            if isinstance(sub.tag, str) and etree.QName(sub).localname == name and sub.text and sub.text.strip():
                return sub.text.strip()
        return None

    entries = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        loc = child_text(el, "loc")
        if not loc:
            continue
        # Google News sitemaps carry the publication date and title.
        date = child_text(el, "publication_date") or child_text(el, "lastmod")
        entries.append(Item(urljoin(url, loc), child_text(el, "title"), date))
    if tag == "sitemapindex":
        newest = sorted(entries, key=lambda i: i.date or "", reverse=True)[:MAX_SITEMAP_CHILDREN]
        return Sitemap((), tuple(i.url for i in newest))
    return Sitemap(tuple(sorted(entries, key=lambda i: i.date or "", reverse=True)), ())


__all__ = ["Item", "ListingError", "Sitemap", "parse_feed", "parse_sitemap"]
