"""Documents into the store: segmented, language-tagged, each stored once.

One bad document never stops a batch: it becomes an ``IngestProblem`` and
the rest is stored. A document whose id is already stored with other text
is reported and kept as stored, unless ``replace`` is set.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import lru_cache

from ..errors import InputError
from ..text.hashing import content_hash
from ..text.langid import SUPPORTED_LANGS, detect_lang, dominant_script
from ..text.segment import segment_document
from ..types import Document, IngestProblem, IngestReport
from .quality import not_language

# (stage, done, total) -> None; total may be 0 when unknown.
ProgressFn = Callable[[str, int, int], None]

_TEXT_FIELDS = ("id", "text", "lang", "kind")
_OPTIONAL_FIELDS = ("source", "url", "date", "title", "path")
# Below this length a segment keeps its document's language unless its script differs.
_OWN_LANG_CHARS = 80


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _where(doc: Document) -> str:
    if doc.path and doc.path.lower().endswith((".jsonl", ".ndjson")):
        return f"{doc.path} (id {doc.id})"
    return doc.path or f"document {doc.id}"


def _check(doc: Document) -> None:
    """Fields the store can hold: every reader checks its own input, this
    guards documents built by other code (fetch, the Python API)."""
    for name in _TEXT_FIELDS + _OPTIONAL_FIELDS:
        value = getattr(doc, name)
        if not isinstance(value, str) and not (value is None and name in _OPTIONAL_FIELDS):
            raise InputError(f"'{name}' must be text, not {type(value).__name__}")
    reason = not_language(doc.text)
    if reason:
        raise InputError(reason)


def store_documents(store, items: Iterable[Document | IngestProblem], *, replace: bool = False,
                    progress: ProgressFn = _noop) -> IngestReport:
    """Segment and store documents (collecting the problems met on the way); not yet embedded.

    ``replace``: a document whose id is stored with other text replaces it
    (otherwise the stored one stays and a warning says so).
    """
    t0 = time.perf_counter()
    seen = new = skipped = segments = replaced = 0
    problems: list[IngestProblem] = []
    for item in items:
        if isinstance(item, IngestProblem):
            problems.append(item)
            continue
        seen += 1
        progress("ingest", seen, 0)
        try:
            _check(item)
        except InputError as exc:
            problems.append(IngestProblem(_where(item), str(exc)))
            continue
        stored = store.stored_content_hash(item.id)
        if stored is not None and (stored == content_hash(item.text) or not replace):
            skipped += 1
            if stored != content_hash(item.text):
                problems.append(IngestProblem(
                    _where(item), f"id {item.id!r} is already stored with different text; kept the stored "
                    "version (ingest with --replace to replace it)", fatal=False))
            continue
        segs = segment_document(item.id, item.text, item.lang, lang_of=segment_lang(item.lang))
        added = store.replace_document(item, segs) if stored is not None else store.add_document(item, segs)
        if not added:
            skipped += 1  # the same text is stored under another id
        else:
            new += 1
            replaced += stored is not None
            segments += len(segs)
    return IngestReport(seen, segments, new, skipped, time.perf_counter() - t0, problems, replaced=replaced)


def segment_lang(doc_lang: str) -> Callable[[str], str]:
    """Per-segment language: a segment keeps the document's language unless its
    own script clearly says otherwise (an English quote inside a Russian text)."""
    doc_cyrillic = _is_cyrillic(doc_lang)

    @lru_cache(maxsize=4096)  # boilerplate repeats
    def lang_of(text: str) -> str:
        script = dominant_script(text)
        same_script = (script == "cyrillic") == doc_cyrillic and script in ("cyrillic", "latin")
        # Where detection could only confirm the document's language, it is not
        # asked: for Latin text outside English it is statistical and costs ~18 ms
        # a sentence, hours for a large document.
        if same_script and (len(text) < _OWN_LANG_CHARS or (script == "latin" and doc_lang == "en")):
            return doc_lang
        detected = detect_lang(text, default=doc_lang)
        if detected not in SUPPORTED_LANGS:
            return doc_lang
        if _is_cyrillic(detected) != doc_cyrillic:
            return detected
        # Within one script a short sentence rarely carries enough evidence to
        # overrule the whole document (ru vs uk share most short words).
        return detected if len(text) >= _OWN_LANG_CHARS else doc_lang

    return lang_of


def _is_cyrillic(lang: str) -> bool:
    return lang in ("ru", "uk", "bg", "be", "sr", "mk")
