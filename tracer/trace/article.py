"""The article being traced: read from a file or taken as text, and recognised in the index.

Offsets of claims index ``ArticleInfo.text``: the text as read (front matter
removed, NFC-normalised; for HTML the extracted main text).
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..text.langid import SUPPORTED_LANGS, detect_lang

__all__ = ["ArticleInfo", "load_article", "self_ids"]

_LANG_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", "fr": "French",
               "es": "Spanish", "it": "Italian", "pl": "Polish", "bg": "Bulgarian", "be": "Belarusian",
               "sr": "Serbian", "mk": "Macedonian", "kk": "Kazakh", "pt": "Portuguese", "tr": "Turkish",
               "zh-cn": "Chinese", "ar": "Arabic"}


@dataclass(frozen=True)
class ArticleInfo:
    """The article being traced, as read (``text`` is what offsets index)."""

    id: str
    text: str
    lang: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    excluded_docs: tuple[str, ...] = ()  # index documents that are this article

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["excluded_docs"] = list(self.excluded_docs)
        return d


def _looks_like_path(article: str) -> bool:
    """A one-line string naming a file tracer reads (or an existing path)."""
    if not article.strip() or "\n" in article or len(article) > 255:
        return False
    try:
        return Path(article).suffix.lower() in _ARTICLE_SUFFIXES or Path(article).exists()
    except OSError:  # not a name the file system accepts: text
        return False


_ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".ndjson"}


def _too_long(size: int, max_chars: int | None, unit: str = "characters") -> None:
    if max_chars is not None and size > max_chars:
        raise InputError(f"the article is {size:,} {unit}, over the limit of {max_chars:,} characters "
                         "(max_article_chars): trace one article at a time")


def load_article(article: str | Path, *, lang: str | None = None, date: str | None = None,
                 max_chars: int | None = None) -> ArticleInfo:
    """Read an article from a path (.txt, .md, .html) or take it as text.

    Raises InputError for a missing or empty file, an article without text,
    one longer than ``max_chars`` and a language tracer does not trace.
    """
    from ..ingest.readers import IngestOptions, check_date, check_lang, doc_id_for, read_file, split_front_matter

    check_lang(lang)
    date = check_date(date, "--date")
    if isinstance(article, str) and not article.strip():
        raise InputError("the article is empty")  # (Path("") would read as the current directory)
    path: Path | None = None
    if isinstance(article, Path) or _looks_like_path(str(article)):
        path = Path(article)
        if not path.exists():
            raise InputError(f"no such file: {path}")
        if path.is_dir():
            raise InputError(f"{path} is a directory: trace one article at a time")
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            raise InputError(f"{path} is a JSONL dump: trace one article at a time (.txt, .md or .html)")
        if path.suffix.lower() not in {".html", ".htm"}:  # a page's text is a fraction of its markup
            # UTF-8 takes at most 4 bytes a character: a file that large is too long for sure.
            _too_long(path.stat().st_size // 4, max_chars, "characters or more")
        docs, problems = [], []
        for item in read_file(path, IngestOptions(kind="article")):
            (docs if hasattr(item, "text") else problems).append(item)
        fatal = [p for p in problems if p.fatal]
        if fatal or not docs:
            message = fatal[0].message if fatal else "no text found"
            raise InputError(f"the article {path} is empty ({message})" if "empty" in message or "whitespace"
                             in message or "no text" in message else f"cannot read {path}: {message}")
        doc = docs[0]
        text, meta = doc.text, {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source,
                                "url": doc.url, "lang": None}
        front_lang = doc.lang if doc.lang in SUPPORTED_LANGS and lang is None else None
    else:
        raw = str(article)
        if not raw.strip():
            raise InputError("the article is empty")
        _too_long(len(raw), max_chars)
        text, fm = split_front_matter(raw)
        text = unicodedata.normalize("NFC", text)
        meta = {"id": fm.get("id") or doc_id_for(text), "title": fm.get("title"), "date": check_date(fm.get("date")),
                "source": fm.get("source"), "url": fm.get("url")}
        front_lang = check_lang(fm.get("lang"))
    if not text.strip():
        raise InputError("the article is empty")
    _too_long(len(text), max_chars)
    detected = lang or front_lang or detect_lang(text, default="und")
    if detected == "und":
        raise InputError("the article has no words tracer can read")
    if detected not in SUPPORTED_LANGS:
        name = _LANG_NAMES.get(detected, detected)
        raise InputError(
            f"the article looks like {name} ({detected}); tracer traces articles in English, Russian and "
            "Ukrainian (give --article-lang en|ru|uk if the detection is wrong)"
        )
    return ArticleInfo(id=str(meta["id"]), text=text, lang=detected, title=meta.get("title"),
                       date=date or meta.get("date"), source=meta.get("source"), url=meta.get("url"),
                       path=str(path) if path else None)


def self_ids(store, info: ArticleInfo) -> set[str]:
    """Ids under which the article itself may sit in the index: its own id,
    the id its text would get, and any stored document with the same content."""
    from ..ingest import doc_id_for

    return {info.id, doc_id_for(info.text), *store.document_ids_by_content(info.text)}
