"""Read files into Documents: .txt, .md, .html/.htm (main text only) and .jsonl.

Readers yield ``Document`` or ``IngestProblem`` items so one bad file or line
never stops the rest of a batch; the caller decides the exit code.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..text.langid import check_lang, detect_lang
from ..text.hashing import doc_id_for
from ..types import DOC_KINDS, Document, IngestProblem
from .files import HTML_SUFFIXES, JSONL_SUFFIXES, SUFFIXES, iter_files
from .frontmatter import FRONT_MATTER_KEYS, split_front_matter  # noqa: F401 (re-exported)


@dataclass(frozen=True)
class IngestOptions:
    """Values given on the command line; they fill fields a file does not set."""

    source: str | None = None
    lang: str | None = None
    kind: str | None = None
    date: str | None = None
    max_file_mb: float = 50.0  # one document in a file
    max_line_mb: float = 10.0  # one document on a JSONL line
    exclude: tuple[str, ...] = ()  # --exclude GLOBs
    default_excludes: bool = True  # README, LICENSE, CHANGELOG… inside directories


def check_date(value: str | None, where: str = "date") -> str | None:
    """Validate an ISO 8601 date or datetime; returns it unchanged."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{where}: {value!r} is not an ISO 8601 date (e.g. 2025-09-17)") from exc
    return value


def check_kind(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in DOC_KINDS:
        raise InputError(f"unknown kind {value!r} (use one of: {', '.join(DOC_KINDS)})")
    return value


def _decode(raw: bytes, path: Path) -> tuple[str, IngestProblem | None]:
    if b"\x00" in raw[:8192]:
        raise InputError("looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        return text, IngestProblem(str(path), "not valid UTF-8; undecodable bytes were replaced with U+FFFD", fatal=False)


def _title_of(text: str) -> str | None:
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    return first if 0 < len(first) <= 200 else None


def _make(text: str, opts: IngestOptions, *, path: Path, id: str | None = None, lang: str | None = None,
          kind: str | None = None, source: str | None = None, url: str | None = None,
          date_: str | None = None, title: str | None = None) -> Document:
    text = unicodedata.normalize("NFC", text)
    lang = lang or opts.lang or detect_lang(text)
    return Document(
        id=str(id) if id not in (None, "") else doc_id_for(text),
        text=text,
        lang=lang,
        kind=kind or opts.kind or "original",
        source=source or opts.source,
        url=url,
        date=date_ or opts.date,
        title=title,
        path=str(path),
    )


def read_html(raw: str) -> tuple[str, dict]:
    """Main text of a web page plus its metadata (title, date, url), via trafilatura."""
    import trafilatura  # heavy-ish import, only when HTML is ingested

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(raw)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "date": meta.date, "url": meta.url}
    return text, info


def read_file(path: Path, opts: IngestOptions) -> Iterator[Document | IngestProblem]:
    """Documents of one file (several for JSONL)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield IngestProblem(str(path), f"unsupported file type {suffix or '(none)'} (use .txt, .md, .html, .jsonl)")
        return
    try:
        size = path.stat().st_size
        if size == 0:
            yield IngestProblem(str(path), "file is empty")
            return
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path, opts)
            return
        if size > opts.max_file_mb * 1024 * 1024:
            yield IngestProblem(str(path), f"file is {size / 2**20:.1f} MB, over the {opts.max_file_mb:g} MB limit for "
                                "one document (max_file_mb; split it, or put one document per line in a .jsonl file)")
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield IngestProblem(str(path), f"cannot read this file: {exc.strerror or exc}")
        return
    try:
        text, warning = _decode(raw, path)
    except InputError as exc:
        yield IngestProblem(str(path), str(exc))
        return
    del raw
    if warning:
        yield warning
    meta: dict = {}
    if suffix in HTML_SUFFIXES:
        text, meta = read_html(text)
    else:
        try:
            text, meta = split_front_matter(text)
        except InputError as exc:
            yield IngestProblem(str(path), str(exc))
            return
    if not text.strip():
        yield IngestProblem(str(path), "no text found" if suffix in HTML_SUFFIXES else "file holds only whitespace")
        return
    try:
        date_ = check_date(str(meta["date"]), "date") if meta.get("date") else None
        lang = check_lang(meta.get("lang"))
        kind = check_kind(meta.get("kind"))
    except InputError as exc:
        if suffix in HTML_SUFFIXES:  # page metadata is best effort
            date_, lang, kind = None, None, None
        else:
            yield IngestProblem(str(path), f"front matter: {exc}")
            return
    yield _make(text, opts, path=path, id=meta.get("id"), lang=lang, kind=kind, source=meta.get("source"),
                url=meta.get("url"), date_=date_, title=meta.get("title") or _title_of(text))


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _text_field(obj: dict, key: str) -> str | None:
    """An optional text field of a JSONL record: a string or absent."""
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"'{key}' must be a string, not {_json_type(value)}")


def _record(obj: Any, path: Path, opts: IngestOptions) -> Document:
    """The Document of one JSONL record; InputError says what is wrong with it."""
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object")
    if not isinstance(obj.get("text"), str) or not obj["text"].strip():
        raise InputError("missing or empty 'text'")
    doc_id = obj.get("id")
    if doc_id in (None, ""):
        raise InputError("missing 'id'")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        raise InputError(f"'id' must be a string or a whole number, not {_json_type(doc_id)}")
    return _make(
        obj["text"], opts, path=path, id=str(doc_id),
        lang=check_lang(_text_field(obj, "lang")), kind=check_kind(_text_field(obj, "kind")),
        source=_text_field(obj, "source"), url=_text_field(obj, "url"),
        date_=check_date(_text_field(obj, "date"), "date"), title=_text_field(obj, "title"),
    )


def _lines(fh, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a binary file; None for a line over ``limit`` bytes,
    which is skipped without ever being held in memory whole."""
    lineno = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) <= limit or (len(raw) == limit + 1 and raw.endswith(b"\n")):
            yield lineno, raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = fh.readline(1 << 20)
        yield lineno, None


def read_jsonl(path: Path, opts: IngestOptions) -> Iterator[Document | IngestProblem]:
    """One document per line; bad lines are reported with their number and skipped."""
    limit = int(opts.max_line_mb * 2**20)
    with path.open("rb") as fh:  # streamed: a JSONL dump may be far larger than memory-friendly
        for lineno, raw in _lines(fh, limit):
            if raw is None:
                yield IngestProblem(str(path), f"line is over the {opts.max_line_mb:g} MB limit for one document "
                                    "(max_line_mb)", line=lineno)
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                yield IngestProblem(str(path), "not valid UTF-8; bytes replaced", line=lineno, fatal=False)
            try:
                doc = _record(json.loads(line), path, opts)
            except json.JSONDecodeError as exc:
                yield IngestProblem(str(path), f"invalid JSON ({exc.msg})", line=lineno)
                continue
            except (InputError, RecursionError) as exc:
                message = str(exc) if isinstance(exc, InputError) else "JSON nested too deeply"
                yield IngestProblem(str(path), message, line=lineno)
                continue
            yield doc


def read_paths(paths: Iterable[Path], opts: IngestOptions) -> Iterator[Document | IngestProblem]:
    """Documents of every readable file under ``paths``."""
    for item in iter_files(paths, opts.exclude, opts.default_excludes):
        if isinstance(item, IngestProblem):
            yield item
        else:
            yield from read_file(item, opts)
