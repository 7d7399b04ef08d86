"""A fetched web page → a ``Document``: charset, main text, title and date.

Decoding follows the browsers' order (byte-order mark, the HTTP header, the
page's own ``<meta charset>``), but a declared charset the bytes do not fit
is not trusted: Russian and Ukrainian sites still serve cp1251 and koi8-r
pages labelled UTF-8, and the next candidate (or charset-normalizer's
detection) then decides. Main text and metadata come from trafilatura.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message

from ..errors import InputError
from ..ingest.readers import check_date, doc_id_for
from ..text.langid import SUPPORTED_LANGS, detect_lang
from ..types import Document

from .config import SourceConfig

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The HTML prescan: <meta charset="x"> or <meta http-equiv=... content="text/html; charset=x">
# within the first bytes of the document.
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}encoding\s*=\s*["']([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE)
PRESCAN_BYTES = 4096


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header (parsed by the stdlib)."""
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    charset = msg.get_content_charset()
    return _codec(charset)


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


# Legacy code pages of Russian and Ukrainian sites: detection picks among these
# when a source is known to be Cyrillic (unrestricted detection confuses
# cp1251 with Central European code pages on short texts).
CYRILLIC_CODECS = ("utf_8", "cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866")


def decode_html(body: bytes, content_type: str | None = None, *, lang: str | None = None) -> tuple[str, str]:
    """Decode a page; returns ``(text, encoding used)``. ``lang`` (ru, uk, en)
    narrows charset detection for pages that declare no usable charset."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    head = body[:PRESCAN_BYTES]
    candidates = [charset_from_content_type(content_type)]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    candidates.append(_codec(m.group(1)) if m else None)
    candidates.append("utf-8")
    for name in dict.fromkeys(c for c in candidates if c):
        try:
            return body.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes  # only for pages whose declarations lie

    isolation = list(CYRILLIC_CODECS) if lang in ("ru", "uk") else None
    best = from_bytes(body, cp_isolation=isolation).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return body.decode("utf-8", errors="replace"), "utf-8"


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    date: str | None
    url: str | None  # canonical URL the page declares


def extract_page(html: str, url: str | None = None) -> Extracted:
    """Main text and metadata of a page, via trafilatura."""
    import trafilatura  # heavy import, only when pages are processed

    # No deduplicate=True: trafilatura's duplicate filter is a process-wide cache,
    # so a syndicated copy of a story would lose the paragraphs seen in the original.
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    ) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = date = canonical = None
    if meta is not None:
        title, canonical = meta.title, meta.url
        date = _valid_date(meta.date)
    return Extracted(text.strip(), title, date, canonical)


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed item's content), paragraph breaks kept."""
    import lxml.html

    if not html.strip():
        return ""
    if "<" not in html:
        return " ".join(html.split())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on broken markup; fall back to plain text
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # Block elements end with a blank line so paragraphs do not run together.
    for el in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br"):
        el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _valid_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return check_date(str(value).strip())
    except InputError:
        return None  # page metadata is best effort


def make_document(
    text: str, source: SourceConfig, *, url: str, title: str | None, date: str | None
) -> Document:
    """A Document for an extracted text, with the source's language and kind."""
    import unicodedata

    text = unicodedata.normalize("NFC", text.strip())
    lang = source.lang
    if lang == "auto" or lang not in SUPPORTED_LANGS:
        lang = detect_lang(text)
    return Document(
        id=doc_id_for(text),
        text=text,
        lang=lang,
        kind=source.kind,
        source=source.name,
        url=url,
        date=_valid_date(date),
        title=(title or "").strip() or None,
        path=None,
    )
