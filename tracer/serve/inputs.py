"""What a request asks for, checked once where it comes in, in the CLI's words.

Every problem is an ``InputError`` (a 400 and a message on the page); the
two subclasses here carry their own HTTP status.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import InputError
from ..ingest.readers import check_date, check_lang
from ..text.langid import parse_langs
from ..types import DOC_KINDS

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_K = 50
# Leading bytes of file types people upload by mistake that hold no NUL early on.
_BINARY_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP or Office document", b"\x1f\x8b": "a gzip archive",
                 b"{\\rtf": "an RTF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                 b"GIF8": "a GIF image", b"\xd0\xcf\x11\xe0": "an old Office document"}


class TooLarge(InputError):
    """The request is over the server's size limit."""

    status_code = 413


class NotText(InputError):
    """An upload that is not a UTF-8 .txt, .md or .html file."""

    status_code = 415


@dataclass(frozen=True)
class LookupRequest:
    quote: str
    k: int = 5
    langs: str | None = None  # "ru,uk"; None: any
    kinds: str | None = None
    after: str | None = None  # only origins dated on or after (undated ones are kept)
    before: str | None = None

    @property
    def date_filtered(self) -> bool:
        return bool(self.after or self.before)


@dataclass(frozen=True)
class TraceRequest:
    text: str  # the article as pasted, or the upload decoded
    suffix: str = ".txt"  # how to read it: .txt, .md or .html
    filename: str | None = None  # the upload's name, shown as the article's file
    k: int = 5
    langs: str | None = None
    kinds: str = "original"
    date: str | None = None
    article_lang: str | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffRequest:
    quote: str
    original: str
    quote_lang: str | None = None
    source_lang: str | None = None


def k_value(value: object, default: int = 5) -> int:
    """How many matches: 1 to MAX_K."""
    if value in (None, ""):
        return default
    try:
        k = int(str(value).strip())
    except ValueError:
        raise InputError(f"k must be a whole number, not {str(value)[:20]!r}") from None
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K}")
    return k


def langs_value(value: str | Sequence[str] | None) -> str | None:
    """A language filter ("ru,uk" or ["ru", "uk"]) checked; None: any language."""
    if value is None:
        return None
    text = value if isinstance(value, str) else ",".join(str(v) for v in value)
    langs = parse_langs(text)
    return ",".join(langs) if langs else None


def kinds_value(value: str | Sequence[str] | None, default: str | None = None) -> str | None:
    """A document-kind filter checked; "any" or empty: no filter."""
    if value is None:
        return default
    parts = [value] if isinstance(value, str) else list(value)
    kinds = [k.strip() for p in parts for k in str(p).split(",") if k.strip()]
    if not kinds or kinds == ["any"]:
        return None
    for kind in kinds:
        if kind not in DOC_KINDS:
            raise InputError(f"unknown kind {kind!r} (use one of: {', '.join(DOC_KINDS)}, or any)")
    return ",".join(dict.fromkeys(kinds))


def trace_kinds(value: str | Sequence[str] | None) -> str:
    """The kinds of documents a trace takes origins from: originals unless asked ("any": every kind)."""
    return kinds_value(value or None, "original") or ",".join(DOC_KINDS)


def date_value(value: str | None, label: str) -> str | None:
    return check_date((value or "").strip() or None, label)


def lang_value(value: str | None, label: str) -> str | None:
    """One language (en, ru, uk) or None for "detect it"."""
    value = (value or "").strip().lower()
    if value in ("", "auto"):
        return None
    try:
        return check_lang(value)
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None


def quote_value(text: str | None, max_chars: int, what: str = "quote") -> str:
    text = (text or "").strip()
    if not text:
        raise InputError(f"the {what} is empty")
    if len(text) > max_chars:
        raise InputError(f"the {what} is {len(text):,} characters long (at most {max_chars:,}): "
                         "look up a sentence or a paragraph, or trace the whole article")
    return text


def article_text(text: str | None) -> str:
    if not (text or "").strip():
        raise InputError("the article is empty: paste its text or choose a file")
    return text or ""


def upload_text(filename: str | None, data: bytes) -> tuple[str, str, str]:
    """An uploaded article as (text, suffix, plain file name); NotText for anything
    but a UTF-8 .txt, .md or .html file. The name is never used as a path."""
    name = PurePath((filename or "article.txt").replace("\\", "/")).name or "article.txt"
    suffix = PurePath(name).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise NotText(f"{name}: tracer reads .txt, .md and .html articles, not {suffix or 'files without a suffix'}")
    if not data.strip():
        raise InputError(f"{name} is empty")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise NotText(f"{name} is {kind}, not a text file: save the article as .txt, .md or .html")
    if b"\x00" in data[:65536]:
        raise NotText(f"{name} is a binary file, not text: save the article as .txt, .md or .html")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotText(f"{name} is not UTF-8 text: save it as UTF-8 and upload it again") from None
    return text, suffix, name
