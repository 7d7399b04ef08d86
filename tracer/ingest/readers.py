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

from ..errors import InputError
from ..text.langid import SUPPORTED_LANGS, detect_lang
from ..text.hashing import doc_id_for
from ..types import DOC_KINDS, Document, IngestProblem

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class IngestOptions:
    """Values given on the command line; they fill fields a file does not set."""

    source: str | None = None
    lang: str | None = None
    kind: str | None = None
    date: str | None = None
    max_file_mb: float = 50.0


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


def check_lang(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in SUPPORTED_LANGS:
        raise InputError(f"unknown language {value!r} (supported: {', '.join(SUPPORTED_LANGS)})")
    return value


def iter_files(paths: Iterable[Path]) -> Iterator[Path | IngestProblem]:
    """Expand directories (recursively, sorted) into the files tracer can read."""
    for path in paths:
        path = Path(path)
        if not path.exists():
            yield IngestProblem(str(path), "no such file or directory")
        elif path.is_dir():
            found = False
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    found = True
                    yield child
            if not found:
                yield IngestProblem(str(path), "directory holds no .txt, .md, .html or .jsonl files")
        else:
            yield path


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
    size = path.stat().st_size
    if size == 0:
        yield IngestProblem(str(path), "file is empty")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, opts)
        return
    if size > opts.max_file_mb * 1024 * 1024:
        yield IngestProblem(str(path), f"file is {size / 2**20:.0f} MB, over the {opts.max_file_mb:.0f} MB limit for one document "
                            "(split it, or put one document per line in a .jsonl file)")
        return
    try:
        text, warning = _decode(path.read_bytes(), path)
    except InputError as exc:
        yield IngestProblem(str(path), str(exc))
        return
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
        date_ = check_date(str(meta["date"])) if meta.get("date") else None
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


FRONT_MATTER_KEYS = {"id", "title", "lang", "kind", "source", "url", "date"}


def split_front_matter(text: str) -> tuple[str, dict]:
    """Split a leading YAML block (``---`` … ``---``) off a text or Markdown file.

    The body keeps its own offsets: everything after the closing ``---`` line.
    """
    if not text.startswith("---"):
        return text, {}
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return text, {}
    for n in range(1, min(len(lines), 200)):
        if lines[n].strip() in ("---", "..."):
            import yaml  # PyYAML: front matter is YAML; no need for a hand-rolled parser

            try:
                meta = yaml.safe_load("\n".join(lines[1:n])) or {}
            except yaml.YAMLError as exc:
                raise InputError(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
            if not isinstance(meta, dict):
                raise InputError("front matter must be a mapping of key: value lines")
            meta = {str(k): (None if v is None else str(v)) for k, v in meta.items() if str(k) in FRONT_MATTER_KEYS}
            return "\n".join(lines[n + 1:]).lstrip("\n"), meta
    return text, {}


def read_jsonl(path: Path, opts: IngestOptions) -> Iterator[Document | IngestProblem]:
    """One document per line; bad lines are reported with their number and skipped."""
    with path.open("rb") as fh:  # streamed: a JSONL dump may be far larger than memory-friendly
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                yield IngestProblem(str(path), "not valid UTF-8; bytes replaced", line=lineno, fatal=False)
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise InputError("expected a JSON object")
                if "text" not in obj or not isinstance(obj["text"], str) or not obj["text"].strip():
                    raise InputError("missing or empty 'text'")
                if obj.get("id") in (None, ""):
                    raise InputError("missing 'id'")
                doc = _make(
                    obj["text"], opts, path=path, id=obj["id"],
                    lang=check_lang(obj.get("lang")), kind=check_kind(obj.get("kind")),
                    source=obj.get("source"), url=obj.get("url"),
                    date_=check_date(obj.get("date"), "date"), title=obj.get("title"),
                )
            except json.JSONDecodeError as exc:
                yield IngestProblem(str(path), f"invalid JSON ({exc.msg})", line=lineno)
                continue
            except InputError as exc:
                yield IngestProblem(str(path), str(exc), line=lineno)
                continue
            yield doc


def read_paths(paths: Iterable[Path], opts: IngestOptions) -> Iterator[Document | IngestProblem]:
    """Documents of every readable file under ``paths``."""
    for item in iter_files(paths):
        if isinstance(item, IngestProblem):
            yield item
        else:
            yield from read_file(item, opts)
