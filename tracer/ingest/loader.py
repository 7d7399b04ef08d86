"""Documents into the store: segmented, language-tagged, each stored once."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from ..text.langid import SUPPORTED_LANGS, detect_lang
from ..text.segment import segment_document
from ..types import Document, IngestProblem, IngestReport

# (stage, done, total) -> None; total may be 0 when unknown.
ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


def store_documents(store, items: Iterable[Document | IngestProblem], *, progress: ProgressFn = _noop) -> IngestReport:
    """Segment and store documents (collecting the problems met on the way); not yet embedded."""
    t0 = time.perf_counter()
    seen = new = skipped = segments = 0
    problems: list[IngestProblem] = []
    for item in items:
        if isinstance(item, IngestProblem):
            problems.append(item)
            continue
        seen += 1
        if store.has_document(item.id):
            skipped += 1
        else:
            segs = segment_document(item.id, item.text, item.lang, lang_of=segment_lang(item.lang))
            if store.add_document(item, segs):
                new += 1
                segments += len(segs)
            else:
                skipped += 1
        progress("ingest", seen, 0)
    return IngestReport(seen, segments, new, skipped, time.perf_counter() - t0, problems)


def segment_lang(doc_lang: str) -> Callable[[str], str]:
    """Per-segment language: a segment keeps the document's language unless its
    own script clearly says otherwise (an English quote inside a Russian text)."""

    def lang_of(text: str) -> str:
        detected = detect_lang(text, default=doc_lang)
        if detected not in SUPPORTED_LANGS:
            return doc_lang
        if _is_cyrillic(detected) != _is_cyrillic(doc_lang):
            return detected
        # Within one script a short sentence rarely carries enough evidence to
        # overrule the whole document (ru vs uk share most short words).
        return detected if len(text) >= 80 else doc_lang

    return lang_of


def _is_cyrillic(lang: str) -> bool:
    return lang in ("ru", "uk", "bg", "be", "sr", "mk")
